/** Crash-safe file writes: write a temporary file in the same folder, fsync, then rename over the target. */
import {randomBytes} from "node:crypto";
import {open, rename, rm} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

/** Writes `data` to `path` so that readers see either the old file or the complete new one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(tmp, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, {force: true});
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, {force: true});
    throw error;
  }
}
