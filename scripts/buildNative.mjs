// Optional step of `npm run build`: builds the native addon (native/build.sh: oneDNN convolutions,
// OpenMP kernels, t-SNE's iteration and UMAP's epochs) when oneDNN's headers (Debian: libdnnl-dev) and g++ are
// present. Always exits 0: without the addon the product runs its WASM kernels and t-SNE in
// JavaScript.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import process from "node:process";
import {fileURLToPath, URL} from "node:url";

const say = (line) => process.stdout.write(`native kernels: ${line}\n`);
const script = fileURLToPath(new URL("../native/build.sh", import.meta.url));
const header = ["/usr/include/dnnl.hpp", "/usr/include/oneapi/dnnl/dnnl.hpp"].some((p) => existsSync(p));
if (!header) {
  say("skipped (libdnnl-dev is not installed); using the WASM kernels");
} else if (spawnSync("g++", ["--version"], {stdio: "ignore"}).status !== 0) {
  say("skipped (no g++); using the WASM kernels");
} else {
  const result = spawnSync("sh", [script], {encoding: "utf8"});
  if (result.status === 0) say("built native/build/fmnist_native.node (oneDNN, t-SNE, UMAP)");
  else {
    const reason = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split("\n")[0];
    say(`build failed (${reason}); using the WASM kernels`);
  }
}
process.exitCode = 0;
