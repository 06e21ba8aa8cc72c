/**
 * Who may write a training run folder, decided before anything is written (Node only):
 *
 * - `train --out DIR`: DIR must be new or hold no files; a folder holding a run (recognised by the
 *   marker file fmnist writes into every run, not by file names) is replaced only with `--force`,
 *   and then only the files a run writes are deleted; a folder holding anything else is refused.
 * - `train --resume DIR`: DIR must be a run (its marker, or `config.json` and `last/state.json`
 *   for runs made before the marker existed).
 * - One writer at a time: the run folder's lock names the PID of the process writing it.
 */
import {stat, unlink} from "node:fs/promises";
import {join} from "node:path";

import {UserError} from "../../core/errors.js";
import {isEnoent} from "../fs/errno.js";
import {TEMP_FILE} from "../fs/atomicFile.js";
import {LOCK_FILE, lockFolder, type FolderLock} from "../fs/lock.js";
import {makeDir} from "../fs/makeDir.js";
import {listTree, MARKER_FILE, readMarker, removeEmptyFolders, rmdirIfEmpty, writeMarker} from "../fs/ownedDir.js";
import {OOD_STATS_FILE} from "../../core/formats/oodStats.js";
import {CONFIG_FILE, LAST_DIR, MODEL_DIR} from "./runDir.js";

const LOG_DIR = "logs";
const NAME = "[\\w.-]+";
const WEIGHTS = "(model\\.json|metadata\\.json|weights-[\\w-]+\\.bin|optimizer\\.(bin|json))";

/** The files a training run writes, relative to the run folder with `/` separators. */
const RUN_FILES = [
  /^(config\.json|metrics\.jsonl)$/,
  /^(confusion_matrix|curves|per_class_accuracy|model)\.png$/,
  /^model\.svg$/,
  new RegExp(`^${MODEL_DIR}/${WEIGHTS}$`),
  // The out-of-distribution statistics that the run's closing `calibrate` writes beside its model.
  new RegExp(`^${MODEL_DIR}/${OOD_STATS_FILE.replace(".", "\\.")}$`),
  new RegExp(`^${LAST_DIR}/(state\\.json|${WEIGHTS})$`),
  new RegExp(`^${LAST_DIR}/epoch-\\d{4,}/${WEIGHTS}$`),
  new RegExp(`^${LOG_DIR}/(train|validation)/events\\.out\\.tfevents\\.${NAME}$`)
];

/** True for a file a training run writes (or a temporary file of one, or the run's marker and lock). */
export function isRunFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (path === MARKER_FILE || name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`)) return true;
  const temp = TEMP_FILE.exec(name);
  if (temp) return isRunFile(path.slice(0, path.length - name.length) + temp[1]);
  return RUN_FILES.some((pattern) => pattern.test(path));
}

export interface RunClaimOptions {
  /** Continue the run in the folder (else start a new one). */
  resume: boolean;
  /** Replace a run already in the folder (new runs only). */
  force: boolean;
}

/** A run folder claimed for writing. */
export interface RunClaim {
  /**
   * Releases the lock. After a `failed` new run that wrote nothing (bad data, say), the folder
   * this claim created is removed again: only its marker and empty folders, never anything else.
   */
  release(failed: boolean): Promise<void>;
}

/**
 * Checks that `run` may be written as asked (a one-line {@link UserError} otherwise, with nothing
 * changed), takes its lock, and marks it as a run. The caller releases it.
 */
export async function claimRunDir(run: string, options: RunClaimOptions): Promise<RunClaim> {
  const info = await stat(run).catch((error: unknown) => {
    if (isEnoent(error)) return undefined;
    throw error;
  });
  if (options.resume) {
    if (!info?.isDirectory() || !(await exists(join(run, CONFIG_FILE)))) {
      throw new UserError(`Cannot resume ${run}: it is not a run folder (no ${CONFIG_FILE})`);
    }
  } else if (info && !info.isDirectory()) {
    throw new UserError(`${run} exists and is not a folder; choose another --out`);
  } else if (!info) {
    await makeDir(run);
  }
  const created = !info;
  const lock = await lockFolder(run, {what: "run folder"});
  try {
    if (options.resume) await checkResumable(run);
    else await prepareNewRun(run, options.force);
    await writeMarker(run, "run", [], true);
    return {release: (failed) => releaseRun(run, lock, failed && created)};
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function checkResumable(run: string): Promise<void> {
  if ((await readMarker(run))?.kind === "run") return;
  // A run made before the marker existed: recognised by its committed state.
  const state = join(run, LAST_DIR, "state.json");
  if (!(await exists(state))) throw new UserError(`Cannot resume ${run}: no completed epoch saved (${state} missing)`);
}

async function prepareNewRun(run: string, force: boolean): Promise<void> {
  const files = (await listTree(run)).files.filter((f) => f !== LOCK_FILE && !f.startsWith(`${LOCK_FILE}.`));
  if (files.length === 0) return;
  const marker = await readMarker(run);
  if (marker?.kind !== "run") {
    const hint = (await exists(join(run, CONFIG_FILE)))
      ? ` (to continue a run made by an older fmnist: --resume ${run})`
      : "";
    throw new UserError(
      `${run} is not empty and is not a training run folder; choose an empty or new --out folder${hint}`
    );
  }
  if (!force) {
    throw new UserError(
      `${run} already holds a training run; continue it with --resume ${run}, or start over with --force`
    );
  }
  const foreign = files.filter((f) => !isRunFile(f));
  if (foreign.length > 0) {
    const more = foreign.length > 1 ? ` and ${foreign.length - 1} more` : "";
    throw new UserError(
      `${run} holds ${foreign[0]}${more}, which fmnist did not write; --force replaces only what a run wrote: ` +
        `move ${foreign.length > 1 ? "them" : "it"} away or choose another --out (nothing was deleted)`
    );
  }
  for (const file of files) if (file !== MARKER_FILE) await unlink(join(run, ...file.split("/")));
  for (const folder of (await listTree(run)).folders.reverse()) await rmdirIfEmpty(join(run, ...folder.split("/")));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  );
}

async function releaseRun(run: string, lock: FolderLock, removeIfEmpty: boolean): Promise<void> {
  if (removeIfEmpty) {
    const files = (await listTree(run)).files.filter((f) => f !== MARKER_FILE && f !== LOCK_FILE);
    if (files.length === 0) {
      await unlink(join(run, MARKER_FILE)).catch(() => undefined);
      await lock.release();
      await removeEmptyFolders(run);
      return;
    }
  }
  await lock.release();
}
