/** The process exit code for an error that ended a command (see README, "Exit codes"). */
import {InterruptedError, UsageError, UserError} from "../core/errors.js";
import {describeFsError} from "../node/fs/errno.js";

/**
 * 2 bad usage, 130 interrupted, 1 any other failure the user can act on (a disk that is full, a
 * folder without permission: see ../node/fs/errno.ts), 70 a bug in our code.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof InterruptedError) return 130;
  if (error instanceof UserError) return 1;
  if (describeFsError(error)) return 1;
  return 70;
}

/** The one line printed for an error: the errno advice with its path for file-system failures, else the message. */
export function errorMessage(error: unknown): string {
  return describeFsError(error) ?? (error instanceof Error ? error.message : String(error));
}
