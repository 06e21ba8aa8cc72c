/**
 * `fmnist evaluate` as a user runs it on the first 100 real test images: progress on stderr while
 * it works, accuracy as a percentage, and a confusion matrix that names every class in full.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES, DATASET_FILES} from "../../src/core/data/fashionMnist.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {makeIdx} from "../data/makeIdx.js";
import {runCli, type CliResult} from "../helpers/cli.js";
import {SEED_MODEL} from "../helpers/paths.js";

const COUNT = 100;

let root: string;
let result: CliResult;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "fmnist-cli-evaluate-"));
  const dataDir = join(root, "data");
  mkdirSync(dataDir);
  const test = await loadFashionMnist("test", {limit: COUNT});
  const spec = DATASET_FILES.test;
  writeFileSync(join(dataDir, spec.images.file.replace(/\.gz$/, "")), makeIdx([COUNT, 28, 28], {data: test.images}));
  writeFileSync(join(dataDir, spec.labels.file.replace(/\.gz$/, "")), makeIdx([COUNT], {data: test.labels}));
  result = await runCli(["evaluate", "--model", SEED_MODEL, "--data-dir", dataDir, "--no-verify"]);
});
afterAll(() => rmSync(root, {recursive: true, force: true}));

describe("fmnist evaluate", () => {
  it("shows its progress on stderr", () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^evaluating: ${COUNT}/${COUNT}$`, "m"));
  });

  it("prints the accuracy as a percentage with two decimals", () => {
    expect(result.stdout).toMatch(/accuracy: \d{1,3}\.\d\d%/);
  });

  it("names every class in full in the confusion matrix", () => {
    const matrix = result.stdout.slice(result.stdout.indexOf("confusion matrix"));
    for (const name of CLASS_NAMES) expect(matrix).toContain(name);
  });
});
