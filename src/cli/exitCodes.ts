/** The process exit code for an error that ended a command (see README, "Exit codes"). */
import {InterruptedError, UsageError, UserError} from "../core/errors.js";

/** 2 bad usage, 130 interrupted, 1 any other failure the user can act on, 70 a bug in our code. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof InterruptedError) return 130;
  if (error instanceof UserError) return 1;
  return 70;
}
