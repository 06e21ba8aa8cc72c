/**
 * Fault injection for the CLI tests of file-system errors that a test cannot cause for real (as
 * root, without limits on this process): loaded with `node --import`, it makes `open`, `mkdir`
 * and `writeFile` of `node:fs/promises` fail with the errno in FMNIST_TEST_FAULT (`CODE:TEXT`) for
 * every path containing TEXT, as Node itself reports such errors (code, syscall, path). Plain
 * JavaScript so it loads before tsx. Not a test file itself.
 */
import fs from "node:fs";
import process from "node:process";
import {syncBuiltinESMExports} from "node:module";

const [code, text] = (process.env.FMNIST_TEST_FAULT ?? "").split(":");
if (code && text) {
  for (const syscall of ["open", "mkdir", "writeFile"]) {
    const original = fs.promises[syscall];
    fs.promises[syscall] = async (path, ...rest) => {
      if (typeof path === "string" && path.includes(text)) {
        throw Object.assign(new Error(`${code}: injected by the test, ${syscall} '${path}'`), {code, syscall, path});
      }
      return original(path, ...rest);
    };
  }
  // Modules importing from node:fs/promises see the patched functions too.
  syncBuiltinESMExports();
}
