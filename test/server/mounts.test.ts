/**
 * Folders mounted at /<name>/ beside the root: each is served from its own folder, and no request
 * through a mount reaches a file of the root, of another mount, or outside (raw node:http paths).
 */
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {request as httpRequest} from "node:http";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {StaticServer} from "../../src/node/server/staticServer.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-mounts-"));
let server: StaticServer;

function get(path: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: "127.0.0.1", port: server.port, path, agent: false}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString()}));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  for (const name of ["app", "export", "run", "secret"]) mkdirSync(join(root, name));
  writeFileSync(join(root, "app", "index.html"), "app index");
  writeFileSync(join(root, "app", "main.js"), "app js");
  writeFileSync(join(root, "export", "config.json"), "export config");
  writeFileSync(join(root, "run", "metrics.jsonl"), "run log");
  writeFileSync(join(root, "secret", "key.txt"), "secret");
  symlinkSync(join(root, "secret"), join(root, "run", "escape"));
  server = await StaticServer.start({
    root: join(root, "app"),
    mounts: {projector: join(root, "export"), runs: join(root, "run")},
    port: 0
  });
});

afterAll(async () => {
  await server.close();
  rmSync(root, {recursive: true, force: true});
});

describe("StaticServer mounts", () => {
  it("serves each mount from its own folder and the root everywhere else", async () => {
    expect(await get("/")).toEqual({status: 200, body: "app index"});
    expect(await get("/main.js")).toEqual({status: 200, body: "app js"});
    expect(await get("/projector/config.json")).toEqual({status: 200, body: "export config"});
    expect(await get("/runs/metrics.jsonl")).toEqual({status: 200, body: "run log"});
    expect((await get("/runs/")).body).toContain('href="metrics.jsonl"');
  });

  it("keeps each mount's files inside it", async () => {
    expect((await get("/projector/main.js")).status).toBe(404);
    expect((await get("/projector/../runs/metrics.jsonl")).status).toBe(403);
    expect((await get("/projector/%2e%2e/secret/key.txt")).status).toBe(403);
    expect((await get("/runs/escape/key.txt")).status).toBe(403);
    expect((await get("/runs%2fmetrics.jsonl")).status).toBe(403);
  });

  it("refuses a mount name that is not one path segment", async () => {
    await expect(StaticServer.start({root, mounts: {"a/b": root}, port: 0})).rejects.toThrow(/bad mount name/);
  });
});
