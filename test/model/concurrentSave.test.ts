/**
 * Model saves that a concurrent reader never sees half-done (issue 14, item 4): two real processes
 * save their own models into one folder over and over while this process loads it in a loop. Every
 * load must succeed and give one of the two writers' models, exactly; at the end the folder holds
 * one model.json and the one weights file it references, and nothing else.
 */
import {spawn} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadModel} from "../../src/node/model/io.js";
import {ROOT} from "../helpers/cli.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-concurrent-save-"));
beforeAll(() => selectBackend("cpu"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const SAVES = 25;

function writer(dir: string, seed: number): {done: Promise<number | null>; saved: () => number} {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/helpers/saveLoop.ts", dir, String(SAVES), String(seed)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"]
    }
  );
  let saved = 0;
  child.stdout
    .setEncoding("utf8")
    .on("data", (s: string) => (saved += s.split("\n").filter((l) => l.startsWith("saved")).length));
  return {done: new Promise((resolve) => child.on("close", resolve)), saved: () => saved};
}

/** A fingerprint of a model's weights: the sum of the first kernel. */
function fingerprint(model: tf.LayersModel): number {
  return tf.tidy(() => model.getWeights()[0].sum().dataSync()[0]);
}

describe("saveModel while another process loads", () => {
  it("never gives a reader a missing or mixed model, with two writers in one folder", async () => {
    const dir = join(root, "model");
    const writers = [writer(dir, 1), writer(dir, 1000)];
    let running = true;
    void Promise.all(writers.map((w) => w.done)).then(() => (running = false));
    const seen = new Set<number>();
    const failures: string[] = [];
    let loads = 0;
    let duringSaves = 0;
    while (running) {
      const savedBefore = writers.reduce((n, w) => n + w.saved(), 0);
      if (savedBefore === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      try {
        const model = await loadModel(dir);
        seen.add(Math.round(fingerprint(model) * 1e3));
        model.dispose();
        loads++;
        if (writers.reduce((n, w) => n + w.saved(), 0) > savedBefore) duringSaves++;
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    const codes = await Promise.all(writers.map((w) => w.done));
    console.log(
      `concurrent saves: ${SAVES} x 2 saves, ${loads} loads (${duringSaves} overlapping a save), ${failures.length} failed`
    );
    expect(codes).toEqual([0, 0]);
    expect(failures).toEqual([]);
    expect(duringSaves).toBeGreaterThan(0);
    expect(seen.size).toBeLessThanOrEqual(2); // each writer's own model, never a mixture

    const files = readdirSync(dir).sort();
    const referenced = (
      JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as {weightsManifest: {paths: string[]}[]}
    ).weightsManifest[0].paths;
    expect(files).toEqual(["model.json", ...referenced].sort());
  }, 300_000);
});
