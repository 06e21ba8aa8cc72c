/** `fmnist start`: the first start makes the export (real data, a small slice), later starts reuse it. */
import {mkdtempSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {hasExport, startCommand} from "../../src/cli/commands/start.js";
import {recordingEffects} from "../helpers/effects.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-start-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

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
