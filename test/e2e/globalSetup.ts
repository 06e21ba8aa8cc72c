/**
 * Once before the browser tests: builds the web app into a fresh temporary folder (not dist/web,
 * which another test run or `npm run build` may be rewriting meanwhile) and makes an export of the
 * shipped model's 10,000 test images (t-SNE with fewer iterations, to keep CI short), unless
 * FMNIST_WEB_EXPORT names an existing export folder to reuse (handy while developing).
 */
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {build} from "vite";
import type {TestProject} from "vitest/node";

import {hasExport} from "../../src/cli/commands/start.js";
import {runCli} from "../helpers/cli.js";
import {CHROMIUM} from "./browser.js";

declare module "vitest" {
  export interface ProvidedContext {
    exportDir: string;
    appDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const appDir = mkdtempSync(join(tmpdir(), "fmnist-web-app-"));
  await build({configFile: "web/vite.config.ts", logLevel: "warn", build: {outDir: appDir, emptyOutDir: true}});
  project.provide("appDir", appDir);
  const removeApp = () => rmSync(appDir, {recursive: true, force: true});
  const reuse = process.env.FMNIST_WEB_EXPORT;
  if (reuse) {
    if (!(await hasExport(reuse))) throw new Error(`FMNIST_WEB_EXPORT=${reuse} is not an export folder`);
    project.provide("exportDir", reuse);
    return removeApp;
  }
  const tmp = mkdtempSync(join(tmpdir(), "fmnist-web-export-"));
  const dir = join(tmp, "projector");
  const t0 = performance.now();
  // In a child process: TF.js' WASM worker threads would otherwise keep vitest's main process alive.
  const result = await runCli(["export", "--out", dir, "--tsne-iterations", "300", "--no-progress"], 30 * 60_000);
  if (result.code !== 0) throw new Error(`fmnist export for the web tests failed (${result.code}):\n${result.stderr}`);
  process.stderr.write(
    `web tests: export of 10,000 test images made in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`
  );
  project.provide("exportDir", dir);
  return () => {
    rmSync(tmp, {recursive: true, force: true});
    removeApp();
  };
}
