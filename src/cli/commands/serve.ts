/**
 * `fmnist serve`: serves the web app at `/`, an export folder at `/projector/` (also readable by
 * the TensorBoard Projector, hence CORS), a training run at `/runs/` and the model at `/model/`.
 */
import {readFile, stat} from "node:fs/promises";
import {join} from "node:path";
import {fileURLToPath} from "node:url";

import {MOUNTS} from "../../core/formats/mounts.js";
import {FILES} from "../../core/formats/projector.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {StaticServer} from "../../node/server/staticServer.js";
import type {Effects} from "../../core/effects.js";

/** The built web app (`npm run build`), relative to the package (works from src/ via tsx and from dist/). */
export const DEFAULT_APP_DIR = fileURLToPath(new URL("../../../dist/web", import.meta.url));
/** The shipped model's training run (metrics.jsonl, config.json). */
export const DEFAULT_RUN_DIR = join(DEFAULT_MODEL_DIR, "run");

export interface ServeOptions {
  /** Export folder, served at /projector/ (default "projector", where `fmnist export` writes). */
  dir?: string;
  /** Built web app, served at / (default: the package's dist/web). */
  app?: string;
  /** Training run folder, served at /runs/ (default: the shipped model's run). */
  run?: string;
  /** TF.js model folder, served at /model/ (default: the shipped model). */
  model?: string;
  /** Port (default 8000; 0 picks a free one). */
  port?: number;
  /** Interface (default 127.0.0.1; 0.0.0.0 serves the whole network, with a warning). */
  host?: string;
}

const PROJECTOR = "https://projector.tensorflow.org/";

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false
  );
}

/** Starts the server and prints the addresses of the app and of the Projector config; the caller closes it. */
export async function serveCommand(options: ServeOptions, effects: Effects): Promise<StaticServer> {
  const logger = effects.log;
  const dir = options.dir ?? "projector";
  const app = options.app ?? DEFAULT_APP_DIR;
  const run = options.run ?? DEFAULT_RUN_DIR;
  const model = options.model ?? DEFAULT_MODEL_DIR;
  const host = options.host ?? "127.0.0.1";
  const warning = publicHostWarning(host, dir);
  if (warning) logger.warn(warning);

  const mounts: Record<string, string> = {};
  const appBuilt = await isFolder(app);
  if (!appBuilt) logger.warn(`no web app at ${app}; build it with \`npm run build\` (serving ${dir}/ alone)`);
  // The export is mounted even when missing folders are skipped below: serving nothing at all is an error.
  mounts[MOUNTS.projector] = dir;
  if (await isFolder(run)) mounts[MOUNTS.runs] = run;
  else logger.warn(`no training run at ${run}; the dashboard will be empty`);
  if (await isFolder(model)) mounts[MOUNTS.model] = model;
  else logger.warn(`no model at ${model}; the web app cannot classify`);

  const server = await StaticServer.start({
    root: appBuilt ? app : dir,
    mounts,
    host,
    port: options.port ?? 8000,
    logger
  });
  const local = host === "0.0.0.0" || host === "::" || host === "127.0.0.1" || host === "::1" ? "localhost" : host;
  const here = `http://${local.includes(":") ? `[${local}]` : local}:${server.port}`;
  logger.info(`serving ${appBuilt ? "the web app" : `${dir}/`} at ${server.url}/ (Ctrl-C to stop)`);
  if (appBuilt) logger.info(`open ${here}/`);

  const config = await readFile(join(dir, FILES.config), "utf8").catch(() => undefined);
  if (config === undefined) {
    logger.warn(`${dir}/ has no ${FILES.config}; create one with \`fmnist export --out ${dir}\``);
    return server;
  }
  const projectorBase = `${here}/${MOUNTS.projector}`;
  const origin = configOrigin(config);
  if (origin && origin !== projectorBase) {
    logger.warn(
      `${FILES.config} points at ${origin}, not this server (${projectorBase}); ` +
        `re-export with --base-url ${projectorBase} or serve on the port it names`
    );
  }
  logger.info(`TensorBoard Projector: ${PROJECTOR}?config=${projectorBase}/${FILES.config}`);
  return server;
}

/** A warning for binding every interface (the files become readable from the network), else undefined. */
export function publicHostWarning(host: string, dir: string): string | undefined {
  if (host !== "0.0.0.0" && host !== "::" && host !== "[::]") return undefined;
  return `listening on ${host}: every machine that can reach this one can read ${dir}/ (use the default 127.0.0.1 to keep it local)`;
}

/** Where the config's tensor files live (its first tensor's URL without the file name), if it parses. */
function configOrigin(config: string): string | undefined {
  try {
    const parsed = JSON.parse(config) as {embeddings?: {tensorPath?: string}[]};
    const path = parsed.embeddings?.[0]?.tensorPath;
    if (!path) return undefined;
    const url = new URL(path);
    return url.href.slice(0, url.href.lastIndexOf("/"));
  } catch {
    return undefined;
  }
}
