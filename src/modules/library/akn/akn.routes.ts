import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import { Problem } from '../../../web/problem-schema.ts';
import type { App } from '../../../web/types.ts';
import { libraryPolicy } from '../library.policy.ts';
import { aknDocument } from './akn.service.ts';

const Query = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) });

export async function aknRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  app.get<{ Params: { id: string }; Querystring: Static<typeof Query> }>(
    '/api/v1/library/documents/:id/akn.xml',
    {
      config: { policy: policy('library', libraryPolicy, 'read') },
      schema: {
        tags: ['library'],
        summary: 'One document as Akoma Ntoso 3.0 XML (AKN4UN): preface, preamble, mainBody, attachments, eIds, footnotes as authorialNote; `version` for an earlier one',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Query,
        response: { 200: { description: 'Akoma Ntoso XML', content: { 'application/akn+xml': { schema: Type.String() } } }, 404: Problem },
      },
    },
    async (req, reply) => {
      const { xml, filename } = await aknDocument(cadre, req.params.id, req.query.version);
      return reply.type('application/akn+xml; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(xml);
    },
  );
}
