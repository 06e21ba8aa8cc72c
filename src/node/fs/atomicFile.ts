/**
 * Crash-safe file writes: write a temporary file in the same folder, fsync, then rename over the
 * target. The temporary file's name carries the writer's PID, so {@link removeStaleTemps} can
 * delete the ones a killed process left behind without touching another process's in-flight file.
 */
import {randomBytes} from "node:crypto";
import {open, readdir, rename, rm} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

import {withPath} from "./errno.js";
import {isProcessAlive} from "./process.js";

/** `.NAME.PID.RANDOM.tmp`: the temporary files of {@link writeFileAtomic} (groups: NAME, PID). */
export const TEMP_FILE = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one. File
 * system errors name `path` (not the temporary file).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeSynced(tmp, data, "w");
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, {force: true}).catch(() => undefined);
    throw withPath(error, path, true);
  }
}

/** Writes `data` to `path` (opened with `flags`: "wx" refuses an existing file) and flushes it to the disk. */
export async function writeSynced(path: string, data: string | Uint8Array, flags: "w" | "wx"): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes the temporary files of {@link writeFileAtomic} in `dir` whose writer is no longer running. */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const pid = TEMP_FILE.exec(name)?.[2];
    if (pid !== undefined && !isProcessAlive(Number(pid))) await rm(join(dir, name), {force: true});
  }
}
