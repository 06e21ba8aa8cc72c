/**
 * Writing a whole folder (an export, a plot folder) so that nothing is ever half-written and
 * nothing of the user's is ever lost:
 *
 * - the files go to a hidden sibling `.NAME.tmp-PID-RANDOM`, whose marker lists every file before
 *   it is written; the folder replaces the target by rename once complete;
 * - an existing target is replaced only when its marker says fmnist wrote it as this kind of
 *   folder and it holds no file the marker does not list; it is moved aside to
 *   `.NAME.old-PID-RANDOM` and then only its listed files are deleted;
 * - one process at a time per target (a `.NAME.lock` beside it);
 * - a process killed at any point leaves hidden folders that the next claim of the same target
 *   recovers: a complete previous version moved aside while the target is missing is put back,
 *   anything else carrying our marker is removed file by file. Folders without our marker are
 *   never touched.
 *
 * Node only.
 */
import {randomBytes} from "node:crypto";
import {renameSync, rmdirSync} from "node:fs";
import {mkdir, readdir, rename} from "node:fs/promises";
import {basename, dirname, join, resolve} from "node:path";

import {UserError} from "../../core/errors.js";
import {isErrnoError} from "./errno.js";
import {killPoint} from "./killPoint.js";
import {makeDir} from "./makeDir.js";
import {lockFile, type FolderLock} from "./lock.js";
import {foreignFiles, lstatIfExists, OwnedDirWriter, readMarker, removeOwnedFiles, type OwnedKind} from "./ownedDir.js";
import {isProcessAlive} from "./process.js";

export interface DirSpec {
  kind: OwnedKind;
  /** The option that named the folder, for messages ("--out"). */
  option: string;
  /** What the folder holds, for messages ("an export"). */
  label: string;
}

/** What {@link recoverDir} did. */
export interface Recovery {
  /** Hidden folders put back as the target (a previous version moved aside by a killed process). */
  restored: string[];
  /** Hidden folders of killed processes that were removed. */
  removed: string[];
  /** Hidden folders carrying our marker that also hold files we did not write (left in place). */
  kept: string[];
}

const HIDDEN = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-f]+$/;

/** A target folder claimed for writing: locked, recovered and checked. */
export class ClaimedDir {
  private constructor(
    /** Absolute path of the target. */
    readonly path: string,
    private readonly spec: DirSpec,
    private readonly lock: FolderLock,
    /** What the claim recovered from earlier interrupted writes. */
    readonly recovery: Recovery
  ) {}

  /**
   * Locks `target`, recovers what interrupted writes left beside it, and checks that it may be
   * replaced (a {@link UserError} otherwise, with nothing changed). Call {@link commit}, then
   * {@link release}.
   */
  static async claim(target: string, spec: DirSpec): Promise<ClaimedDir> {
    const path = resolve(target);
    const parent = dirname(path);
    await makeDir(parent).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTDIR") {
        throw new UserError(`${parent} is not a folder; choose another ${spec.option}`);
      }
      throw error;
    });
    const lock = await lockFile(join(parent, `.${basename(path)}.lock`), path, {what: spec.label});
    try {
      const recovery = await recoverDir(path, spec.kind);
      await checkReplaceable(path, spec);
      return new ClaimedDir(path, spec, lock, recovery);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Writes the new folder with `write` and moves it into place. On failure (or when `write`
   * throws) the target is left as it was and the temporary folder removed.
   */
  async commit(write: (writer: OwnedDirWriter) => Promise<void>): Promise<string[]> {
    const parent = dirname(this.path);
    const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
    const tmp = join(parent, `.${basename(this.path)}.tmp-${suffix}`);
    await mkdir(tmp);
    const old = join(parent, `.${basename(this.path)}.old-${suffix}`);
    let writer: OwnedDirWriter;
    try {
      writer = await OwnedDirWriter.start(tmp, this.spec.kind);
      await write(writer);
      await writer.finish();
      // Again: the user may have put something into the target while we were writing.
      const existing = await checkReplaceable(this.path, this.spec);
      swapInto(this.path, tmp, old, existing);
    } catch (error) {
      const marker = await readMarker(tmp).catch(() => undefined);
      await removeOwnedFiles(tmp, marker).catch(() => undefined);
      // Name the folder the user asked for, not the hidden one.
      if (isErrnoError(error) && error.path?.startsWith(tmp)) error.path = this.path + error.path.slice(tmp.length);
      throw error;
    }
    // The new folder is in place; what is left of the old one is removed now or by the next claim.
    const previous = await readMarker(old).catch(() => undefined);
    if (previous) await removeOwnedFiles(old, previous).catch(() => undefined);
    return [...writer.written];
  }

  async release(): Promise<void> {
    await this.lock.release();
  }
}

