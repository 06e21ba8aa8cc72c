/**
 * A small static file server for the web app and its data folders, on Node's `http`: one root
 * folder at `/` plus named folders mounted at `/<name>/` (the export at `/projector/`, say);
 * GET and HEAD only, `Access-Control-Allow-Origin: *` so that projector.tensorflow.org can fetch
 * the files, content types, ETag / If-None-Match, gzip for text when the client accepts it, and no
 * way out of its folder: `..` and `.` segments, encoded slashes and backslashes, NUL bytes and
 * dot-files are refused before touching the file system, and the real path of every file (links
 * resolved) must lie inside the real root. Header and request timeouts bound slow clients.
 */
import {createReadStream} from "node:fs";
import {readdir, readFile, realpath, stat} from "node:fs/promises";
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {extname, join, sep} from "node:path";
import {promisify} from "node:util";
import {gzip as gzipCallback} from "node:zlib";

import {UserError} from "../../core/errors.js";
import {HttpError} from "./httpError.js";
import {isEnoent} from "../fs/errno.js";
import type {Logger} from "../../core/effects.js";

const gzip = promisify(gzipCallback);

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
/** Compressed bodies are kept in memory up to this many bytes in all. */
const GZIP_CACHE_BYTES = 128 * 1024 * 1024;

/** Options of {@link StaticServer.start}. */
export interface StaticServerOptions {
  /** Folder to serve at `/`. */
  root: string;
  /** More folders, each served at `/<name>/` (names are single path segments). */
  mounts?: Readonly<Record<string, string>>;
  /** Interface to bind (default 127.0.0.1: this machine only). */
  host?: string;
  /** Port (default 8000; 0 picks a free one). */
  port?: number;
  /** Errors (500s) are reported here (default: none). */
  logger?: Logger;
  /** Time allowed to receive a request's headers, ms (default 10,000). */
  headersTimeoutMs?: number;
  /** Time allowed for a whole request, ms (default 30,000). */
  requestTimeoutMs?: number;
  /** Largest request header block, bytes (default 16 KiB; larger gets 431). */
  maxHeaderSize?: number;
}

/** The running server. */
export class StaticServer {
  private readonly gzipCache = new Map<string, Buffer>();
  private readonly gzipPending = new Map<string, Promise<Buffer>>();
  private gzipCacheBytes = 0;

  private constructor(
    private readonly server: Server,
    private readonly realRoot: string,
    private readonly realMounts: ReadonlyMap<string, string>,
    private readonly logger: Logger | undefined,
    readonly host: string,
    readonly port: number
  ) {}

