/**
 * File-system failures during export, train and classify --save-plots (issue 14, item 13) end in
 * exit 1 and one line naming the path and what to do, never exit 70. Caused for real where the
 * test can: ENOSPC on a nearly full 1 MiB tmpfs and EROFS on a read-only one (mounted here: the
 * tests run as root), EACCES by running the CLI as `nobody` on a folder only root may write,
 * ENAMETOOLONG with a 300-character folder name. EMFILE is injected (test/helpers/fsFault.mjs), as
 * are ENOSPC and EROFS where mounting is not allowed (the test prints which).
 */
import {execFileSync} from "node:child_process";
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";

import {ROOT, runCli, type CliResult, type SpawnOptions} from "../helpers/cli.js";
import {writeRealSlice} from "../helpers/dataSlice.js";

// Child processes of the real CLI: minutes each when the machine is loaded.
vi.setConfig({testTimeout: 900_000, hookTimeout: 900_000});

const root = mkdtempSync(join(tmpdir(), "fmnist-fs-errors-"));
const dataDir = join(root, "data");
const full = join(root, "full");
const readOnly = join(root, "ro");
const fault = join(ROOT, "test/helpers/fsFault.mjs");
let mounted = false;

function tryMount(dir: string, options: string): boolean {
  mkdirSync(dir, {recursive: true});
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], {stdio: "ignore"});
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  chmodSync(root, 0o755); // readable by nobody, writable by root only
  await writeRealSlice(dataDir, 100, 20);
  mounted = tryMount(full, "size=1m") && tryMount(readOnly, "size=64k,ro");
  if (mounted) {
    // Leave about 64 KiB free: less than any of the three commands writes.
    writeFileSync(join(full, "filler"), Buffer.alloc(1024 * 1024 - 64 * 1024));
  }
  console.log(
    `file-system errors: ENOSPC and EROFS ${mounted ? "on real tmpfs mounts" : "injected (mount not allowed)"}`
  );
});
afterAll(() => {
  for (const dir of [full, readOnly]) {
    try {
      execFileSync("umount", [dir], {stdio: "ignore"});
    } catch {
      // not mounted
    }
  }
  rmSync(root, {recursive: true, force: true});
});

const train = (out: string) => [
  "train",
  "--data-dir",
  dataDir,
  "--no-verify",
  "--no-progress",
  "--limit",
  "100",
  "--batch-size",
  "50",
  "--epochs",
  "1",
  "--out",
  out
];
const exportTo = (out: string) => [
  "export",
  "--out",
  out,
  "--count",
  "16",
  "--projections",
  "pca",
  "--dims",
  "2",
  "--no-progress"
];
const plotsTo = (dir: string) => ["classify", "sample_images/sneaker.jpg", "--save-plots", "--plot-dir", dir];

/** Exit 1 and a last line `fmnist: cannot VERB PATH…: WHAT (CODE); TODO` naming a path under `under`. */
function expectFsError(r: CliResult, code: string, under: string, todo: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const last = r.stderr.trim().split("\n").at(-1) ?? "";
  expect(last).toMatch(
    new RegExp(`^fmnist: cannot \\w+ ${under.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\S*: .+ \\(${code}\\); `)
  );
  expect(last).toMatch(todo);
  expect(r.stderr).not.toMatch(/unexpected error|^\s+at /m);
}

/** The options that cause `code` under `dir` for real when mounted, else by injection. */
const realOr = (code: string, dir: string): SpawnOptions =>
  mounted ? {} : {preload: [fault], env: {FMNIST_TEST_FAULT: `${code}:${dir}`}};

describe("a full disk (ENOSPC)", () => {
  for (const [command, args] of [
    ["export", exportTo(join(full, "export"))],
    ["train", train(join(full, "run"))],
    ["classify --save-plots", plotsTo(join(full, "plots"))]
  ] as const) {
    it(`${command}: exit 1 naming the path, nothing left behind`, async () => {
      const r = await runCli([...args], 900_000, realOr("ENOSPC", full));
      expectFsError(r, "ENOSPC", full, /free some space/);
      // The run folder stays (what was saved can be resumed); an export or plot folder is all or nothing.
      if (command !== "train") expect(readdirSync(full).filter((n) => n !== "run")).toEqual(["filler"]);
    }, 900_000);
  }
});

describe("other file-system errors", () => {
  it.concurrent("EROFS: train into a read-only file system", async () => {
    const r = await runCli(train(join(readOnly, "run")), 900_000, realOr("EROFS", readOnly));
    expectFsError(r, "EROFS", readOnly, /choose a folder on a writable disk$/);
  });

  it.concurrent("EACCES: export and classify --save-plots into a folder only root may write, as nobody", async () => {
    const locked = join(root, "root-only");
    mkdirSync(locked, {mode: 0o755});
    const nobody = {uid: 65534, gid: 65534, env: {HOME: "/tmp"}};
    const [e, c] = await Promise.all([
      runCli(exportTo(join(locked, "export")), 900_000, nobody),
      runCli(plotsTo(join(locked, "plots")), 900_000, nobody)
    ]);
    expectFsError(e, "EACCES", locked, /choose a folder you may write to/);
    expectFsError(c, "EACCES", locked, /choose a folder you may write to/);
  });

  it.concurrent("ENAMETOOLONG: train --out and classify --plot-dir with a 300-character name", async () => {
    const long = join(root, "x".repeat(300));
    const [t, c] = await Promise.all([runCli(train(long), 900_000), runCli(plotsTo(long), 900_000)]);
    expectFsError(t, "ENAMETOOLONG", long, /choose a shorter folder or file name$/);
    expectFsError(c, "ENAMETOOLONG", long, /choose a shorter folder or file name$/);
  });

  it.concurrent("EMFILE (injected): export and train", async () => {
    const where = join(root, "emfile");
    const options = {preload: [fault], env: {FMNIST_TEST_FAULT: `EMFILE:${where}`}};
    const [e, t] = await Promise.all([
      runCli(exportTo(join(where, "export")), 900_000, options),
      runCli(train(join(where, "run")), 900_000, options)
    ]);
    expectFsError(e, "EMFILE", where, /ulimit -n/);
    expectFsError(t, "EMFILE", where, /ulimit -n/);
  });
});
