/**
 * Edge cases of the static server found by probing it: over-long path segments, files over 2 GiB
 * and over the gzip limit (sparse files: no disk space), conditional requests by date, a file's
 * address with a trailing slash, a FIFO among the files, and an error flood in the log.
 */
import {execFileSync} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {StaticServer} from "../../src/node/server/staticServer.js";
import type {Logger} from "../../src/core/effects.js";
import {get, rawClient, splitResponse} from "./clients.js";

let dir: string;
let server: StaticServer;
const logged: string[] = [];
const logger: Logger = {info: (m) => logged.push(m), warn: (m) => logged.push(m)};
const TSV = Array.from({length: 20_000}, (_, i) => `${i}\t${(i / 7).toFixed(4)}`).join("\n") + "\n";

function sparse(path: string, size: number): void {
  writeFileSync(path, "");
  truncateSync(path, size);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-edges-"));
  mkdirSync(join(dir, "export"));
  writeFileSync(join(dir, "export", "config.json"), '{"embeddings":[]}\n');
  writeFileSync(join(dir, "data.tsv"), TSV);
  utimesSync(join(dir, "data.tsv"), new Date("2024-05-01T10:00:00Z"), new Date("2024-05-01T10:00:00Z"));
  sparse(join(dir, "huge.txt"), 2 ** 31 + 5); // over 2 GiB: more than one Buffer can hold
  sparse(join(dir, "big.tsv"), 65 * 1024 * 1024 + 1); // over the gzip limit
  execFileSync("mkfifo", [join(dir, "pipe.txt")]);
  server = await StaticServer.start({
    root: dir,
    mounts: {projector: join(dir, "export")},
    port: 0,
    logger,
    rewrites: {
      "/data.tsv": () => {
        throw new Error("rewrite failed");
      }
    }
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

describe("StaticServer edge cases", () => {
  it("answers 404 to a 300-character path segment and to a path too long for the file system, logging nothing", async () => {
    expect((await get(server.port, `/${"a".repeat(300)}`)).status).toBe(404);
    expect((await get(server.port, `/projector/${"b".repeat(300)}.json`)).status).toBe(404);
    expect((await get(server.port, `/${"c/".repeat(2100)}x`)).status).toBe(404); // > PATH_MAX
    expect(logged).toEqual([]);
  });

  it("logs a few shortened lines, not one full URL per request, when requests fail", async () => {
    const long = `/data.tsv?${"q".repeat(5000)}`;
    const statuses = await Promise.all(Array.from({length: 50}, () => get(server.port, long).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([500]));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.length).toBeLessThanOrEqual(6);
    for (const line of logged) expect(line.length).toBeLessThan(300);
    logged.length = 0;
  });

  it("serves a compressible file over 2 GiB without gzip instead of failing", async () => {
    const head = await get(server.port, "/huge.txt", {method: "HEAD", headers: {"Accept-Encoding": "gzip"}});
    expect(head.status).toBe(200);
    expect(head.headers["content-encoding"]).toBeUndefined();
    expect(head.headers["content-length"]).toBe(String(2 ** 31 + 5));
    const client = await rawClient(server.port);
    client.socket.write("GET /huge.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n");
    await new Promise((r) => client.socket.once("data", r));
    client.socket.destroy();
    expect(splitResponse(client.received()).head).toMatch(/^HTTP\/1.1 200 /);
  });

  it("compresses files up to 64 MiB once (same body, same ETag) and sends larger ones uncompressed", async () => {
    const gz = {"Accept-Encoding": "gzip"};
    const [a, b] = [
      await get(server.port, "/projector/config.json", {headers: gz}),
      await get(server.port, "/big.tsv", {method: "HEAD", headers: gz})
    ];
    expect(a.headers["content-encoding"]).toBeUndefined(); // tiny: not worth it
    expect(b.headers["content-encoding"]).toBeUndefined();
    expect(b.headers["content-length"]).toBe(String(65 * 1024 * 1024 + 1));
    const served = await StaticServer.start({root: dir, port: 0});
    try {
      const first = await get(served.port, "/data.tsv", {headers: gz});
      const second = await get(served.port, "/data.tsv", {headers: gz});
      expect(first.headers["content-encoding"]).toBe("gzip");
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.body.equals(first.body)).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("answers If-Modified-Since with 304 when the file is not newer, and lets If-None-Match decide when both are sent", async () => {
    const served = await StaticServer.start({root: dir, port: 0});
    try {
      const first = await get(served.port, "/data.tsv");
      expect(first.headers["last-modified"]).toBe("Wed, 01 May 2024 10:00:00 GMT");
      const same = await get(served.port, "/data.tsv", {
        headers: {"If-Modified-Since": "Wed, 01 May 2024 10:00:00 GMT"}
      });
      expect(same.status).toBe(304);
      expect(same.body.length).toBe(0);
      const older = await get(served.port, "/data.tsv", {
        headers: {"If-Modified-Since": "Wed, 01 May 2024 09:59:59 GMT"}
      });
      expect(older.status).toBe(200);
      const garbage = await get(served.port, "/data.tsv", {headers: {"If-Modified-Since": "yesterday"}});
      expect(garbage.status).toBe(200);
      const both = await get(served.port, "/data.tsv", {
        headers: {"If-Modified-Since": "Wed, 01 May 2024 10:00:00 GMT", "If-None-Match": '"other"'}
      });
      expect(both.status).toBe(200);
    } finally {
      await served.close();
    }
  });

  it("serves a file only at its own address: not with a trailing slash or an empty segment", async () => {
    expect((await get(server.port, "/projector/config.json")).status).toBe(200);
    expect((await get(server.port, "/projector/config.json/")).status).toBe(404);
    expect((await get(server.port, "/projector//config.json")).status).toBe(404);
    const bare = await get(server.port, "/projector");
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe("/projector/");
  });

  it("answers 404 for a FIFO among the files at once (no blocking open)", async () => {
    expect((await get(server.port, "/pipe.txt")).status).toBe(404);
  });
});
