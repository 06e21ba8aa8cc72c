/**
 * The folder writer shared by exports and plot folders (src/node/fs/atomicDir.ts), in process: what it
 * replaces and refuses, and what it recovers from the states a killed writer leaves (the CLI kill
 * test, test/cli/exportFolder.test.ts, reaches them with real SIGKILLs).
 */
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {UserError} from "../../src/core/errors.js";
import {ClaimedDir, recoverDir, type DirSpec} from "../../src/node/fs/atomicDir.js";
import {MARKER_FILE, writeMarker} from "../../src/node/fs/ownedDir.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-atomic-dir-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));
const SPEC: DirSpec = {kind: "export", option: "--out", label: "export"};
let n = 0;

async function write(target: string, files: Record<string, string>): Promise<string[]> {
  const claimed = await ClaimedDir.claim(target, SPEC);
  try {
    return await claimed.commit(async (w) => {
      for (const [name, text] of Object.entries(files)) await w.write(name, text);
    });
  } finally {
    await claimed.release();
  }
}

const deadPid = () =>
  Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {encoding: "utf8"}));

describe("ClaimedDir", () => {
  it("writes a new folder with a marker listing its files, and replaces it as a whole", async () => {
    const out = join(root, `o${n++}`);
    expect(await write(out, {"a.txt": "1", "b.txt": "2"})).toEqual(["a.txt", "b.txt"]);
    expect(JSON.parse(readFileSync(join(out, MARKER_FILE), "utf8"))).toMatchObject({
      kind: "export",
      complete: true,
      files: ["a.txt", "b.txt"]
    });
    await write(out, {"c.txt": "3"});
    expect(readdirSync(out).sort()).toEqual([MARKER_FILE, "c.txt"]);
    expect(readdirSync(root).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("refuses a folder of another kind, one with an added file, a file, and a parent that is a file", async () => {
    const out = join(root, `o${n++}`);
    await write(out, {"a.txt": "1"});
    writeFileSync(join(out, "mine.txt"), "keep");
    await expect(write(out, {"a.txt": "2"})).rejects.toThrow(`${out} holds mine.txt, which fmnist did not write`);
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("1");
    const plots = join(root, `o${n++}`);
    mkdirSync(plots);
    await writeMarker(plots, "plots", [], true);
    await expect(write(plots, {})).rejects.toThrow("holds no export written by fmnist");
    const file = join(root, `f${n++}`);
    writeFileSync(file, "x");
    await expect(write(file, {})).rejects.toThrow(`${file} exists and is not a folder; choose another --out`);
    await expect(write(join(file, "sub"), {})).rejects.toBeInstanceOf(UserError);
  });

  it("removes everything it wrote when the writer fails", async () => {
    const out = join(root, `o${n++}`);
    await expect(
      write(out, {"a.txt": "1"}).then(async () => {
        const claimed = await ClaimedDir.claim(out, SPEC);
        await claimed
          .commit(async (w) => {
            await w.write("b.txt", "2");
            throw new Error("drawing failed");
          })
          .finally(() => claimed.release());
      })
    ).rejects.toThrow("drawing failed");
    expect(readdirSync(out).sort()).toEqual([MARKER_FILE, "a.txt"]);
    expect(readdirSync(root).filter((f) => f.startsWith(`.o${n - 1}`))).toEqual([]);
  });
});

describe("recoverDir", () => {
  it("puts back a previous version moved aside, removes marked leftovers, keeps the rest", async () => {
    const name = `r${n++}`;
    const out = join(root, name);
    const pid = deadPid();
    const old = join(root, `.${name}.old-${pid}-aa`);
    mkdirSync(old);
    writeFileSync(join(old, "a.txt"), "previous");
    await writeMarker(old, "export", ["a.txt"], true);
    const tmp = join(root, `.${name}.tmp-${pid}-bb`);
    mkdirSync(tmp);
    writeFileSync(join(tmp, "half.txt"), "half");
    await writeMarker(tmp, "export", ["half.txt", "never-written.txt"], false);
    const killedEarly = join(root, `.${name}.tmp-${pid}-cc`);
    mkdirSync(killedEarly);
    writeFileSync(join(killedEarly, `.${MARKER_FILE}.${pid}.0123abcd.tmp`), "");
    const foreign = join(root, `.${name}.tmp-${pid}-dd`);
    mkdirSync(foreign);
    writeFileSync(join(foreign, "notes.txt"), "not ours");

    const recovery = await recoverDir(out, "export");
    expect(recovery.restored).toEqual([old]);
    expect(recovery.removed.sort()).toEqual([tmp, killedEarly].sort());
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("previous");
    expect(existsSync(tmp) || existsSync(killedEarly)).toBe(false);
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("not ours");
  });

  it("leaves the hidden folders of a live writer alone", async () => {
    const name = `r${n++}`;
    const busy = join(root, `.${name}.tmp-${process.ppid}-ee`);
    mkdirSync(busy);
    await writeMarker(busy, "export", [], false);
    expect(await recoverDir(join(root, name), "export")).toEqual({restored: [], removed: [], kept: []});
    expect(existsSync(busy)).toBe(true);
  });
});
