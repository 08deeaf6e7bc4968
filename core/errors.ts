/**
 * A refusal the clerk can act on (bad file, wrong state, missing field). Its message is one
 * Chinese sentence shown as it is; anything else that goes wrong is an internal error.
 */
export class UserError extends Error {
  override name = 'UserError';
}