  /** Starts serving `options.root`; throws a {@link UserError} if the folder or the port is unusable. */
  static async start(options: StaticServerOptions): Promise<StaticServer> {
    const host = options.host ?? "127.0.0.1";
    const realRoot = await realFolder(options.root);
    const realMounts = new Map<string, string>();
    for (const [name, folder] of Object.entries(options.mounts ?? {})) {
      if (!/^[\w-]+$/.test(name)) throw new UserError(`bad mount name "${name}": use letters, digits, - and _`);
      realMounts.set(name, await realFolder(folder));
    }
    const headersTimeout = options.headersTimeoutMs ?? 10_000;
    const server = createServer({
      maxHeaderSize: options.maxHeaderSize ?? 16 * 1024,
      // How often Node checks the two timeouts below (its default, 30 s, would let them run long).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4)))
    });
    server.headersTimeout = headersTimeout;
    server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    server.keepAliveTimeout = 5_000;
    server.maxConnections = 512;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EADDRINUSE")
          reject(new UserError(`port ${options.port ?? 8000} on ${host} is in use; pass --port N`));
        else if (error.code === "EACCES")
          reject(new UserError(`no permission to listen on port ${options.port ?? 8000}; use a port above 1023`));
        else reject(new UserError(`cannot listen on ${host}:${options.port ?? 8000}: ${error.message}`));
      });
      server.listen(options.port ?? 8000, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const instance = new StaticServer(server, realRoot, realMounts, options.logger, host, port);
    server.on("request", (req, res) => void instance.handle(req, res));
    return instance;
  }

  /** `http://host:port` (IPv6 hosts in brackets). */
  get url(): string {
    const host = this.host.includes(":") ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  /** Stops accepting connections, lets requests in flight finish for up to `graceMs`, then closes the rest. */
  async close(graceMs = 2000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("X-Content-Type-Options", "nosniff");
    try {
      const method = req.method ?? "GET";
      if (method === "OPTIONS") {
        res.writeHead(204, {
          "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
          "Access-Control-Allow-Headers": "*",
          "Access-Control-Max-Age": "86400"
        });
        res.end();
        return;
      }
      if (method !== "GET" && method !== "HEAD") {
        res.setHeader("Allow", "GET, HEAD, OPTIONS");
        throw new HttpError(`method ${method} not allowed`, 405);
      }
      const segments = parseRequestPath(req.url ?? "/");
      const mounted = segments.length > 0 ? this.realMounts.get(segments[0]) : undefined;
      const base = mounted ?? this.realRoot;
      const rest = mounted === undefined ? segments : segments.slice(1);
      if (rest.length === 0) {
        await this.sendIndex(req, res, base);
        return;
      }
      await this.sendFile(req, res, await resolveFile(base, rest));
    } catch (error) {
      const status = error instanceof HttpError ? error.statusCode : isEnoent(error) ? 404 : 500;
      if (status === 500) this.logger?.warn(`serve: ${req.method} ${req.url}: ${(error as Error).message}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = `${status} ${status === 500 ? "internal error" : (error as Error).message}\n`;
      res.writeHead(status, {"Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body)});
      res.end(req.method === "HEAD" ? undefined : body);
    }
  }

  private async sendFile(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const info = await stat(path);
    const ext = extname(path).toLowerCase();
    const type = CONTENT_TYPES[ext] ?? "application/octet-stream";
    const compressible = COMPRESSIBLE.has(ext);
    const useGzip = compressible && info.size > 1024 && acceptsGzip(req.headers["accept-encoding"]);
    const tag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${useGzip ? "-gz" : ""}"`;
    const headers: Record<string, string | number> = {
      "Content-Type": type,
      ETag: tag,
      "Cache-Control": "no-cache",
      "Last-Modified": info.mtime.toUTCString()
    };
    if (compressible) headers.Vary = "Accept-Encoding";
    if (etagMatches(req.headers["if-none-match"], tag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (useGzip) {
      const body = await this.gzipped(path, tag);
      res.writeHead(200, {...headers, "Content-Encoding": "gzip", "Content-Length": body.length});
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    res.writeHead(200, {...headers, "Content-Length": info.size});
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(path);
      stream.on("error", () => {
        res.destroy();
        resolve();
      });
      res.on("close", () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }

  private async gzipped(path: string, tag: string): Promise<Buffer> {
    const key = `${path}\0${tag}`;
    const hit = this.gzipCache.get(key);
    if (hit) return hit;
    // Requests arriving while a file is being compressed wait for that compression instead of
    // each starting their own (a burst on a cold cache would otherwise compress it N times).
    let pending = this.gzipPending.get(key);
    if (!pending) {
      pending = this.compress(path, key).finally(() => this.gzipPending.delete(key));
      this.gzipPending.set(key, pending);
    }
    return pending;
  }

  private async compress(path: string, key: string): Promise<Buffer> {
    const body = await gzip(await readFile(path), {level: 6});
    if (body.length <= GZIP_CACHE_BYTES) {
      while (this.gzipCacheBytes + body.length > GZIP_CACHE_BYTES && this.gzipCache.size > 0) {
        const [oldest, value] = this.gzipCache.entries().next().value as [string, Buffer];
        this.gzipCache.delete(oldest);
        this.gzipCacheBytes -= value.length;
      }
      this.gzipCache.set(key, body);
      this.gzipCacheBytes += body.length;
    }
    return body;
  }

  /** A folder's own address: its index.html, else a short page linking its files (not sub-folders). */
  private async sendIndex(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const index = join(base, "index.html");
    if (
      await stat(index)
        .then((s) => s.isFile())
        .catch(() => false)
    ) {
      await this.sendFile(req, res, await resolveFile(base, ["index.html"]));
      return;
    }
    const names = (await readdir(base)).filter((n) => !n.startsWith(".")).sort();
    const links = names.map((n) => `<li><a href="${encodeURIComponent(n)}">${escapeHtml(n)}</a></li>`).join("");
    const body = `<!doctype html><meta charset="utf-8"><title>fmnist serve</title><h1>fmnist serve</h1><ul>${links}</ul>\n`;
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-cache"
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }
}

/** The real path of an existing folder, or a {@link UserError} saying why it cannot be served. */
async function realFolder(folder: string): Promise<string> {
  try {
    const real = await realpath(folder);
    if (!(await stat(real)).isDirectory()) throw new UserError(`${folder} is not a folder`);
    return real;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot serve ${folder}: ${(error as Error).message}`);
  }
}

/** The real path of the file for `segments`, which must be a regular file inside the folder `base`. */
async function resolveFile(base: string, segments: string[]): Promise<string> {
  const real = await realpath(join(base, ...segments)).catch((error: unknown) => {
    if (isEnoent(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") throw new HttpError("not found", 404);
    throw error;
  });
  if (!real.startsWith(base + sep)) throw new HttpError("forbidden: outside the served folder", 403);
  const info = await stat(real);
  if (!info.isFile()) throw new HttpError("not found", 404);
  return real;
}

/**
 * The path segments of a request target, refusing (403) anything that could step outside the
 * root or mean something else on some file system: `.`/`..` (also percent-encoded), encoded `/`,
 * backslashes (raw or encoded), NUL and other control characters, and dot-files. 400 for targets
 * that are not a path or not valid percent-encoding.
 */
export function parseRequestPath(target: string): string[] {
  if (!target.startsWith("/")) throw new HttpError("bad request target", 400);
  const rawPath = target.split(/[?#]/, 1)[0];
  if (/%2f|%5c|\\|%00/i.test(rawPath)) throw new HttpError("forbidden: encoded slash, backslash or NUL in path", 403);
  const segments: string[] = [];
  for (const raw of rawPath.split("/")) {
    if (raw === "") continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new HttpError("bad percent-encoding in path", 400);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(segment)) throw new HttpError("forbidden: control character in path", 403);
    if (segment === "." || segment === "..") throw new HttpError("forbidden: dot segment in path", 403);
    if (segment.startsWith(".")) throw new HttpError("not found", 404);
    segments.push(segment);
  }
  return segments;
}

function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function etagMatches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === tag);
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
