/**
 * `fmnist classify` as a user runs it: the real entry point in a child process (through tsx), its
 * output lines, exit codes and one-line errors.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {runCli} from "../helpers/cli.js";
import {SEED_MODEL} from "../helpers/paths.js";

/**
 * stderr must be exactly one line starting with "fmnist: ", without a stack trace (for a usage
 * error, followed by the pointer to the help).
 */
function oneErrorLine(stderr: string): string {
  const lines = stderr
    .replace(/\n$/, "")
    .split("\n")
    .filter((line) => !NO_STATISTICS.test(line));
  if (lines.at(-1) === "Run `fmnist classify --help` to see its options.") lines.pop();
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^fmnist: /);
  expect(stderr).not.toMatch(/unexpected error|HDF5-DIAG|^\s+at /m);
  return lines[0];
}

/** The seed's .h5 has no statistics file beside it: classify says so, and how to make one. */
const NO_STATISTICS =
  /^warning: .*seed-model\.h5 has no out-of-distribution statistics, .*`fmnist calibrate --model .*seed-model\.h5`$/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-cli-classify-"));
});
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

describe("fmnist classify", () => {
  it("--json prints one object per good image, and a broken one gives exit 1 and one stderr line", async () => {
    const broken = join(dir, "broken.png");
    writeFileSync(broken, "");
    const r = await runCli([
      "classify",
      "sample_images/black_bag.jpg",
      broken,
      "sample_images/sneaker.jpg",
      "--model",
      SEED_MODEL,
      "--json"
    ]);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stderr)).toBe(`fmnist: ${broken}: empty file`);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const o of objects) {
      for (const key of ["file", "label", "score", "probabilities", "ood"]) expect(o, key).toHaveProperty(key);
      expect(Object.keys(o.probabilities as object)).toEqual([...CLASS_NAMES]);
      expect(typeof o.score).toBe("number");
      expect(typeof o.ood).toBe("boolean");
    }
    expect(objects.map((o) => [o.file, o.label])).toEqual([
      ["sample_images/black_bag.jpg", "Bag"],
      ["sample_images/sneaker.jpg", "Sneaker"]
    ]);
  });

  it("expands globs itself and prints the top K classes per line", async () => {
    const r = await runCli(["classify", "sample_images/*.jpg", "--model", SEED_MODEL, "--top", "3"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toMatch(NO_STATISTICS);
    const lines = r.stdout.trim().split("\n");
    expect(lines.map((l) => l.split(":")[0])).toEqual([
      "sample_images/black_bag.jpg",
      "sample_images/pullover.jpg",
      "sample_images/sneaker.jpg",
      "sample_images/trousers.jpg"
    ]);
    for (const line of lines) expect(line).toMatch(/^[^:]+: [^,]+ \d\.\d{4}, [^,]+ \d\.\d{4}, [^,]+ \d\.\d{4}/);
    expect(lines[0]).toMatch(/^sample_images\/black_bag\.jpg: Bag 1\.0000/);
  });

  it("--cam-class bogus is a usage error (exit 2) listing the classes", async () => {
    const r = await runCli([
      "classify",
      "sample_images/black_bag.jpg",
      "--model",
      SEED_MODEL,
      "--save-plots",
      "--plot-dir",
      join(dir, "never"),
      "--cam-class",
      "bogus"
    ]);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/--cam-class must be one of: T-shirt\/top, Trouser, .*; got "bogus"/);
    expect(r.stdout).toBe("");
  });

  it("--preprocess bogus is a usage error (exit 2)", async () => {
    const r = await runCli(["classify", "sample_images/black_bag.jpg", "--preprocess", "bogus"]);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r.stderr)).toBe('fmnist: --preprocess must be fashion or plain; got "bogus"');
  });

  it("a truncated .h5 model is one line naming the file (exit 1), with the HDF5 library kept quiet", async ({
    expect
  }) => {
    const model = join(dir, "truncated.h5");
    writeFileSync(model, readFileSync(SEED_MODEL).subarray(0, 100_000));
    const r = await runCli(["classify", "sample_images/black_bag.jpg", "--model", model]);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stderr)).toMatch(new RegExp(`^fmnist: ${model}: cannot open HDF5 file \\(truncated file`));
    expect(r.stdout).toBe("");
  });
});
