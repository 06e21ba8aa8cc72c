/** `fmnist start`: the first start makes the export (real data, a small slice), later starts reuse it. */
import {mkdtempSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {hasExport, startCommand} from "../../src/cli/commands/start.js";
import {recordingEffects} from "../helpers/effects.js";
import type {EmbeddingInfo} from "../../src/core/formats/projector.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-start-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

interface ProjectorConfig {
  embeddings: EmbeddingInfo[];
}

describe("startCommand", () => {
  const dir = join(root, "projector");

  it("exports once when the folder has no export, then serves it at /projector/", async () => {
    expect(await hasExport(dir)).toBe(false);
    const effects = recordingEffects();
    const {lines} = effects;
    const server = await startCommand({dir, count: 64, port: 0}, effects);
    try {
      expect(lines[0]).toMatch(/^first start: exporting the embeddings of 64 test images/);
      expect(await hasExport(dir)).toBe(true);
      const projections = (await (
        await fetch(`http://127.0.0.1:${server.port}/projector/projections.json`)
      ).json()) as {count: number};
      expect(projections.count).toBe(64);
      expect((await fetch(`http://127.0.0.1:${server.port}/model/model.json`)).status).toBe(200);
      // The export was made for port 8000 but is served on another: the Projector, given this
      // server's config.json, must still find every file it names (cross-origin, so with CORS).
      const origin = {headers: {Origin: "https://projector.tensorflow.org"}};
      const config = (await (
        await fetch(`http://localhost:${server.port}/projector/config.json`, origin)
      ).json()) as ProjectorConfig;
      const urls = config.embeddings.flatMap((e) => [e.tensorPath, e.metadataPath, e.sprite.imagePath]);
      expect(urls.length).toBe(6);
      for (const url of urls) {
        expect(url.startsWith(`http://localhost:${server.port}/projector/`), url).toBe(true);
        const r = await fetch(url, origin);
        expect(r.status, url).toBe(200);
        expect(r.headers.get("access-control-allow-origin"), url).toBe("*");
      }
    } finally {
      await server.close();
    }
  });

  it("reuses an existing export without touching it", async () => {
    const before = statSync(join(dir, "projections.json")).mtimeMs;
    const effects = recordingEffects();
    const {lines} = effects;
    const server = await startCommand({dir, port: 0}, effects);
    await server.close();
    expect(lines.some((l) => l.startsWith("first start"))).toBe(false);
    expect(statSync(join(dir, "projections.json")).mtimeMs).toBe(before);
  });
});
