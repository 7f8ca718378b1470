/**
 * An error the user caused and can fix: what happened, why, and what to do next.
 * Rendered once by whichever front end is running; exit code 2 when it is bad input.
 */
export class UserFixableError extends Error {
  override readonly name = "UserFixableError";
  constructor(
    message: string,
    readonly details: {
      /** Why it happened, in the user's terms. */
      readonly why?: string;
      /** The next thing to try. */
      readonly nextStep: string;
      /** The file (or flag) at fault, when there is one. */
      readonly source?: string;
      /** Dotted path of the field at fault inside `source`. */
      readonly field?: string;
      /** "input" errors exit 2; "state" errors (fixable, but not bad input) exit 1. */
      readonly kind?: "input" | "state";
      /** A code a program can tell this error by (kept in the session's step record). */
      readonly code?: string;
    },
  ) {
    super(message);
  }
}

export function isUserFixableError(e: unknown): e is UserFixableError {
  return e instanceof UserFixableError;
}
