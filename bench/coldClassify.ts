/** Cold start: wall time of whole `fmnist classify` processes, as a user would run them. */
import {existsSync, readdirSync, statSync} from "node:fs";
import {join} from "node:path";

import {runCommand} from "./command.js";
import {REPO_ROOT} from "./peer.js";
import {coldStart, type ColdStart} from "./report.js";

export const CLASSIFY_BIN = "dist/cli/fmnist.js";
export const CLASSIFY_IMAGE = "sample_images/ankle_boot.png";

/** Newest modification time (ms) of the .ts files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, {recursive: true, encoding: "utf8"})) {
    if (entry.endsWith(".ts")) newest = Math.max(newest, statSync(join(dir, entry)).mtimeMs);
  }
  return newest;
}

/**
 * Spawns `node dist/cli/fmnist.js classify sample_images/ankle_boot.png` `runs` times, one after
 * the other, and returns the wall times' median and range; null (said on `log`) when dist/ is
 * missing or a run fails.
 */
export async function measureColdClassify(runs: number, log: (line: string) => void): Promise<ColdStart | null> {
  const bin = join(REPO_ROOT, CLASSIFY_BIN);
  if (!existsSync(bin)) {
    log(`cold classify skipped: ${CLASSIFY_BIN} not found (run \`npm run build\`)`);
    return null;
  }
  if (newestSource(join(REPO_ROOT, "src")) > statSync(bin).mtimeMs) {
    log(`cold classify: warning, src/ is newer than ${CLASSIFY_BIN}; \`npm run build\` to time the current code`);
  }
  log(`cold classify: node ${CLASSIFY_BIN} classify ${CLASSIFY_IMAGE} (${runs} runs)`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const run = await runCommand(process.execPath, [bin, "classify", join(REPO_ROOT, CLASSIFY_IMAGE)]);
    const elapsed = performance.now() - t0;
    if (run.spawnError || run.code !== 0) {
      const why = run.spawnError?.message ?? run.stderr.trim().split("\n").at(-1) ?? `exit code ${run.code}`;
      log(`cold classify failed (exit ${run.code ?? "-"}): ${why}`);
      return null;
    }
    times.push(elapsed);
  }
  return coldStart(times);
}
