/**
 * Damaged `metadata.json` (issue 14, item 12), as a property over mutations of the shipped
 * model's real file: a value anywhere replaced by arbitrary JSON, a key removed, or the text cut
 * short. `readMetadata` must either return metadata that classify can use as it is (class names to
 * print, out-of-distribution statistics detectOod can apply) or throw a one-line FormatError that
 * names the file; never another exception.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import fc from "fast-check";
import {afterAll, describe, expect, it} from "vitest";

import {FormatError} from "../../src/core/errors.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {readMetadata} from "../../src/node/model/metadataFile.js";

const real = readFileSync(join(DEFAULT_MODEL_DIR, "metadata.json"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "fmnist-metadata-fuzz-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type Path = (string | number)[];

/** Every path to a value in `value` (the root excluded). */
function paths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function mutate(value: Json, path: Path, replacement: Json | undefined): Json {
  const copy = structuredClone(value);
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

/** What classify does with the metadata; must not throw. */
function useLikeClassify(metadata: Awaited<ReturnType<typeof readMetadata>>): void {
  if (!metadata) return;
  expect(metadata.classNames.every((name) => typeof name === "string" && name.length > 0)).toBe(true);
}

describe("readMetadata on damaged copies of the shipped metadata.json", () => {
  it("returns usable metadata or a one-line FormatError naming the file (400 cases)", async () => {
    const parsed = JSON.parse(real) as Json;
    const all = paths(parsed);
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant("replace" as const),
        at: fc.nat(all.length - 1),
        value: fc.jsonValue({maxDepth: 2})
      }),
      fc.record({kind: fc.constant("remove" as const), at: fc.nat(all.length - 1)}),
      fc.record({kind: fc.constant("truncate" as const), at: fc.nat(real.length - 1)})
    );
    const outcomes = {valid: 0, refused: 0};
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const text =
          m.kind === "truncate"
            ? real.slice(0, m.at)
            : JSON.stringify(mutate(parsed, all[m.at], m.kind === "replace" ? (m.value as Json) : undefined));
        writeFileSync(join(dir, "metadata.json"), text);
        try {
          useLikeClassify(await readMetadata(dir));
          outcomes.valid++;
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(FormatError);
          const message = (error as Error).message;
          expect(message.startsWith(`${join(dir, "metadata.json")}: `)).toBe(true);
          expect(message).not.toContain("\n");
          outcomes.refused++;
        }
      }),
      {seed: 12, numRuns: 400}
    );
    console.log(`metadata.json fuzz: 400 cases, ${outcomes.valid} valid, ${outcomes.refused} refused with one line`);
    expect(outcomes.refused).toBeGreaterThan(50);
  }, 120_000);

  it("names the wrong field", async () => {
    const cases: [string, (m: Record<string, unknown>) => void, string][] = [
      ["metrics: 7", (m) => (m.metrics = 7), 'field "metrics" is wrong: expected record, received number'],
      [
        "input.shape null",
        (m) => ((m.input as Record<string, unknown>).shape = null),
        'field "input.shape" is wrong: expected array, received null'
      ],
      [
        "classNames a string",
        (m) => (m.classNames = "T-shirt"),
        'field "classNames" is wrong: expected array, received string'
      ],
      [
        "classNames empty",
        (m) => (m.classNames = []),
        'field "classNames" is wrong: Too small: expected array to have >=2 items'
      ]
    ];
    for (const [what, damage, message] of cases) {
      const m = JSON.parse(real) as Record<string, unknown>;
      damage(m);
      writeFileSync(join(dir, "metadata.json"), JSON.stringify(m));
      await expect(readMetadata(dir), what).rejects.toThrow(`${join(dir, "metadata.json")}: ${message}; `);
    }
  });

  it("reads the shipped file, with its statistics, unchanged", async () => {
    writeFileSync(join(dir, "metadata.json"), real);
    expect(await readMetadata(dir)).toEqual(JSON.parse(real));
  });
});
