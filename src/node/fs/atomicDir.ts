/**
 * Writing a whole folder so that nothing is ever half-written: the files go to a temporary sibling
 * folder, which replaces the target by rename once complete. A previous export in the target is
 * replaced; any other non-empty folder is refused rather than deleted.
 */
import {randomBytes} from "node:crypto";
import {mkdir, readdir, rename, rm, stat} from "node:fs/promises";
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
  const suffix = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const tmp = join(parent, `.${basename(out)}.tmp-${suffix}`);
  await mkdir(tmp);
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
