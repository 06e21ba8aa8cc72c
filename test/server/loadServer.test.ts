/**
 * A short load test of the static server (bench/loadServer.ts): 40 concurrent requests each for a
 * Projector config.json and a 10,000-row embedding TSV, with and without gzip, must all succeed,
 * and a well-behaved client must be served while the bench's hostile clients attack.
 * Throughput and latency are measured by `npx tsx bench/loadServer.ts`, not asserted here.
 */
import {mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {loadTest, loadUnderAttack} from "../../bench/loadServer.js";
import {createRandom} from "../../src/core/random.js";
import {StaticServer} from "../../src/node/server/staticServer.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-load-"));
  const random = createRandom(7);
  const rows = Array.from({length: 10_000}, () =>
    Array.from({length: 64}, () => (random() * 4 - 2).toFixed(5)).join("\t")
  );
  writeFileSync(join(dir, "embedding_tensors.tsv"), rows.join("\n") + "\n");
  const config = {embeddings: [{tensorName: "test", tensorShape: [10_000, 64], tensorPath: "embedding_tensors.tsv"}]};
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  writeFileSync(join(dir, "raw_tensors.bytes"), "");
  truncateSync(join(dir, "raw_tensors.bytes"), 16 << 20); // sparse; larger than a socket's buffers
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("the static server under concurrent load", () => {
  it("answers a cold burst of 8 gzip requests for the same file with the same compressed body", async () => {
    const server = await StaticServer.start({root: dir, port: 0});
    try {
      const responses = await Promise.all(
        Array.from({length: 8}, () =>
          fetch(`${server.url}/embedding_tensors.tsv`, {headers: {"accept-encoding": "gzip"}})
        )
      );
      for (const r of responses) {
        expect(r.status).toBe(200);
        expect(r.headers.get("content-encoding")).toBe("gzip");
      }
      const lengths = new Set(responses.map((r) => r.headers.get("content-length")));
      expect(lengths.size).toBe(1);
      const texts = await Promise.all(responses.map((r) => r.text())); // fetch gunzips
      expect(new Set(texts).size).toBe(1);
      expect(texts[0]).toBe(readFileSync(join(dir, "embedding_tensors.tsv"), "utf8"));
    } finally {
      await server.close();
    }
  }, 30_000);

  for (const gzip of [false, true]) {
    it(`answers every request with 2xx and no errors (8 connections, 40 requests per file, ${gzip ? "gzip" : "identity"})`, async () => {
      // A number of requests rather than a duration: on a busy machine the first gzip of the TSV
      // alone can take longer than a short run.
      const results = await loadTest(dir, {amount: 40, connections: 8, gzip});
      for (const r of results) {
        expect(r.requests, r.path).toBe(40);
        expect([r.errors, r.timeouts, r.non2xx], r.path).toEqual([0, 0, 0]);
      }
    }, 30_000);
  }

  it("serves a well-behaved client while the bench's hostile clients attack from its own address (scaled down)", async () => {
    // A number of requests, not a duration: on a busy machine the server may get little CPU for seconds.
    // (An attack from another address is kept out by the per-address cap: test/server/abuse.test.ts.)
    const [r] = await loadUnderAttack(dir, {amount: 20, durationSeconds: 2, connections: 4, warmupSeconds: 1}, [
      {name: "same address", attack: {slow: 150, stalled: 8, hangups: 5, pipelined: 1, from: "127.0.0.1"}}
    ]);
    expect(r.good.requests).toBeGreaterThan(0);
    expect(r.good.non2xx).toBe(0);
    expect(r.attack?.connections).toBeGreaterThan(150);
    expect(r.attack?.hangups).toBeGreaterThan(0);
    expect(r.server.connections).toBeLessThanOrEqual(64 + 4 + 2 + 8); // the cap, both good clients, slack
  }, 90_000);
});