/**
 * Moves the complete folder `tmp` to `path`, moving an owned previous version aside to `old` first.
 * Synchronous on purpose: the target is missing between the two renames, and two system calls in a
 * row (microseconds) keep that window far smaller than two trips through libuv's thread pool with
 * an event-loop turn between them. Linux could swap the two atomically (renameat2 with
 * RENAME_EXCHANGE) but Node does not expose it; a process killed inside the window leaves the
 * previous version complete in `old`, and {@link recoverDir} puts it back at the next claim.
 */
function swapInto(path: string, tmp: string, old: string, existing: "missing" | "empty" | "owned"): void {
  if (existing === "owned") renameSync(path, old);
  else if (existing === "empty") rmdirSync(path);
  killPoint("dir-swap:moved-aside");
  try {
    renameSync(tmp, path);
  } catch (error) {
    if (existing === "owned") renameSync(old, path);
    throw error;
  }
  killPoint("dir-swap:replaced");
}

/**
 * Checks that the folder at `path` may be replaced: missing, empty, or written by fmnist as this
 * kind of folder and holding only the files its marker lists. Throws a one-line {@link UserError}
 * otherwise.
 */
export async function checkReplaceable(path: string, spec: DirSpec): Promise<"missing" | "empty" | "owned"> {
  const info = await lstatIfExists(path);
  if (!info) return "missing";
  if (info.isSymbolicLink()) {
    throw new UserError(`${path} is a symbolic link; give the folder it points to, or another ${spec.option}`);
  }
  if (!info.isDirectory()) throw new UserError(`${path} exists and is not a folder; choose another ${spec.option}`);
  if ((await readdir(path)).length === 0) return "empty";
  const marker = await readMarker(path);
  if (!marker || marker.kind !== spec.kind) {
    throw new UserError(
      `${path} is not empty and holds no ${spec.label} written by fmnist; choose an empty or new ${spec.option} folder`
    );
  }
  const foreign = await foreignFiles(path, marker);
  if (foreign.length > 0) {
    const more = foreign.length > 1 ? ` and ${foreign.length - 1} more` : "";
    throw new UserError(
      `${path} holds ${foreign[0]}${more}, which fmnist did not write; move ${foreign.length > 1 ? "them" : "it"} ` +
        `away or choose another ${spec.option} (nothing was changed)`
    );
  }
  return "owned";
}

/**
 * Recovers what processes killed while writing `path` left beside it (see the module comment).
 * Folders of live processes and folders without our marker of `kind` are left alone.
 */
export async function recoverDir(target: string, kind: OwnedKind): Promise<Recovery> {
  const path = resolve(target);
  const parent = dirname(path);
  const recovery: Recovery = {restored: [], removed: [], kept: []};
  const names = await readdir(parent).catch(() => [] as string[]);
  const candidates = names
    .map((name) => ({name, match: HIDDEN.exec(name)}))
    .filter(({match}) => match !== null && match[1] === basename(path))
    .filter(({match}) => !isProcessAlive(Number(match?.[3])) || Number(match?.[3]) === process.pid)
    // Previous versions first: one of them may have to be put back.
    .sort((a, b) => (a.match?.[2] === b.match?.[2] ? a.name.localeCompare(b.name) : a.match?.[2] === "old" ? -1 : 1));
  for (const {name, match} of candidates) {
    const hidden = join(parent, name);
    const marker = await readMarker(hidden);
    if (marker && marker.kind !== kind) continue;
    if (!marker) {
      // Killed before its marker was written: only an empty folder (or marker temporaries) goes.
      if (match?.[2] === "tmp" && (await removeOwnedFiles(hidden, undefined))) recovery.removed.push(hidden);
      continue;
    }
    if (match?.[2] === "old" && marker.complete && !(await lstatIfExists(path))) {
      await rename(hidden, path);
      recovery.restored.push(hidden);
    } else if (await removeOwnedFiles(hidden, marker)) recovery.removed.push(hidden);
    else recovery.kept.push(hidden);
  }
  return recovery;
}
