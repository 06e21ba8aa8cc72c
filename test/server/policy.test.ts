/**
 * What other web pages may do with the server: a DNS-rebinding page (its own Host name) gets 403
 * from a loopback server, CORS is sent only for the paths asked for, and every response carries
 * the Content-Security-Policy and nosniff. Real sockets on loopback.
 */
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {hostAllowed, isLoopbackAddress} from "../../src/node/server/policy.js";
import {StaticServer} from "../../src/node/server/staticServer.js";
import {get} from "./clients.js";

let dir: string;
let server: StaticServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-policy-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dir, "config.json"), '{"secret":"/home/user/run"}\n');
  writeFileSync(join(dir, "shared.json"), "{}\n");
  server = await StaticServer.start({root: dir, port: 0, corsPaths: ["/shared.json"]});
});
afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

describe("StaticServer on loopback: Host header check (DNS rebinding)", () => {
  for (const host of ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io", "x y"]) {
    it(`refuses Host: ${host} with 403 and without the file`, async () => {
      const r = await get(server.port, "/config.json", {headers: {Host: host}});
      expect(r.status).toBe(403);
      expect(r.body.toString()).not.toContain("secret");
      expect(r.body.toString()).toMatch(/answers to localhost/);
    });
  }

  for (const host of ["localhost", "LOCALHOST:8000", "127.0.0.1:1234", "[::1]:8000", "app.localhost", "10.0.0.7"]) {
    it(`answers Host: ${host}`, async () => {
      expect((await get(server.port, "/config.json", {headers: {Host: host}})).status).toBe(200);
    });
  }

  it("answers any Host when bound to every interface (serving the network is then explicit)", async () => {
    const open = await StaticServer.start({root: dir, host: "0.0.0.0", port: 0});
    try {
      expect(open.loopback).toBe(false);
      expect((await get(open.port, "/config.json", {headers: {Host: "my-laptop.lan:8000"}})).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it("hostAllowed and isLoopbackAddress", () => {
    const own = new Set(["my-box"]);
    expect(hostAllowed("my-box:8000", own)).toBe(true);
    expect(hostAllowed(undefined, own)).toBe(true);
    expect(hostAllowed("evil.example", own)).toBe(false);
    expect(hostAllowed("[::1", own)).toBe(false);
    for (const a of ["127.0.0.1", "127.0.1.1", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(a), a).toBe(true);
    }
    for (const a of ["0.0.0.0", "::", "0:0:0:0:0:0:0:0", "192.168.1.5", "fe80::1", "::ffff:10.0.0.1"]) {
      expect(isLoopbackAddress(a), a).toBe(false);
    }
  });
});

describe("StaticServer: CORS and security headers", () => {
  it("sends Access-Control-Allow-Origin only on the paths named in corsPaths", async () => {
    expect((await get(server.port, "/shared.json")).headers["access-control-allow-origin"]).toBe("*");
    expect((await get(server.port, "/config.json")).headers["access-control-allow-origin"]).toBeUndefined();
    expect((await get(server.port, "/")).headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await get(server.port, "/config.json", {
      method: "OPTIONS",
      headers: {Origin: "https://evil.example", "Access-Control-Request-Method": "GET"}
    });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("sends a Content-Security-Policy, nosniff and no referrer with the app and with errors", async () => {
    for (const path of ["/", "/config.json", "/missing.js"]) {
      const r = await get(server.port, path);
      expect(r.headers["content-security-policy"], path).toMatch(/default-src 'self'/);
      expect(r.headers["content-security-policy"], path).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
      expect(r.headers["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
      expect(r.headers["x-content-type-options"], path).toBe("nosniff");
      expect(r.headers["referrer-policy"], path).toBe("no-referrer");
    }
  });
});
