/**
 * A small static file server for the web app and its data folders, on Node's `http`: one root
 * folder at `/` plus named folders mounted at `/<name>/` (the export at `/projector/`, say); GET
 * and HEAD only. Files come from `sendFile.ts` (exact lengths, ETag/Last-Modified, cached gzip),
 * paths from `requestPath.ts` (no way out of a folder), headers and the Host check from
 * `policy.ts`. Slow and hostile clients are bounded here and in `connectionGuard.ts`: header,
 * request and idle (no bytes moved, also for clients that stop reading) timeouts, connection caps
 * that evict the most wasteful connection, at most 100 requests per connection, handled one at a
 * time, so that one client cannot occupy the file system for the others.
 */
import {readdir, realpath, stat} from "node:fs/promises";
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo, Socket} from "node:net";
import {join} from "node:path";

import type {Logger} from "../../core/effects.js";
import {UserError} from "../../core/errors.js";
import {HttpError} from "./httpError.js";
import {ConnectionGuard} from "./connectionGuard.js";
import {GzipCache} from "./gzipCache.js";
import {CORS_HEADERS, hostAllowed, hostName, isLoopbackAddress, PREFLIGHT_HEADERS, SECURITY_HEADERS} from "./policy.js";
import {parseRequestPath, resolveInside, statusOf} from "./requestPath.js";
import {sendFile} from "./sendFile.js";
import {ThrottledLog} from "./throttledLog.js";

export {CONTENT_TYPES} from "./sendFile.js";

/** Rewrites a served file's bytes for one request (`origin`: `http://host:port` as the client addressed us). */
export type Rewrite = (body: Buffer, origin: string) => Buffer | undefined;

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
  /** Errors (500s) are reported here, at most a few lines a minute (default: none). */
  logger?: Logger;
  /** URL paths (e.g. `/projector/config.json`) that other sites may read: `Access-Control-Allow-Origin: *`. */
  corsPaths?: Iterable<string>;
  /** URL paths whose bytes are rewritten per request (small files; see {@link Rewrite}). */
  rewrites?: Readonly<Record<string, Rewrite>>;
  /** Time allowed to receive a request's headers, ms (default 10,000). */
  headersTimeoutMs?: number;
  /** Time allowed for a whole request, ms (default 30,000). */
  requestTimeoutMs?: number;
  /** A connection with no bytes moving either way for this long is closed, ms (default 30,000). */
  idleTimeoutMs?: number;
  /** Largest request header block, bytes (default 16 KiB; larger gets 431). */
  maxHeaderSize?: number;
  /** Open connections in all (default 512). */
  maxConnections?: number;
  /** Open connections per client address (default 64; a browser opens 6 per site). */
  maxConnectionsPerIp?: number;
}

/** Requests answered on one connection; later ones get 503 and the client opens another. */
const MAX_REQUESTS_PER_CONNECTION = 100;

