/**
 * File-system failures the user can act on (disk full, no permission, too many open files, name
 * too long, read-only file system), turned into one line naming the path and what to do. The
 * library throws Node's own errno errors (with `code` and, through {@link withPath}, `path`); only
 * the CLI entry point calls {@link describeFsError}, so the mapping lives in one place.
 */

/** An error from a Node file-system call. */
export type ErrnoError = NodeJS.ErrnoException & {code: string};

export function isErrnoError(error: unknown): error is ErrnoError {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

/** What each actionable errno means and what to do about it. */
const ADVICE: Record<string, {what: string; todo: string}> = {
  ENOSPC: {
    what: "no space left on the device",
    todo: "free some space (or choose a folder on another disk) and run again"
  },
  EDQUOT: {what: "disk quota exceeded", todo: "free some space within your quota and run again"},
  EMFILE: {
    what: "too many open files in this process",
    todo: "raise the limit (`ulimit -n 4096`) or close other programs, and run again"
  },
  ENFILE: {what: "too many open files on this system", todo: "close other programs and run again"},
  EACCES: {what: "permission denied", todo: "choose a folder you may write to, or fix its permissions"},
  EPERM: {what: "operation not permitted", todo: "choose a folder you may write to, or fix its permissions"},
  ENAMETOOLONG: {what: "file name too long", todo: "choose a shorter folder or file name"},
  EROFS: {what: "read-only file system", todo: "choose a folder on a writable disk"},
  ENOTDIR: {what: "a part of the path is a file, not a folder", todo: "check the path"},
  EISDIR: {what: "is a folder, not a file", todo: "check the path"},
  ELOOP: {what: "too many symbolic links", todo: "check the path for a symbolic link loop"},
  EIO: {what: "input/output error", todo: "check the disk (it may be failing or disconnected)"}
};

/**
 * One line for an errno error the user can act on (`cannot write PATH: no space left on the
 * device; free some space …`), or undefined for any other error.
 */
export function describeFsError(error: unknown): string | undefined {
  if (!isErrnoError(error)) return undefined;
  const advice = ADVICE[error.code];
  if (!advice) return undefined;
  const path = error.path;
  const verb = operationVerb(error.syscall);
  const dest = (error as {dest?: string}).dest;
  const where = !path
    ? `cannot ${verb} a file`
    : dest && verb === "move"
      ? `cannot move ${path} to ${dest}`
      : `cannot ${verb} ${path}`;
  return `${where}: ${advice.what} (${error.code}); ${advice.todo}`;
}

function operationVerb(syscall: string | undefined): string {
  switch (syscall) {
    case "open":
      return "open";
    case "mkdir":
      return "create";
    case "rename":
    case "link":
      return "move";
    case "unlink":
    case "rmdir":
    case "rm":
      return "remove";
    case "read":
    case "scandir":
    case "stat":
    case "lstat":
    case "access":
      return "read";
    default:
      return "write";
  }
}

/**
 * Adds `path` to an errno error that lacks one (calls on a file handle, such as `handle.write`,
 * report ENOSPC without a path), or sets it in place of a temporary file's (`replace`), and
 * returns the error, so the message names the file the user knows.
 */
export function withPath(error: unknown, path: string, replace = false): unknown {
  if (isErrnoError(error) && (replace || error.path === undefined)) {
    error.path = path;
    delete (error as {dest?: string}).dest;
  }
  return error;
}

/** True for "no such file or directory". */
export function isEnoent(error: unknown): boolean {
  return isErrnoError(error) && error.code === "ENOENT";
}
