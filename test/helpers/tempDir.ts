/** Temporary folders for test files. Not a test file itself. */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll} from "vitest";

/** A new folder `fmnist-<name>-XXXXXX` under the system's temporary folder, removed after the test file. */
export function tempDirForFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fmnist-${name}-`));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}
