/**
 * The errors library code throws for what a user can act on. They carry no exit codes: only the
 * command line's entry point (../cli/exitCodes.ts) turns them into one; anything else that
 * escapes is a bug. Isomorphic: t-SNE, CAM and the model checks throw them in the browser too.
 */

/** A failure the user can act on (a missing file, a bad value): its message is one line that says what to do. */
export class UserError extends Error {
  override name = "UserError";
  constructor(message: string, options: {cause?: unknown} = {}) {
    super(message, {cause: options.cause});
  }
}

/** Malformed bytes: an IDX file, an image or a model file that is not what it claims to be. */
export class FormatError extends UserError {
  override name = "FormatError";
}

/** A bad command-line argument or option value (unknown flag, value out of range). */
export class UsageError extends UserError {
  override name = "UsageError";
}

/** A long job was stopped on request (Ctrl-C). */
export class InterruptedError extends UserError {
  override name = "InterruptedError";
}
