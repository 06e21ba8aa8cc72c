/**
 * The static server on 127.0.0.1 (a free port): what it serves and how, and everything it must
 * refuse. Requests are made with node:http so that paths reach the server exactly as written
 * (fetch would normalise `..` away).
 */
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {connect} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import type {HttpError} from "../../src/node/server/httpError.js";
import {parseRequestPath} from "../../src/node/server/requestPath.js";
import {StaticServer} from "../../src/node/server/staticServer.js";
import {get, type Reply} from "./clients.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-serve-"));
const served = join(root, "served");
const TSV = Array.from({length: 200}, (_, i) => `${i}\t${i / 7}\t${i * 3}`).join("\n") + "\n";
let server: StaticServer;

function request(
  path: string,
  options: {method?: string; headers?: Record<string, string>; port?: number} = {}
): Promise<Reply> {
  return get(options.port ?? server.port, path, options);
}

beforeAll(async () => {
  mkdirSync(join(served, "sub"), {recursive: true});
  writeFileSync(join(served, "config.json"), '{"embeddings":[]}\n');
  writeFileSync(join(served, "data.tsv"), TSV);
  writeFileSync(join(served, "sprite.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(served, "sub", "inner.txt"), "inner\n");
  writeFileSync(join(served, ".hidden"), "hidden\n");
  writeFileSync(join(root, "secret.txt"), "SECRET\n");
  symlinkSync(join(root, "secret.txt"), join(served, "link-out.txt"));
  symlinkSync(join(served, "sub", "inner.txt"), join(served, "link-in.txt"));
  server = await StaticServer.start({
    root: served,
    host: "127.0.0.1",
    port: 0,
    corsPaths: ["/config.json"],
    headersTimeoutMs: 300,
    maxHeaderSize: 4096
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(root, {recursive: true, force: true});
});

describe("StaticServer: what it serves", () => {
  it("binds 127.0.0.1 and serves files with content type, length and ETag, and CORS where asked", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const r = await request("/config.json");
    expect(r.status).toBe(200);
    expect(r.headers["access-control-allow-origin"]).toBe("*");
    expect((await request("/data.tsv")).headers["access-control-allow-origin"]).toBeUndefined();
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(r.headers["content-length"]).toBe(String(r.body.length));
    expect(r.body.toString()).toBe('{"embeddings":[]}\n');
    expect(r.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await request("/config.json", {headers: {"If-None-Match": r.headers.etag as string}});
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await request("/sprite.png")).headers["content-type"]).toBe("image/png");
  });

  it("gzips TSV for clients that accept it, with its own ETag", async () => {
    const plain = await request("/data.tsv");
    expect(plain.headers["content-type"]).toBe("text/tab-separated-values; charset=utf-8");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    const zipped = await request("/data.tsv", {headers: {"Accept-Encoding": "gzip, deflate, br"}});
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.body.length).toBeLessThan(TSV.length);
    expect(gunzipSync(zipped.body).toString()).toBe(TSV);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    const refused = await request("/data.tsv", {headers: {"Accept-Encoding": "gzip;q=0"}});
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("answers HEAD without a body and OPTIONS as a CORS preflight", async () => {
    const head = await request("/data.tsv", {method: "HEAD"});
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(Buffer.byteLength(TSV)));
    expect(head.body.length).toBe(0);
    const options = await request("/config.json", {method: "OPTIONS"});
    expect(options.status).toBe(204);
    expect(options.headers["access-control-allow-methods"]).toContain("GET");
    expect(options.headers["access-control-allow-private-network"]).toBe("true");
    const other = await request("/data.tsv", {method: "OPTIONS"});
    expect(other.status).toBe(204);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("follows links that stay inside, lists the root and nothing else", async () => {
    expect((await request("/link-in.txt")).body.toString()).toBe("inner\n");
    expect((await request("/sub/inner.txt")).status).toBe(200);
    const index = await request("/");
    expect(index.status).toBe(200);
    expect(index.body.toString()).toContain('href="config.json"');
    expect(index.body.toString()).not.toContain(".hidden");
    expect((await request("/sub")).status).toBe(404);
    expect((await request("/sub/")).status).toBe(404);
    expect((await request("/missing.json")).status).toBe(404);
  });

  it("serves 200 concurrent requests without an error", async () => {
    // Its own server with the default header timeout (the suite's 300 ms is too short for a burst on a
    // busy machine), and room for 200 connections from one address (the default cap is 64).
    const patient = await StaticServer.start({root: served, port: 0, maxConnectionsPerIp: 200});
    try {
      const replies = await Promise.all(Array.from({length: 200}, () => request("/config.json", {port: patient.port})));
      expect(replies.map((r) => r.status)).toEqual(new Array<number>(200).fill(200));
    } finally {
      await patient.close();
    }
  });
});

describe("StaticServer: what it refuses", () => {
  const attempts = [
    "/../secret.txt",
    "/sub/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/sub/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/sub\\..\\..\\secret.txt",
    "/config.json%00.png",
    "/%00",
    "/link-out.txt",
    "/.hidden",
    "//secret.txt",
    `/${encodeURIComponent(join(root, "secret.txt"))}`
  ];
  for (const path of attempts) {
    it(`refuses ${path} with 403 or 404`, async () => {
      const r = await request(path);
      expect([403, 404]).toContain(r.status);
      expect(r.body.toString()).not.toContain("SECRET");
      expect(r.headers["access-control-allow-origin"]).toBeUndefined();
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    });
  }

  it("answers 400 to targets that are not paths or not valid percent-encoding", async () => {
    expect((await request("/%E0%A4%A")).status).toBe(400);
    expect((await request("http://example.org/../secret.txt")).status).toBe(400);
  });

  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    it(`answers 405 to ${method}, naming the allowed methods`, async () => {
      const r = await request("/config.json", {method});
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe("GET, HEAD, OPTIONS");
    });
  }

  it("answers 431 to oversized headers", async () => {
    const r = await request("/config.json", {headers: {"X-Big": "x".repeat(8000)}});
    expect(r.status).toBe(431);
  });

  it("drops a client that sends its headers too slowly", async () => {
    const closed = await new Promise<{ms: number; data: string}>((resolve) => {
      const start = Date.now();
      let data = "";
      const socket = connect(server.port, "127.0.0.1", () => socket.write("GET /config.json HTTP/1.1\r\nHost: x\r\n"));
      socket.on("data", (d) => (data += d.toString()));
      socket.on("close", () => resolve({ms: Date.now() - start, data}));
      socket.on("error", () => undefined);
    });
    expect(closed.ms).toBeLessThan(5000);
    expect(closed.data).toMatch(/^$|408/);
  });
});

describe("parseRequestPath(target)", () => {
  it("splits and decodes a clean path", () => {
    expect(parseRequestPath("/a/b%20c.tsv?x=1")).toEqual({segments: ["a", "b c.tsv"], folder: false});
    expect(parseRequestPath("/a/")).toEqual({segments: ["a"], folder: true});
    expect(parseRequestPath("/")).toEqual({segments: [], folder: true});
  });
  it("throws HttpErrors with the right status", () => {
    const status = (t: string) => {
      try {
        parseRequestPath(t);
        return 200;
      } catch (error) {
        return (error as HttpError).statusCode;
      }
    };
    expect(status("/a/%2e%2e/b")).toBe(403);
    expect(status("/a%2Fb")).toBe(403);
    expect(status("/a\\b")).toBe(403);
    expect(status("/a%01b")).toBe(403);
    expect(status("/.git/config")).toBe(404);
    expect(status("/a//b")).toBe(404);
    expect(status(`/${"x".repeat(256)}`)).toBe(404);
    expect(status("a/b")).toBe(400);
  });
});

describe("StaticServer.start errors", () => {
  it("reports a port in use and a missing folder as CliErrors", async () => {
    await expect(StaticServer.start({root: served, port: server.port})).rejects.toThrow(
      /port \d+ on 127.0.0.1 is in use/
    );
    await expect(StaticServer.start({root: join(root, "nope"), port: 0})).rejects.toThrow(/cannot serve/);
  });
});
