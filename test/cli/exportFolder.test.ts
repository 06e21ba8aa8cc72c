/**
 * `fmnist export --out` never loses a user's files and survives being killed (issue 14, items 2
 * and 5): the real CLI in child processes. Only a folder fmnist wrote as an export, holding only the
 * files its marker lists, is replaced. SIGKILLs at seeded moments while the files are written, and
 * exactly between the two renames that swap the folder (FMNIST_KILL_AT, see src/node/fs/killPoint.ts),
 * never leave the previous export damaged; the next export puts it back if it was moved aside and
 * removes the hidden folders the killed ones left, and only those that carry fmnist's marker.
 */
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it, vi} from "vitest";

import {serveCommand} from "../../src/cli/commands/serve.js";
import {recoverDir} from "../../src/node/fs/atomicDir.js";
import {createRandom} from "../../src/core/random.js";
import {collect, runCli, spawnCli} from "../helpers/cli.js";
import {recordingEffects} from "../helpers/effects.js";
import {expectOneLine} from "../helpers/expectCli.js";
import {snapshot} from "../helpers/snapshot.js";

// Child processes of the real CLI: minutes each when the machine is loaded.
vi.setConfig({testTimeout: 900_000, hookTimeout: 900_000});

const root = mkdtempSync(join(tmpdir(), "fmnist-export-folder-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const exportArgs = (out: string) => ["export", "--out", out, "--count", "16", "--projections", "pca", "--dims", "2"];
const MARKER = ".fmnist-owned.json";

/** The hidden folders beside `out` that an export of it may leave. */
const hidden = (parent: string, out: string) => readdirSync(parent).filter((n) => n.startsWith(`.${out}.`));

describe("export --out replaces only an export fmnist wrote", () => {
  it.concurrent(
    "refuses a folder that merely holds config.json and projections.json, and keeps every byte",
    async () => {
      const lookalike = join(root, "lookalike");
      mkdirSync(join(lookalike, "mine"), {recursive: true});
      writeFileSync(join(lookalike, "config.json"), "{}");
      writeFileSync(join(lookalike, "projections.json"), "{}");
      writeFileSync(join(lookalike, "mine", "precious.txt"), "years of work");
      const before = snapshot(lookalike);
      const r = await runCli(exportArgs(lookalike), 900_000);
      expectOneLine(
        r,
        1,
        `${lookalike} is not empty and holds no export written by fmnist; choose an empty or new --out folder`
      );
      expect(snapshot(lookalike)).toEqual(before);
    }
  );

  it.concurrent(
    "refuses a real export a user added a file to; replaces it once the file is gone",
    async () => {
      const out = join(root, "real");
      const first = await runCli(exportArgs(out), 900_000);
      expect(first.code, first.stderr).toBe(0);
      const marker = JSON.parse(readFileSync(join(out, MARKER), "utf8")) as {
        kind: string;
        complete: boolean;
        files: string[];
      };
      expect(marker).toMatchObject({kind: "export", complete: true});
      expect([...marker.files].sort()).toEqual(
        readdirSync(out)
          .filter((n) => n !== MARKER)
          .sort()
      );

      writeFileSync(join(out, "notes.txt"), "mine");
      const before = snapshot(out);
      const refused = await runCli(exportArgs(out), 900_000);
      expectOneLine(
        refused,
        1,
        `${out} holds notes.txt, which fmnist did not write; move it away or choose another --out (nothing was changed)`
      );
      expect(snapshot(out)).toEqual(before);

      rmSync(join(out, "notes.txt"));
      const again = await runCli(exportArgs(out), 900_000);
      expect(again.code, again.stderr).toBe(0);
      expect(hidden(root, "real")).toEqual([]);
    },
    900_000
  );
});

describe("export killed with SIGKILL", () => {
  it("keeps the previous export at every kill, and the next export recovers or cleans up", async () => {
    const parent = join(root, "kills");
    mkdirSync(parent);
    const out = join(parent, "projector");
    const made = await runCli(exportArgs(out), 900_000);
    expect(made.code, made.stderr).toBe(0);
    const original = snapshot(out); // the same seed gives the same bytes: every complete export equals it

    // A hidden folder that looks like ours but carries no marker is never touched.
    const dead = Number(
      execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {encoding: "utf8"})
    );
    const foreign = join(parent, `.projector.tmp-${dead}-abcdef`);
    mkdirSync(foreign);
    writeFileSync(join(foreign, "keep.txt"), "not fmnist's");

    const random = createRandom(14);
    const report: string[] = [];
    // 1-2: a seeded 0-400 ms after the temporary folder appears, i.e. while the files are written.
    for (let k = 0; k < 2; k++) {
      const delay = Math.floor(random() * 400);
      const child = spawnCli(exportArgs(out), 900_000);
      const watcher = watch(parent, (_event, name) => {
        if (name?.startsWith(".projector.tmp-") && !name.endsWith("abcdef"))
          setTimeout(() => child.kill("SIGKILL"), delay);
      });
      const r = await collect(child).finally(() => watcher.close());
      const landedInSwap = !existsSync(out);
      report.push(
        `killed ${delay} ms into writing: ${r.signal ?? `exit ${r.code}`}, ${hidden(parent, "projector").length} hidden folders` +
          (landedInSwap ? ", between the two renames" : "")
      );
      if (landedInSwap) {
        // The export finished writing within the delay and the kill hit the microseconds between
        // the renames (case 4 below): the previous export is complete beside it, and the next claim
        // puts it back.
        const aside = hidden(parent, "projector").filter((n) => n.startsWith(".projector.old-"));
        expect(aside).toHaveLength(1);
        expect(snapshot(join(parent, aside[0] ?? ""))).toEqual(original);
        expect((await recoverDir(out, "export")).restored).toEqual([join(parent, aside[0] ?? "")]);
      }
      expect(snapshot(out)).toEqual(original);
    }
    // 4: exactly between the two renames: the export is missing until the next export puts it back.
    const between = await collect(spawnCli(exportArgs(out), 900_000, {env: {FMNIST_KILL_AT: "dir-swap:moved-aside"}}));
    expect(between.signal).toBe("SIGKILL");
    expect(existsSync(out)).toBe(false);
    // `fmnist serve` (and `start`, which serves) puts it back before serving: it never sees a missing export.
    const effects = recordingEffects();
    const server = await serveCommand({dir: out, app: join(root, "no-app"), port: 0}, effects);
    try {
      expect(effects.lines).toContainEqual(
        expect.stringMatching(
          /^warning: put back the previous export from .*\.projector\.old-\d+-[0-9a-f]+, left by an interrupted export$/
        )
      );
      expect((await fetch(`http://127.0.0.1:${server.port}/projector/config.json`)).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(snapshot(out)).toEqual(original);
    const restart = await runCli(exportArgs(out), 900_000);
    expect(restart.code, restart.stderr).toBe(0);
    expect(snapshot(out)).toEqual(original);
    // 5: after the swap, before the previous export was removed.
    const after = await collect(spawnCli(exportArgs(out), 900_000, {env: {FMNIST_KILL_AT: "dir-swap:replaced"}}));
    expect(after.signal).toBe("SIGKILL");
    expect(snapshot(out)).toEqual(original);
    expect(hidden(parent, "projector").some((n) => n.startsWith(".projector.old-"))).toBe(true);

    const last = await runCli(exportArgs(out), 900_000);
    expect(last.code, last.stderr).toBe(0);
    console.log(`export kills:\n  ${report.join("\n  ")}`);
    expect(snapshot(out)).toEqual(original);
    expect(hidden(parent, "projector")).toEqual([foreign.slice(parent.length + 1)]);
    expect(readFileSync(join(foreign, "keep.txt"), "utf8")).toBe("not fmnist's");
  }, 900_000);
});
