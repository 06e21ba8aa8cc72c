/** Node's file-system error codes. */

/** True for "no such file or directory". */
export function isEnoent(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT";
}
