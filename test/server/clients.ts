/**
 * Well-behaved and hostile HTTP clients for the server tests, on raw sockets or node:http (so that
 * request targets reach the server exactly as written), and a count of this process's open file
 * descriptors (the server runs in the test's process).
 */
import {readdirSync, readlinkSync} from "node:fs";
import {request as httpRequest, type IncomingHttpHeaders} from "node:http";
import {connect, type Socket} from "node:net";

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface GetOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Local address to connect from (127.0.0.2 stands for another machine). */
  localAddress?: string;
}

/** One request on a fresh connection. */
export function get(port: number, path: string, options: GetOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}));
        res.on("error", reject);
      }
    );
    req.on("error", reject);
    req.end();
  });
}

/** A raw connection that records everything it receives and whether the server closed it. */
export interface RawClient {
  socket: Socket;
  received(): Buffer;
  closed: Promise<void>;
  isClosed(): boolean;
}

export function rawClient(port: number, localAddress?: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let isClosed = false;
    const socket = connect({port, host: "127.0.0.1", localAddress});
    const closed = new Promise<void>((done) =>
      socket.on("close", () => {
        isClosed = true;
        done();
      })
    );
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => undefined); // resets by the server are expected
      resolve({socket, received: () => Buffer.concat(chunks), closed, isClosed: () => isClosed});
    });
    socket.once("error", reject);
  });
}

/** Sends a request and hangs up before any response can arrive. */
export async function hangUp(port: number, path: string): Promise<void> {
  const client = await rawClient(port);
  client.socket.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  client.socket.destroy();
  await client.closed;
}

/** Starts a request and then sends one more header line every `everyMs`, never finishing it (slowloris). */
export async function slowHeaders(port: number, localAddress?: string, everyMs = 500): Promise<RawClient> {
  const client = await rawClient(port, localAddress);
  client.socket.write("GET /config.json HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  let n = 0;
  const timer = setInterval(() => {
    if (client.isClosed()) clearInterval(timer);
    else client.socket.write(`X-Slow-${n++}: 1\r\n`);
  }, everyMs);
  void client.closed.then(() => clearInterval(timer));
  return client;
}

/** Requests `path` and never reads the response (the socket stays paused). */
export async function neverRead(port: number, path: string, localAddress?: string): Promise<RawClient> {
  const client = await rawClient(port, localAddress);
  client.socket.pause();
  client.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return client;
}

/** How many of this process's file descriptors are open on `realPath`. */
export function openFdsTo(realPath: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === realPath) n++;
    } catch {
      // closed while we looked
    }
  }
  return n;
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; returns its last value. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Splits a raw HTTP/1.1 response into its header block and the bytes after it. */
export function splitResponse(raw: Buffer): {head: string; body: Buffer} {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return {head: raw.toString("latin1"), body: Buffer.alloc(0)};
  return {head: raw.subarray(0, end).toString("latin1"), body: raw.subarray(end + 4)};
}

export function contentLength(head: string): number {
  const match = /\r\ncontent-length: *(\d+)/i.exec(head);
  return match ? Number(match[1]) : -1;
}
