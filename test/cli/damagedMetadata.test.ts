/**
 * A damaged metadata.json beside a model (issue 14, item 12) through the real CLI: classify,
 * evaluate, calibrate and export each end with exit 1 and one line naming the file and the wrong
 * field (they ended with exit 70, or printed `undefined` as a class name, before).
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";

import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {runCli} from "../helpers/cli.js";
import {writeRealSlice} from "../helpers/dataSlice.js";

// Child processes of the real CLI: minutes each when the machine is loaded.
vi.setConfig({testTimeout: 900_000, hookTimeout: 900_000});

const root = mkdtempSync(join(tmpdir(), "fmnist-damaged-metadata-"));
const dataDir = join(root, "data");
beforeAll(() => writeRealSlice(dataDir, 100, 50));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const real = readFileSync(join(DEFAULT_MODEL_DIR, "metadata.json"), "utf8");

/** A copy of the shipped model whose metadata.json is `text`. */
function modelWith(name: string, text: string): string {
  const dir = join(root, name);
  cpSync(DEFAULT_MODEL_DIR, dir, {recursive: true, filter: (src) => !src.includes("/run")});
  writeFileSync(join(dir, "metadata.json"), text);
  return dir;
}

function damaged(edit: (m: Record<string, unknown>) => void): string {
  const m = JSON.parse(real) as Record<string, unknown>;
  edit(m);
  return JSON.stringify(m);
}

const VARIANTS: [string, string, string][] = [
  ["truncated", real.slice(0, 400), "not valid JSON"],
  [
    "class-names-string",
    damaged((m) => (m.classNames = "T-shirt")),
    'field "classNames" is wrong: expected array, received string'
  ],
  ["class-names-empty", damaged((m) => (m.classNames = [])), 'field "classNames" is wrong: Too small'],
  ["metrics-7", damaged((m) => (m.metrics = 7)), 'field "metrics" is wrong: expected record, received number'],
  [
    "input-shape-null",
    damaged((m) => ((m.input as Record<string, unknown>).shape = null)),
    'field "input.shape" is wrong: expected array, received null'
  ]
];

const data = ["--data-dir", dataDir, "--no-verify"];
const COMMANDS: Record<string, (model: string) => string[]> = {
  classify: (model) => ["classify", "sample_images/sneaker.jpg", "--model", model],
  evaluate: (model) => ["evaluate", "--model", model, "--limit", "50", ...data],
  calibrate: (model) => ["calibrate", "--model", model, "--count", "50", ...data],
  export: (model) => [
    "export",
    "--model",
    model,
    "--out",
    join(model, "..", `${model.split("/").pop()}-export`),
    "--count",
    "16",
    ...data
  ]
};

describe("a damaged metadata.json", () => {
  // Every variant once, every command at least once (test/model/metadataFuzz.test.ts covers the schema).
  const byName = Object.fromEntries(VARIANTS.map(([name, text, message]) => [name, {text, message}]));
  const runs = (
    [
      ["classify", "truncated"],
      ["classify", "input-shape-null"],
      ["evaluate", "metrics-7"],
      ["calibrate", "class-names-empty"],
      ["export", "class-names-string"]
    ] as const
  ).map(([command, name]) => [command, name, byName[name].text, byName[name].message] as const);
  for (const [command, name, text, message] of runs) {
    it.concurrent(
      `${command}: ${name} gives exit 1 and one line naming the field`,
      async () => {
        const model = modelWith(`${command}-${name}`, text);
        const r = await runCli(COMMANDS[command](model), 900_000);
        expect(r.code, r.stderr).toBe(1);
        const last = r.stderr.trim().split("\n").at(-1) ?? "";
        expect(last.startsWith(`fmnist: ${join(model, "metadata.json")}: ${message}`), last).toBe(true);
        expect(r.stderr).not.toMatch(/unexpected error|^\s+at /m);
        expect(r.stdout).not.toContain("undefined");
      },
      900_000
    );
  }
});
