/**
 * `fmnist start` (what `npm start` runs): makes sure the shipped model's export exists, running
 * `fmnist export` once when it does not, then serves the web app and prints its address.
 */
import {stat} from "node:fs/promises";
import {join} from "node:path";

import {FILES} from "../../core/formats/projector.js";
import type {StaticServer} from "../../node/server/staticServer.js";
import type {Effects} from "../../core/effects.js";
import {exportCommand} from "./export.js";
import {MOUNTS} from "../../core/formats/mounts.js";
import {serveCommand} from "./serve.js";

export interface StartOptions {
  /** Export folder (default "projector"); made when it lacks config.json or projections.json. */
  dir?: string;
  /** Port (default 8000). */
  port?: number;
  /** Interface (default 127.0.0.1). */
  host?: string;
  /** Folder with the Fashion-MNIST files, for the export. */
  dataDir?: string;
  /** Check the dataset's SHA-256 for the export (default true). */
  verify?: boolean;
  /** Test images in a new export (default all 10,000). */
  count?: number;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false
  );
}

/** True when `dir` holds a finished export (the export replaces its folder as a whole, so these two suffice). */
export async function hasExport(dir: string): Promise<boolean> {
  return (await isFile(join(dir, FILES.config))) && (await isFile(join(dir, FILES.projections)));
}

export async function startCommand(options: StartOptions, effects: Effects): Promise<StaticServer> {
  const dir = options.dir ?? "projector";
  const port = options.port ?? 8000;
  if (!(await hasExport(dir))) {
    effects.log.info(
      `first start: exporting the embeddings of ${(options.count ?? 10_000).toLocaleString("en")} test images ` +
        `with PCA, t-SNE and UMAP to ${dir}/ (a few minutes, once)`
    );
    await exportCommand(
      {
        out: dir,
        count: options.count,
        dataDir: options.dataDir,
        verify: options.verify,
        baseUrl: `http://localhost:${port === 0 ? 8000 : port}/${MOUNTS.projector}`
      },
      effects
    );
  }
  return serveCommand({dir, port, host: options.host}, effects);
}
