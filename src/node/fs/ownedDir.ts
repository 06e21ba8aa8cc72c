/**
 * Folders the tool owns. A folder fmnist writes carries a marker file, `.fmnist-owned.json`, saying
 * what kind of folder it is and (for exports and plot folders) listing exactly the files written.
 * Only a folder with the right marker is ever replaced, and then only the files the marker lists
 * are deleted: a file a user added, or a folder that merely looks like ours, is never touched.
 * Node only.
 */
import {lstat, readdir, rmdir, unlink} from "node:fs/promises";
import {join, sep} from "node:path";

import {UserError} from "../../core/errors.js";
import {TEMP_FILE, writeFileAtomic, writeSynced} from "./atomicFile.js";
import {isEnoent, withPath} from "./errno.js";
import {LOCK_FILE} from "./lock.js";
import {readRegularTextFile} from "./readRegularFile.js";

export const MARKER_FILE = ".fmnist-owned.json";
const MARKER_FORMAT = "fmnist-owned/1";
const MAX_MARKER_BYTES = 1024 * 1024;

export type OwnedKind = "export" | "plots" | "run";

export interface Marker {
  format: typeof MARKER_FORMAT;
  kind: OwnedKind;
  /** False while the folder is being written. */
  complete: boolean;
  /** The files written, relative to the folder with `/` separators (exports and plot folders). */
  files: string[];
}

/** The folder's marker, or undefined when it has none (or one that is not ours). */
export async function readMarker(dir: string): Promise<Marker | undefined> {
  let text: string;
  try {
    text = await readRegularTextFile(join(dir, MARKER_FILE), MAX_MARKER_BYTES, "marker file");
  } catch (error) {
    if (isEnoent(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR" || error instanceof UserError) {
      return undefined;
    }
    throw error;
  }
  try {
    const m = JSON.parse(text) as Partial<Marker>;
    const kinds: unknown[] = ["export", "plots", "run"];
    if (m.format !== MARKER_FORMAT || !kinds.includes(m.kind) || typeof m.complete !== "boolean") return undefined;
    if (!Array.isArray(m.files) || !m.files.every((f) => typeof f === "string" && isSafeRelative(f))) return undefined;
    return m as Marker;
  } catch {
    return undefined;
  }
}

export async function writeMarker(dir: string, kind: OwnedKind, files: string[], complete: boolean): Promise<void> {
  const marker: Marker = {format: MARKER_FORMAT, kind, complete, files};
  await writeFileAtomic(join(dir, MARKER_FILE), JSON.stringify(marker, null, 1) + "\n");
}

/** A relative path that stays inside its folder. */
function isSafeRelative(path: string): boolean {
  return path.length > 0 && !path.startsWith("/") && path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** The files (relative paths with `/`) and folders below `dir`, without following symbolic links. */
export async function listTree(dir: string): Promise<{files: string[]; folders: string[]}> {
  const files: string[] = [];
  const folders: string[] = [];
  const walk = async (rel: string) => {
    for (const entry of await readdir(rel ? join(dir, rel) : dir, {withFileTypes: true})) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        folders.push(path);
        await walk(path);
      } else files.push(path);
    }
  };
  await walk("");
  return {files: files.sort(), folders: folders.sort()};
}

/** True when `dir` holds no file at any depth (empty folders do not count). */
export async function holdsNoFiles(dir: string): Promise<boolean> {
  return (await listTree(dir)).files.length === 0;
}

/**
 * Files in the owned folder `dir` that its marker does not list (besides the marker and lock),
 * i.e. files fmnist did not write there.
 */
export async function foreignFiles(dir: string, marker: Marker): Promise<string[]> {
  const listed = new Set([...marker.files, MARKER_FILE, LOCK_FILE]);
  return (await listTree(dir)).files.filter((f) => !listed.has(f));
}

/**
 * Deletes the files the marker of `dir` lists, then the marker (and temporary files of it), then
 * the folders that are left empty, `dir` included. Without a marker, only marker temporaries and
 * empty folders go (what a process killed before its first marker was written leaves). Files the marker does not list are kept, and so is every folder holding
 * them; returns false when something was kept.
 */
export async function removeOwnedFiles(dir: string, marker: Marker | undefined): Promise<boolean> {
  for (const file of marker?.files ?? []) await unlinkIfPresent(join(dir, ...file.split("/")));
  await unlinkIfPresent(join(dir, MARKER_FILE));
  // A process killed while rewriting the marker leaves its temporary file.
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (TEMP_FILE.exec(name)?.[1] === MARKER_FILE) await unlinkIfPresent(join(dir, name));
  }
  return removeEmptyFolders(dir);
}

/** Removes `dir` and the folders below it that hold nothing; false when something is left. */
export async function removeEmptyFolders(dir: string): Promise<boolean> {
  const {folders} = await listTree(dir).catch((error: unknown) => {
    if (isEnoent(error)) return {folders: [] as string[]};
    throw error;
  });
  for (const folder of folders.reverse()) await rmdirIfEmpty(join(dir, ...folder.split("/")));
  return rmdirIfEmpty(dir);
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (!isEnoent(error)) throw error;
  });
}

/** Removes the folder `path` if it is empty; false when it is not. */
export async function rmdirIfEmpty(path: string): Promise<boolean> {
  try {
    await rmdir(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return true;
    if (code === "ENOTEMPTY" || code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Writes files into a new folder, listing each in the folder's marker *before* writing it, so a
 * kill at any moment leaves a folder whose every file the marker lists (and so can be removed).
 */
export class OwnedDirWriter {
  private readonly files: string[] = [];

  private constructor(
    readonly dir: string,
    private readonly kind: OwnedKind
  ) {}

  /** Starts writing into `dir`, which must exist and be empty. */
  static async start(dir: string, kind: OwnedKind): Promise<OwnedDirWriter> {
    const writer = new OwnedDirWriter(dir, kind);
    await writeMarker(dir, kind, [], false);
    return writer;
  }

  /** Names written so far. */
  get written(): readonly string[] {
    return this.files;
  }

  /** Writes one file (a name inside the folder, no sub-folders) and fsyncs it. */
  async write(name: string, data: string | Uint8Array): Promise<void> {
    if (name.includes("/") || name.includes(sep) || !isSafeRelative(name) || name === MARKER_FILE) {
      throw new Error(`OwnedDirWriter: bad file name ${JSON.stringify(name)}`);
    }
    if (this.files.includes(name)) throw new Error(`OwnedDirWriter: ${name} written twice`);
    this.files.push(name);
    await writeMarker(this.dir, this.kind, this.files, false);
    const path = join(this.dir, name);
    try {
      await writeSynced(path, data, "wx");
    } catch (error) {
      throw withPath(error, path);
    }
  }

  /** Marks the folder complete. */
  async finish(): Promise<void> {
    await writeMarker(this.dir, this.kind, this.files, true);
  }
}

/** `lstat` that returns undefined for a missing path. */
export async function lstatIfExists(path: string) {
  return lstat(path).catch((error: unknown) => {
    if (isEnoent(error)) return undefined;
    throw error;
  });
}
