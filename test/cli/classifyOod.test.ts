/**
 * Out-of-distribution detection as a user meets it, through the real entry point: `calibrate`
 * on copies of the shipped model and of the seed's Keras .h5 (statistics from a real 3,000-image
 * training slice, thresholds from a 1,000-image test slice), then `classify`: the chessboard is
 * said plainly not to look like a garment, with the numbers on a details line; the sample sneaker
 * is still a Sneaker. The .h5 is never modified, and a foreign file where the statistics go is
 * never overwritten.
 */
import {createHash} from "node:crypto";
import {cpSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {runCli} from "../helpers/cli.js";
import {writeRealSlice} from "../helpers/dataSlice.js";
import {SEED_MODEL, SHIPPED_MODEL} from "../helpers/paths.js";

let dir: string;
let data: string[];
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-cli-ood-"));
  await writeRealSlice(join(dir, "data"), 3000, 1000);
  data = ["--data-dir", join(dir, "data"), "--no-verify", "--count", "3000"];
  cpSync(SHIPPED_MODEL, join(dir, "cnn"), {recursive: true});
  copyFileSync(SEED_MODEL, join(dir, "seed.h5"));
}, 120_000);
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

describe("out-of-distribution detection in the CLI", () => {
  it("calibrate --json prints the false-alarm rate, AUROC and method, and classify says plainly what is not a garment", async () => {
    const model = join(dir, "cnn");
    const c = await runCli(["calibrate", "--model", model, "--json", ...data], 600_000);
    expect(c.code, c.stderr).toBe(0);
    const result = JSON.parse(c.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["auroc", "falseAlarmRate", "method"]);
    expect(result.method).toBe("knn");
    expect(result.falseAlarmRate).toBeLessThan(0.12); // thresholds flag 5 % of the even-index test images
    expect(result.auroc).toBeGreaterThan(0.9);
    expect(existsSync(join(model, "ood-stats.bin"))).toBe(true);
    const metadata = JSON.parse(readFileSync(join(model, "metadata.json"), "utf8")) as Record<string, unknown>;
    expect(metadata.ood).toBeUndefined();
    expect((metadata.metrics as Record<string, unknown>).oodMethod).toBe("knn");

    const r = await runCli(
      ["classify", "sample_images/not_fashion_chessboard.png", "sample_images/sneaker.jpg", "--model", model],
      120_000
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^sample_images\/not_fashion_chessboard\.png: this does not look like a Fashion-MNIST garment; closest: \S/
    );
    expect(lines[0]).not.toMatch(/>/);
    expect(lines[1]).toMatch(/^ {2}details: kNN distance \d+\.\d+ > \d+\.\d+ \(threshold at \d+\.\d % false alarms/);
    expect(lines[2]).toMatch(/^sample_images\/sneaker\.jpg: Sneaker 0\.\d{4}$/);

    const json = await runCli(["classify", "sample_images/not_fashion_chessboard.png", "--model", model, "--json"]);
    const o = JSON.parse(json.stdout) as Record<string, unknown>;
    expect([o.ood, o.oodChecked, o.tta]).toEqual([true, true, true]);
  }, 900_000);

  it("calibrate writes the statistics beside an .h5 without touching it, and classify uses them", async () => {
    const model = join(dir, "seed.h5");
    const before = sha(model);
    const c = await runCli(["calibrate", "--model", model, ...data], 600_000);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/seed\.h5\.ood-stats\.bin; false alarms on the test set: [\d.]+ ?%/);
    expect(sha(model)).toBe(before);
    // Used: no warning about missing statistics, and the verdict's numbers come from the kNN rule.
    const r = await runCli(["classify", "sample_images/sneaker.jpg", "--model", model, "--json"], 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    expect([o.label, o.oodChecked]).toEqual(["Sneaker", true]);
    expect(o.oodReason).toMatch(/^kNN distance \d+\.\d+ (>|≤) \d+\.\d+ /);
  }, 900_000);

  it("calibrate refuses to overwrite a file it did not write where the statistics go (exit 1, file unchanged)", async () => {
    const model = join(dir, "other.h5");
    copyFileSync(SEED_MODEL, model);
    writeFileSync(`${model}.ood-stats.bin`, "my notes\n");
    const c = await runCli(["calibrate", "--model", model, ...data], 120_000);
    expect(c.code).toBe(1);
    expect(c.stderr.trim()).toBe(
      `fmnist: ${model}.ood-stats.bin exists and was not written by fmnist calibrate; move it away first`
    );
    expect(readFileSync(`${model}.ood-stats.bin`, "utf8")).toBe("my notes\n");
  }, 200_000);
});
