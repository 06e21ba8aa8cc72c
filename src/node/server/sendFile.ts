/**
 * One file as an HTTP response: content type, ETag and Last-Modified (304 when the client's copy
 * is current), gzip from a cache for text, and otherwise a stream of exactly the bytes the file
 * had when it was opened. The file is opened once and everything (type check, length, body) comes
 * from that descriptor, which is closed on every path, including a client that hangs up at any
 * point: `stream.pipeline` destroys the file stream with the response.
 */
import {createHash} from "node:crypto";
import {constants} from "node:fs";
import {open, type FileHandle} from "node:fs/promises";
import type {IncomingMessage, ServerResponse} from "node:http";
import {extname} from "node:path";
import {pipeline} from "node:stream/promises";

import {HttpError} from "./httpError.js";
import {GZIP_MAX_INPUT, type GzipCache} from "./gzipCache.js";
import {acceptsGzip, notModified} from "./policy.js";

export const CONTENT_TYPES: Record<string, string> = {
  ".bytes": "application/octet-stream",
  ".bin": "application/octet-stream",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".ico": "image/x-icon",
  ".jpg": "image/jpeg",
  ".jsonl": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".webp": "image/webp",
  ".woff2": "font/woff2"
};

/** Types worth compressing (the 10,000-row TSV files shrink about 5x). */
const COMPRESSIBLE = new Set([".tsv", ".json", ".jsonl", ".wasm", ".map", ".html", ".js", ".css", ".svg", ".txt"]);
/** Files are rewritten (see {@link FileOptions.rewrite}) only up to this size; larger ones are sent as they are. */
const REWRITE_MAX = 1024 * 1024;
/** No-follow (the path is already resolved), and no blocking on a FIFO put in place of a file. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export interface FileOptions {
  gzipCache: GzipCache;
  /** The body to send instead of the file's (small files only), or undefined to send the file. */
  rewrite?: (body: Buffer) => Buffer | undefined;
}

/** Answers `req` with the regular file at the real path `path` (404 for anything else). */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  options: FileOptions
): Promise<void> {
  if (res.destroyed) return; // the client hung up while the path was resolved: open nothing
  const handle = await open(path, OPEN_FLAGS);
  let streaming = false;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new HttpError("not found", 404);
    if (res.destroyed) return;
    const ext = extname(path).toLowerCase();
    const type = CONTENT_TYPES[ext] ?? "application/octet-stream";
    if (options.rewrite && info.size <= REWRITE_MAX) {
      const body = options.rewrite(await readAll(handle, info.size));
      if (body) {
        sendRewritten(req, res, type, body);
        return;
      }
    }
    const compressible = COMPRESSIBLE.has(ext);
    const gzip =
      compressible && info.size > 1024 && info.size <= GZIP_MAX_INPUT && acceptsGzip(req.headers["accept-encoding"]);
    const tag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${gzip ? "-gz" : ""}"`;
    const headers: Record<string, string | number> = {
      "Content-Type": type,
      ETag: tag,
      "Cache-Control": "no-cache",
      "Last-Modified": info.mtime.toUTCString()
    };
    if (compressible) headers.Vary = "Accept-Encoding";
    if (notModified(req.headers, tag, info.mtimeMs)) {
      res.writeHead(304, headers).end();
      return;
    }
    if (gzip) {
      const key = `${info.dev}:${info.ino}:${tag}`;
      const body = await options.gzipCache.get(key, () => readAll(handle, info.size));
      res.writeHead(200, {...headers, "Content-Encoding": "gzip", "Content-Length": body.length});
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    res.writeHead(200, {...headers, "Content-Length": info.size});
    if (req.method === "HEAD" || info.size === 0) {
      res.end();
      return;
    }
    // From here the stream owns the descriptor and closes it when it ends or is destroyed.
    streaming = true;
    const stream = handle.createReadStream({start: 0, end: info.size - 1});
    await pipeline(stream, (source: AsyncIterable<Buffer>) => exactly(info.size, source), res).catch(() => {
      // The client went away, or the file shrank: in both cases the connection must not be reused.
      res.destroy();
    });
  } finally {
    if (!streaming) await handle.close();
  }
}

/**
 * The chunks of `source`, failing if they add up to fewer than `size` bytes (the file was cut
 * while being sent): the response's Content-Length was `size`, so ending it early would leave a
 * keep-alive client reading the next response as the rest of this body. (The stream's `end`
 * already stops at `size` bytes when the file grows.)
 */
async function* exactly(size: number, source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of source) {
    sent += chunk.length;
    yield chunk;
  }
  if (sent !== size) throw new Error(`file changed while being sent: ${sent} of ${size} bytes`);
}

/** Exactly `size` bytes from the start of the file (fewer if it shrank meanwhile). */
async function readAll(handle: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const {bytesRead} = await handle.read(buffer, offset, size - offset, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return buffer.subarray(0, offset);
}

/** A body made for this request (it depends on the Host header, so it is neither cached by others nor dated). */
function sendRewritten(req: IncomingMessage, res: ServerResponse, type: string, body: Buffer): void {
  const tag = `"r-${createHash("sha256").update(body).digest("hex").slice(0, 24)}"`;
  const headers = {"Content-Type": type, ETag: tag, "Cache-Control": "no-cache", Vary: "Host"};
  if (notModified(req.headers, tag, undefined)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, {...headers, "Content-Length": body.length});
  res.end(req.method === "HEAD" ? undefined : body);
}