/** The running server. */
export class StaticServer {
  private readonly gzipCache = new GzipCache();
  /** The last request being handled on each connection: the next one waits for it. */
  private readonly queues = new WeakMap<Socket, Promise<void>>();
  /** Requests received on each connection. */
  private readonly requestCounts = new WeakMap<Socket, number>();
  private readonly corsPaths: ReadonlySet<string>;
  private readonly log: ThrottledLog | undefined;
  /** Host names answered (when bound to loopback; undefined: any). */
  private readonly ownNames: ReadonlySet<string> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly guard: ConnectionGuard,
    private readonly realRoot: string,
    private readonly realMounts: ReadonlyMap<string, string>,
    private readonly options: StaticServerOptions,
    readonly host: string,
    /** The address actually bound (`0.0.0.0` for `--host 0`, say). */
    readonly address: string,
    readonly port: number
  ) {
    this.corsPaths = new Set(options.corsPaths ?? []);
    this.log = options.logger && new ThrottledLog(options.logger);
    this.ownNames = isLoopbackAddress(address) ? new Set([host.toLowerCase()]) : undefined;
  }

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
      // How often Node checks the header and request timeouts (its default, 30 s, would let them run long).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4)))
    });
    server.headersTimeout = headersTimeout;
    server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    server.timeout = options.idleTimeoutMs ?? 30_000;
    // Longer than Node's 5 s, which starts once a response is handed to the kernel: a busy client
    // still reading a large body lost its end. Idle connections are reclaimed by the guard under pressure.
    server.keepAliveTimeout = server.timeout;
    server.maxRequestsPerSocket = MAX_REQUESTS_PER_CONNECTION;
    const guard = new ConnectionGuard({
      total: options.maxConnections ?? 512,
      perAddress: options.maxConnectionsPerIp ?? 64,
      waitMs: 100,
      stallMs: 500
    });
    guard.attach(server);
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
    const {address, port} = server.address() as AddressInfo;
    const instance = new StaticServer(server, guard, realRoot, realMounts, options, host, address, port);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => instance.enqueue(req, res));
    return instance;
  }

  /** `http://host:port` (IPv6 hosts in brackets). */
  get url(): string {
    const host = this.host.includes(":") ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  /** Connections open now. */
  get connections(): number {
    return this.guard.size;
  }

  /** Connections turned away (no room) and closed to make room (see connectionGuard.ts), since the start. */
  get shed(): {refused: number; evicted: number} {
    return {...this.guard.counts};
  }

  /** Whether only this machine can connect (the bound address is a loopback one). */
  get loopback(): boolean {
    return isLoopbackAddress(this.address);
  }

  /** Stops accepting connections, lets requests in flight finish for up to `graceMs`, then closes the rest. */
  async close(graceMs = 2000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  /** Requests pipelined on one connection are handled one after the other (their answers go out in order anyway). */
  private enqueue(req: IncomingMessage, res: ServerResponse): void {
    const count = (this.requestCounts.get(req.socket) ?? 0) + 1;
    this.requestCounts.set(req.socket, count);
    // Node answers requests past maxRequestsPerSocket with 503 but keeps the connection open, so a
    // client that ignores "Connection: close" would get nothing else; close it after the last one.
    if (count >= MAX_REQUESTS_PER_CONNECTION) res.setHeader("Connection", "close");
    const previous = this.queues.get(req.socket) ?? Promise.resolve();
    const next = previous.then(() => this.handle(req, res));
    this.queues.set(req.socket, next);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (res.destroyed) return;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    try {
      if (this.ownNames && !hostAllowed(req.headers.host, this.ownNames)) {
        throw new HttpError(
          `forbidden: this server answers to localhost, not to the Host "${shorten(req.headers.host ?? "")}"`,
          403
        );
      }
      const {segments, folder} = parseRequestPath(req.url ?? "/");
      const urlPath = "/" + segments.join("/");
      const cors = this.corsPaths.has(urlPath);
      if (cors) for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
      const method = req.method ?? "GET";
      if (method === "OPTIONS") {
        res.writeHead(204, {Allow: "GET, HEAD, OPTIONS", ...(cors ? PREFLIGHT_HEADERS : {})});
        res.end();
        return;
      }
      if (method !== "GET" && method !== "HEAD") {
        res.setHeader("Allow", "GET, HEAD, OPTIONS");
        throw new HttpError(`method ${method} not allowed`, 405);
      }
      const mounted = segments.length > 0 ? this.realMounts.get(segments[0]) : undefined;
      const base = mounted ?? this.realRoot;
      const rest = mounted === undefined ? segments : segments.slice(1);
      if (rest.length === 0) {
        if (!folder) {
          // `/projector` → `/projector/`, so that the page's relative links resolve inside the mount.
          res.writeHead(301, {Location: `${urlPath}/`, "Content-Length": 0}).end();
          return;
        }
        await this.sendIndex(req, res, base);
        return;
      }
      if (folder) throw new HttpError("not found", 404); // only a mount's own address is a folder
      const rewrite = this.options.rewrites?.[urlPath];
      await sendFile(req, res, await resolveInside(base, rest), {
        gzipCache: this.gzipCache,
        rewrite: rewrite && ((body) => rewrite(body, this.originOf(req)))
      });
    } catch (error) {
      this.fail(req, res, error);
    }
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const status = statusOf(error);
    if (status >= 500) this.log?.warn(`serve: ${req.method} ${shorten(req.url ?? "")}: ${(error as Error).message}`);
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const reason = status === 500 ? "internal error" : status === 503 ? "busy, try again" : (error as Error).message;
    const body = `${status} ${reason}\n`;
    res.writeHead(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      ...(status === 503 ? {"Retry-After": "1"} : {})
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  /** `http://<Host>` as the client addressed this server, or this server's own address. */
  private originOf(req: IncomingMessage): string {
    const header = req.headers.host;
    const name = header === undefined ? undefined : hostName(header);
    if (header !== undefined && name !== undefined) return `http://${header.trim().toLowerCase()}`;
    return this.url;
  }

  /** A folder's own address: its index.html, else a short page linking its files (not sub-folders). */
  private async sendIndex(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const index = join(base, "index.html");
    if (
      await stat(index)
        .then((s) => s.isFile())
        .catch(() => false)
    ) {
      await sendFile(req, res, await resolveInside(base, ["index.html"]), {gzipCache: this.gzipCache});
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

/** A client-supplied string fit for one log line or message: at most 100 characters, control characters escaped. */
function shorten(text: string): string {
  const clipped = text.length > 100 ? `${text.slice(0, 100)}… (${text.length} characters)` : text;
  return JSON.stringify(clipped).slice(1, -1);
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
