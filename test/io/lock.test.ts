/**
 * The folder lock (src/node/fs/lock.ts) between real processes: a second holder is refused with the
 * first one's PID, a stale lock of a dead process is taken over, and processes racing for a stale
 * lock hold it one at a time (their holding intervals never overlap).
 */
import {execFileSync, spawn} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {hostname, tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {LOCK_FILE, LockedError, lockFolder} from "../../src/node/fs/lock.js";
import {ROOT} from "../helpers/cli.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-lock-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** The PID of a process that has exited. */
function deadPid(): number {
  return Number(
    execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {encoding: "utf8"})
  );
}

function staleLock(dir: string): void {
  const holder = {
    pid: deadPid(),
    hostname: hostname(),
    command: "fmnist train",
    since: "2020-01-01T00:00:00Z",
    token: "dead"
  };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
}

describe("lockFolder", () => {
  it("refuses a second holder, naming the first one's PID, until it is released", async () => {
    const dir = join(root, "a");
    mkdirSync(dir);
    const lock = await lockFolder(dir, {what: "run folder"});
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({pid: process.pid});
    const error = await lockFolder(dir, {what: "run folder"}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${dir} is in use: another fmnist process \\(PID ${process.pid}, since .+\\) is writing this run folder`
      )
    );
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await (await lockFolder(dir)).release();
  });

  it("takes over the lock of a process that is no longer running", async () => {
    const dir = join(root, "b");
    mkdirSync(dir);
    staleLock(dir);
    const lock = await lockFolder(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({pid: process.pid});
    await lock.release();
  });

  it("lets six processes racing for a stale lock hold it one at a time", async () => {
    const dir = join(root, "c");
    mkdirSync(dir);
    staleLock(dir);
    const runs = await Promise.all(
      Array.from(
        {length: 6},
        () =>
          new Promise<{code: number | null; out: string}>((resolve) => {
            const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/lockHolder.ts", dir, "150"], {
              cwd: ROOT,
              stdio: ["ignore", "pipe", "inherit"]
            });
            let out = "";
            child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
            child.on("close", (code) => resolve({code, out}));
          })
      )
    );
    const intervals = runs.map(({code, out}) => {
      expect(code, out).toBe(0);
      const [, start, end] = out.trim().split(" ").map(Number);
      return [start, end];
    });
    intervals.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i][0]).toBeGreaterThanOrEqual(intervals[i - 1][1]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 120_000);
});
