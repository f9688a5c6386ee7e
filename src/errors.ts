/**
 * An expected failure with a localized explanation: the HTTP layer shows `messageKey` in the
 * user's language, on the field named by `field` when there is one. Never carries a stack to the user.
 */
export class CadreError extends Error {
  constructor(
    readonly statusCode: number,
    readonly messageKey: string,
    readonly values: Record<string, string | number> = {},
    readonly field?: string,
    /** A resource the error points to (the existing entry a duplicate collides with): a path. */
    readonly related?: string,
  ) {
    super(messageKey);
  }
}

export interface FieldProblem {
  field: string;
  messageKey: string;
  values?: Record<string, string | number>;
}

/** Several fields refused at once: each gets its own message in the user's language. */
export class InvalidFields extends CadreError {
  constructor(readonly fields: FieldProblem[]) {
    super(400, 'error.validation');
  }
}
