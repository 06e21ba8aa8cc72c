/**
 * An exclusive lock on a folder, held by one process: a `.fmnist.lock` file naming its holder's
 * PID, created atomically (link(2) of a complete temporary file, so the lock is never seen empty).
 * A lock whose holder is no longer running (killed, crashed) is stale and taken over.
 *
 * Written by hand: proper-lockfile and lockfile judge staleness by the lock's age, which needs a
 * timer refreshing it while the holder runs. A training step blocks the event loop for seconds on
 * a loaded machine, which would make a live lock look stale, and neither names the holder's PID.
 * Node only.
 */
import {randomBytes} from "node:crypto";
import {hostname} from "node:os";
import {link, readFile, unlink, writeFile} from "node:fs/promises";
import {join} from "node:path";

import {UserError} from "../../core/errors.js";
import {isEnoent, withPath} from "./errno.js";
import {isProcessAlive} from "./process.js";

export const LOCK_FILE = ".fmnist.lock";

/** What a lock file holds. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** The holder's command line, for the message a second writer gets. */
  command: string;
  since: string;
  /** Random, to tell this lock from a later one of the same PID. */
  token: string;
}

/** Another live process holds the lock. */
export class LockedError extends UserError {
  override name = "LockedError";
  constructor(
    message: string,
    readonly holder: LockHolder
  ) {
    super(message);
  }
}

export interface FolderLock {
  readonly path: string;
  /** Removes the lock file if it is still this lock's. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** What the folder is, for the message (default "folder"). */
  what?: string;
  /** Keep trying this long while a live process holds it (default 0: refuse at once). */
  waitMs?: number;
}

/** Takes the lock on `dir` (which must exist): its `.fmnist.lock`; see {@link lockFile}. */
export async function lockFolder(dir: string, options: LockOptions = {}): Promise<FolderLock> {
  return lockFile(join(dir, LOCK_FILE), dir, options);
}

/**
 * Takes the lock file `path` guarding `dir` (named in messages), or throws {@link LockedError}
 * naming the live holder.
 */
export async function lockFile(path: string, dir: string, options: LockOptions = {}): Promise<FolderLock> {
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: process.argv.slice(1).join(" ").slice(0, 300),
    since: new Date().toISOString(),
    token: randomBytes(8).toString("hex")
  };
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    if (await createExclusive(path, JSON.stringify(me) + "\n", dir)) {
      return {path, release: () => releaseIfMine(path, me.token)};
    }
    const holder = await readHolder(path);
    if (holder === undefined) continue; // released meanwhile
    if (holder !== "unreadable" && !isLive(holder)) {
      await breakStaleLock(path, holder);
      continue;
    }
    if (Date.now() < deadline) {
      await sleep(50);
      continue;
    }
    if (holder === "unreadable") {
      throw new UserError(
        `${dir} is locked (${path} is not a lock fmnist can read); delete that file if no fmnist runs on it`
      );
    }
    const what = options.what ?? "folder";
    throw new LockedError(
      `${dir} is in use: another fmnist process (PID ${holder.pid}${holder.hostname === me.hostname ? "" : ` on ${holder.hostname}`}, ` +
        `since ${holder.since}) is writing this ${what}; wait for it to finish or stop it`,
      holder
    );
  }
}

/** True when the holder may still be running (on another machine we cannot tell, so we assume so). */
function isLive(holder: LockHolder): boolean {
  return holder.hostname !== hostname() || isProcessAlive(holder.pid);
}

/** Creates `path` with `content` unless it exists; false when it does. Errors name `dir`. */
async function createExclusive(path: string, content: string, dir: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, content);
  } catch (error) {
    throw withPath(error, dir, true);
  }
  try {
    await link(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw withPath(error, dir, true);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | "unreadable" | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isSafeInteger(h.pid) && typeof h.token === "string" && typeof h.hostname === "string"
      ? h
      : "unreadable";
  } catch {
    return "unreadable";
  }
}

/**
 * Removes a stale lock, unless another process replaced it meanwhile. Breakers take turns through
 * a second lock file, so two of them cannot both see the same stale lock and the second remove the
 * lock the first one just took. (A breaker killed inside those few lines leaves a stale breaker
 * lock, itself removed by the next one.)
 */
async function breakStaleLock(path: string, stale: LockHolder): Promise<void> {
  const breaker = `${path}.break`;
  const me = JSON.stringify({pid: process.pid, hostname: hostname(), token: randomBytes(8).toString("hex")});
  if (!(await createExclusive(breaker, me, path))) {
    const other = await readHolder(breaker);
    if (other !== undefined && other !== "unreadable" && isLive(other)) await sleep(20);
    else await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const current = await readHolder(path);
    if (current !== undefined && current !== "unreadable" && current.token === stale.token) await unlink(path);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function releaseIfMine(path: string, token: string): Promise<void> {
  const holder = await readHolder(path);
  if (holder !== undefined && holder !== "unreadable" && holder.token === token) await unlink(path);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
