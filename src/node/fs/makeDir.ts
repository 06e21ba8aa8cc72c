/**
 * `mkdir -p` that reports the real error: Node's `mkdir(path, {recursive: true})` answers ENOENT
 * on a read-only file system (and for other failures of a parent), where the user needs to read
 * EROFS or EACCES with the folder's name. Node only.
 */
import {mkdir, stat} from "node:fs/promises";
import {dirname} from "node:path";

/** Creates `path` and its missing parents; nothing when it is already a folder. */
export async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await stat(path)).isDirectory()) return;
    if (code !== "ENOENT" || dirname(path) === path) throw error;
    await makeDir(dirname(path));
    await mkdir(path).catch(async (again: unknown) => {
      if ((again as NodeJS.ErrnoException).code !== "EEXIST" || !(await stat(path)).isDirectory()) throw again;
    });
  }
}
