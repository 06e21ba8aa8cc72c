/**
 * From a request target to a file of the served folders, refusing anything that could step outside
 * them or mean something else on some file system, and the HTTP status of a file-system error.
 */
import {realpath} from "node:fs/promises";
import {join, sep} from "node:path";

import {HttpError} from "./httpError.js";

/** Longest file name (bytes) on Linux and the usual file systems: longer segments cannot name a file. */
const MAX_SEGMENT_BYTES = 255;

/** A parsed request path: its decoded segments, and whether it ends in `/` (a folder's address). */
export interface RequestPath {
  segments: string[];
  folder: boolean;
}

/**
 * The path segments of a request target, refusing (403) anything that could step outside the
 * root or mean something else on some file system: `.`/`..` (also percent-encoded), encoded `/`,
 * backslashes (raw or encoded), NUL and other control characters; 404 for dot-files, empty
 * segments (`a//b`) and segments too long to be a file name; 400 for targets that are not a path
 * or not valid percent-encoding.
 */
export function parseRequestPath(target: string): RequestPath {
  if (!target.startsWith("/")) throw new HttpError("bad request target", 400);
  const rawPath = target.split(/[?#]/, 1)[0];
  if (/%2f|%5c|\\|%00/i.test(rawPath)) throw new HttpError("forbidden: encoded slash, backslash or NUL in path", 403);
  const raws = rawPath.split("/").slice(1);
  const folder = raws.at(-1) === "";
  if (folder) raws.pop();
  const segments: string[] = [];
  for (const raw of raws) {
    if (raw === "") throw new HttpError("not found", 404);
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new HttpError("bad percent-encoding in path", 400);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(segment)) throw new HttpError("forbidden: control character in path", 403);
    if (segment === "." || segment === "..") throw new HttpError("forbidden: dot segment in path", 403);
    if (segment.startsWith(".") || Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      throw new HttpError("not found", 404);
    segments.push(segment);
  }
  return {segments, folder};
}

/** The real path of `segments` under the folder `base` (itself a real path); it must stay inside `base`. */
export async function resolveInside(base: string, segments: string[]): Promise<string> {
  const real = await realpath(join(base, ...segments));
  if (!real.startsWith(base + sep)) throw new HttpError("forbidden: outside the served folder", 403);
  return real;
}

/**
 * The status for an error met while answering: an {@link HttpError}'s own, 404 for paths that
 * name nothing (missing, through a file, too long, a link loop), 403 for permissions, 503 while
 * the process is out of file descriptors (transient: the client may retry), else 500.
 */
export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.statusCode;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
    case "ENOTDIR":
    case "EISDIR":
    case "ENAMETOOLONG":
    case "ELOOP":
      return 404;
    case "EACCES":
    case "EPERM":
      return 403;
    case "EMFILE":
    case "ENFILE":
      return 503;
    default:
      return 500;
  }
}
