/**
 * Writing several files so that nothing is ever half-written: they go to a temporary sibling
 * folder first, which is moved into place by rename once complete. {@link writeDirAtomic} replaces
 * a whole folder (a previous export; any other non-empty folder is refused rather than deleted);
 * {@link writeFilesAtomic} adds files to a folder that may hold others. Single files:
 * ./atomicFile.ts.
 */
import {randomBytes} from "node:crypto";
import {mkdir, readdir, rename, rm, stat, writeFile} from "node:fs/promises";
import {basename, dirname, join, resolve} from "node:path";

import {UserError} from "../../core/errors.js";
import {isEnoent} from "./errno.js";

/**
 * Calls `write(tmpDir)`, then moves tmpDir to `target`. `isReplaceable(names)` decides whether an
 * existing non-empty target (given its file names) may be replaced. On failure the temporary
 * folder is removed and the target is left as it was.
 */
export async function writeDirAtomic(
  target: string,
  write: (tmpDir: string) => Promise<void>,
  isReplaceable: (names: string[]) => boolean
): Promise<void> {
  const out = resolve(target);
  const parent = dirname(out);
  await mkdir(parent, {recursive: true});
  const existing = await stat(out).catch((error: unknown) => {
    if (isEnoent(error)) return undefined;
    throw new UserError(`cannot inspect ${out}: ${(error as Error).message}`);
  });
  if (existing) {
    if (!existing.isDirectory()) throw new UserError(`${out} exists and is not a folder; choose another --out`);
    const names = await readdir(out);
    if (names.length > 0 && !isReplaceable(names)) {
      throw new UserError(`${out} is not empty and holds no previous export; choose an empty or new --out folder`);
    }
  }
  const {tmp, suffix} = await tempSibling(out);
  try {
    await write(tmp);
  } catch (error) {
    await rm(tmp, {recursive: true, force: true});
    throw error;
  }
  const old = join(parent, `.${basename(out)}.old-${suffix}`);
  try {
    if (existing) await rename(out, old);
    await rename(tmp, out);
  } catch (error) {
    // Put the previous export back if it was moved aside.
    if (existing) await rename(old, out).catch(() => undefined);
    await rm(tmp, {recursive: true, force: true});
    throw new UserError(`cannot move the export into ${out}: ${(error as Error).message}`, {cause: error});
  }
  if (existing) await rm(old, {recursive: true, force: true});
}

/** A new empty folder beside `target` (same file system, so renames are atomic), named after it. */
async function tempSibling(target: string): Promise<{tmp: string; suffix: string}> {
  const suffix = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
  await mkdir(tmp);
  return {tmp, suffix};
}

/**
 * Writes `files` (name to bytes) into `dir` so that a failure leaves nothing behind. A new `dir` is
 * created whole by renaming the temporary folder; an existing one only has these files replaced,
 * one atomic rename each, and keeps everything else (it may be any folder the user named).
 */
export async function writeFilesAtomic(
  dir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  notAFolder: string
): Promise<void> {
  const target = resolve(dir);
  await mkdir(dirname(target), {recursive: true});
  const {tmp} = await tempSibling(target);
  try {
    for (const [name, data] of files) await writeFile(join(tmp, name), data);
    const existing = await stat(target).catch(() => undefined);
    if (!existing) await rename(tmp, target);
    else {
      if (!existing.isDirectory()) throw new UserError(notAFolder);
      for (const name of files.keys()) await rename(join(tmp, name), join(target, name));
    }
  } finally {
    await rm(tmp, {recursive: true, force: true});
  }
}
