/**
 * `fmnist train --out/--resume/--force` never loses a user's files (issue 14, items 1 and 4): the
 * real CLI in child processes, on a slice of the real data set. A folder that is not a run, or a
 * file, is refused with one line and exit 1; a run is replaced only with --force and only when it
 * holds nothing but what a run writes; two writers of one run folder are refused with the holder's
 * PID, and the lock of a killed process is taken over.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";

import {collect, runCli, spawnCli} from "../helpers/cli.js";
import {expectOneLine} from "../helpers/expectCli.js";
import {writeRealSlice} from "../helpers/dataSlice.js";
import {snapshot} from "../helpers/snapshot.js";

// Child processes of the real CLI: minutes each when the machine is loaded.
vi.setConfig({testTimeout: 900_000, hookTimeout: 900_000});

const root = mkdtempSync(join(tmpdir(), "fmnist-run-folder-"));
const dataDir = join(root, "data");
beforeAll(() => writeRealSlice(dataDir, 200, 50));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const quick = ["--data-dir", dataDir, "--no-verify", "--no-progress", "--limit", "100", "--batch-size", "50"];
const train = (...args: string[]) => runCli(["train", ...quick, "--epochs", "1", ...args], 900_000);

describe("train --out refuses what is not a run", () => {
  it.concurrent("a file: one line, exit 1, the file untouched", async () => {
    const file = join(root, "somefile");
    writeFileSync(file, "mine");
    const r = await train("--out", file);
    expectOneLine(r, 1, `${file} exists and is not a folder; choose another --out`);
    expect(readFileSync(file, "utf8")).toBe("mine");
  });

  it.concurrent("a folder of the user's (config.json, model/, curves.png): exit 1, every byte kept", async () => {
    const mine = join(root, "mine");
    mkdirSync(join(mine, "model"), {recursive: true});
    writeFileSync(join(mine, "config.json"), '{"mine": true}');
    writeFileSync(join(mine, "model", "notes.txt"), "my notes");
    writeFileSync(join(mine, "curves.png"), "not even a PNG");
    const before = snapshot(mine);
    const [plain, forced] = await Promise.all([train("--out", mine), train("--out", mine, "--force")]);
    for (const r of [plain, forced]) {
      expectOneLine(
        r,
        1,
        `${mine} is not empty and is not a training run folder; choose an empty or new --out folder ` +
          `(to continue a run made by an older fmnist: --resume ${mine})`
      );
    }
    expect(snapshot(mine)).toEqual(before);
  });

  it.concurrent("--force with --resume is a usage error", async () => {
    const r = await runCli(["train", "--resume", join(root, "whatever"), "--force"], 900_000);
    expectOneLine(r, 2, "--force starts a run over; it cannot be combined with --resume");
  });
});

describe("train --out on an existing run", () => {
  const run = join(root, "run");
  let first: Record<string, string>;

  beforeAll(async () => {
    const r = await train("--out", run);
    expect(r.code, r.stderr).toBe(0);
    first = snapshot(run);
  }, 900_000);

  it("is refused without --force, and with --force while it holds a file a run does not write", async () => {
    const again = await train("--out", run);
    expectOneLine(
      again,
      1,
      `${run} already holds a training run; continue it with --resume ${run}, or start over with --force`
    );
    expect(snapshot(run)).toEqual(first);

    writeFileSync(join(run, "logs", "my-notes.txt"), "keep me");
    const forced = await train("--out", run, "--force");
    expectOneLine(
      forced,
      1,
      `${run} holds logs/my-notes.txt, which fmnist did not write; --force replaces only what a run wrote: ` +
        "move it away or choose another --out (nothing was deleted)"
    );
    expect(readFileSync(join(run, "logs", "my-notes.txt"), "utf8")).toBe("keep me");
    rmSync(join(run, "logs", "my-notes.txt"));
    expect(snapshot(run)).toEqual(first);
  }, 900_000);

  it("is replaced with --force: one epoch in the metrics log, only the new event files", async () => {
    // A finished run also holds the statistics its closing calibration wrote: --force must know them as the run's.
    expect(Object.keys(first)).toContain("model/ood-stats.bin");
    const oldEvents = Object.keys(first).filter((f) => f.startsWith("logs/"));
    expect(oldEvents).toHaveLength(2);
    // Event files are named by the second they were opened: make sure the new ones differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const r = await train("--out", run, "--force");
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as {epoch: number}).epoch)).toEqual([1]);
    const events = Object.keys(snapshot(run)).filter((f) => f.startsWith("logs/"));
    expect(events).toHaveLength(2);
    for (const f of oldEvents) expect(events).not.toContain(f);
  }, 900_000);
});

describe("one writer per run folder", () => {
  it("refuses a second writer naming the first one's PID, and takes over the lock once it is killed", async () => {
    const run = join(root, "locked");
    // Long enough (50 epochs, no early stopping) to still be running when the others start.
    const child = spawnCli(["train", ...quick, "--epochs", "50", "--patience", "50", "--out", run], 900_000);
    const done = collect(child);
    // Wait until epoch 1 is committed: then the run can be resumed after the kill.
    await new Promise<void>((resolve, reject) => {
      let text = "";
      child.stderr.on("data", (chunk: Buffer | string) => {
        text += String(chunk);
        if (/^epoch 1: /m.test(text)) resolve();
      });
      child.on("close", () => reject(new Error(`train ended before epoch 1:\n${text}`)));
    });
    const [second, forced] = await Promise.all([
      runCli(["train", ...quick, "--resume", run], 900_000),
      runCli(["train", ...quick, "--out", run, "--force"], 900_000)
    ]);
    for (const r of [second, forced]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split("\n").at(-1)).toMatch(
        new RegExp(
          `^fmnist: ${run} is in use: another fmnist process \\(PID ${child.pid}, since .+\\) is writing this run folder; wait for it to finish or stop it$`
        )
      );
    }
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    expect(existsSync(join(run, ".fmnist.lock"))).toBe(true); // stale: its holder is gone

    const resumed = await runCli(["train", ...quick, "--epochs", "2", "--resume", run], 900_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/^resuming .* after epoch \d+$/m);
    expect(existsSync(join(run, ".fmnist.lock"))).toBe(false);
    expect(statSync(join(run, "model", "model.json")).isFile()).toBe(true);
  }, 900_000);
});
