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
  ) {
    super(messageKey);
  }
}
