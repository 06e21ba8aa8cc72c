/**
 * Starts a worker thread from a sibling module of the caller, in source (`.ts`, under tsx or
 * vitest) and built (`.js`) alike. From source the worker first registers tsx's loader through
 * its API: a Worker given `--import tsx` in execArgv still cannot load a `.ts` entry in Node 20,
 * and one started by a test runner inherits no loader at all. Node only.
 */
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {pathToFileURL} from "node:url";
import {Worker, type WorkerOptions} from "node:worker_threads";

/** A Worker running `name` (without extension) next to the module at `callerUrl`. */
export function siblingWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  const fromSource = callerUrl.endsWith(".ts");
  const url = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, callerUrl);
  if (!fromSource) return new Worker(url, options);
  const tsxDir = dirname(createRequire(callerUrl).resolve("tsx/package.json"));
  const api = pathToFileURL(join(tsxDir, "dist", "esm", "api", "index.mjs")).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, {...options, eval: true});
}
