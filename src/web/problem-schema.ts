import { Type } from '@sinclair/typebox';

/** RFC 9457 problem details, as every API error is sent. Declared in responses for the OpenAPI document. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    related: Type.Optional(Type.String({ description: 'A resource the problem points to, e.g. the entry a duplicate collides with' })),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' },
);
