/**
 * `fmnist serve`: serves the web app at `/`, an export folder at `/projector/` (its Projector files
 * also readable by the TensorBoard Projector, hence CORS on those, and its config.json rewritten
 * to this server's address), a training run at `/runs/` and the model at `/model/`.
 */
import {readFile, stat} from "node:fs/promises";
import {join} from "node:path";
import {fileURLToPath} from "node:url";

import type {Effects} from "../../core/effects.js";
import {UserError} from "../../core/errors.js";
import {MOUNTS} from "../../core/formats/mounts.js";
import {FILES, fileUrl} from "../../core/formats/projector.js";
import {recoverDir} from "../../node/fs/atomicDir.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {isLoopbackAddress} from "../../node/server/policy.js";
import {StaticServer} from "../../node/server/staticServer.js";

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

/** The export's files that the TensorBoard Projector reads from another origin (config.json and what it names). */
export const PROJECTOR_FILES = [
  FILES.config,
  FILES.embeddingBytes,
  FILES.rawBytes,
  FILES.metadata,
  FILES.sprite,
  FILES.bookmarks
] as const;

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false
  );
}

/** Refuses (one line, with what to do) an export folder that is missing or not a folder. */
async function checkExportFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  const start = `fmnist start${dir === "projector" ? "" : ` --dir ${dir}`}`;
  if (info instanceof Error && (info.code === "ENOENT" || info.code === "ENOTDIR")) {
    throw new UserError(
      `no export at ${dir}/: make one with \`fmnist export --out ${dir}\`, or run \`${start}\`, which exports once and serves`
    );
  }
  if (info instanceof Error) throw new UserError(`cannot serve ${dir}: ${info.message}`);
  if (!info.isDirectory()) {
    throw new UserError(
      `${dir} is not a folder; pass --dir with an export folder (\`fmnist export --out DIR\` makes one)`
    );
  }
}

/** Starts the server and prints the addresses of the app and of the Projector config; the caller closes it. */
export async function serveCommand(options: ServeOptions, effects: Effects): Promise<StaticServer> {
  const logger = effects.log;
  const dir = options.dir ?? "projector";
  const app = options.app ?? DEFAULT_APP_DIR;
  const run = options.run ?? DEFAULT_RUN_DIR;
  const model = options.model ?? DEFAULT_MODEL_DIR;
  // An export killed between its two renames leaves its previous version hidden beside `dir`: put it back
  // (and clear what the killed export left) before looking, so serve and start never see a missing export.
  const {restored, removed} = await recoverDir(dir, "export");
  for (const from of restored) logger.warn(`put back the previous export from ${from}, left by an interrupted export`);
  for (const left of removed) logger.warn(`removed ${left}, left by an interrupted export`);
  await checkExportFolder(dir);

  const mounts: Record<string, string> = {};
  const appBuilt = await isFolder(app);
  if (!appBuilt) logger.warn(`no web app at ${app}; build it with \`npm run build\` (serving ${dir}/ alone)`);
  mounts[MOUNTS.projector] = dir;
  if (await isFolder(run)) mounts[MOUNTS.runs] = run;
  else logger.warn(`no training run at ${run}; the dashboard will be empty`);
  if (await isFolder(model)) mounts[MOUNTS.model] = model;
  else logger.warn(`no model at ${model}; the web app cannot classify`);

  // Without the app the export is served at / (and also at /projector/, where config.json points).
  const exportPaths = appBuilt ? [`/${MOUNTS.projector}`] : [`/${MOUNTS.projector}`, ""];
  const server = await StaticServer.start({
    root: appBuilt ? app : dir,
    mounts,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 8000,
    logger,
    corsPaths: exportPaths.flatMap((prefix) => PROJECTOR_FILES.map((file) => `${prefix}/${file}`)),
    rewrites: Object.fromEntries(
      exportPaths.map((prefix) => [
        `${prefix}/${FILES.config}`,
        (body: Buffer, origin: string) => rebaseProjectorConfig(body, `${origin}/${MOUNTS.projector}`)
      ])
    )
  });
  const warning = publicHostWarning(server.address, dir);
  if (warning) logger.warn(warning);
  const everyInterface = ["0.0.0.0", "::", "127.0.0.1", "::1"].includes(server.address);
  const local = everyInterface ? "localhost" : server.host;
  const here = `http://${local.includes(":") ? `[${local}]` : local}:${server.port}`;
  logger.info(`serving ${appBuilt ? "the web app" : `${dir}/`} at ${server.url}/ (Ctrl-C to stop)`);
  if (appBuilt) logger.info(`open ${here}/`);

  const config = await readFile(join(dir, FILES.config)).catch(() => undefined);
  if (config === undefined) {
    logger.warn(`${dir}/ has no ${FILES.config}; create one with \`fmnist export --out ${dir}\``);
    return server;
  }
  const projectorBase = `${here}/${MOUNTS.projector}`;
  if (rebaseProjectorConfig(config, projectorBase) === undefined) {
    logger.warn(`${dir}/${FILES.config} is not a Projector config; re-export with \`fmnist export --out ${dir}\``);
  }
  logger.info(`TensorBoard Projector: ${PROJECTOR}?config=${projectorBase}/${FILES.config}`);
  return server;
}

/** A warning when the bound address is reachable from other machines (they can then read every served file). */
export function publicHostWarning(address: string, dir: string): string | undefined {
  if (isLoopbackAddress(address)) return undefined;
  return (
    `listening on ${address.includes(":") ? `[${address}]` : address}, not only on this machine: anyone who can reach it ` +
    `can read ${dir}/, the run and the model (the default --host 127.0.0.1 keeps them local)`
  );
}

const URL_FIELDS = ["tensorPath", "metadataPath", "bookmarksPath"] as const;

/**
 * `config.json` with every URL of an export file moved to `baseUrl` (where this server serves the
 * export, as the client addressed it), so that the Projector finds the files whatever `--base-url`
 * the export was made with and whatever port serves it; undefined if it is not a Projector config.
 * Only the served bytes change: the file on disk belongs to the export.
 */
export function rebaseProjectorConfig(body: Buffer, baseUrl: string): Buffer | undefined {
  let config: unknown;
  try {
    config = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  const embeddings = isObject(config) ? config.embeddings : undefined;
  if (!Array.isArray(embeddings)) return undefined;
  const rebase = (value: unknown): unknown => {
    const file = typeof value === "string" ? exportFileOf(value) : undefined;
    return file === undefined ? value : fileUrl(baseUrl, file);
  };
  for (const embedding of embeddings) {
    if (!isObject(embedding)) continue;
    for (const field of URL_FIELDS) if (field in embedding) embedding[field] = rebase(embedding[field]);
    if (isObject(embedding.sprite)) embedding.sprite.imagePath = rebase(embedding.sprite.imagePath);
  }
  return Buffer.from(JSON.stringify(config, null, 2) + "\n");
}

/** The export file an absolute http(s) URL names (its last path segment), if it is one. */
function exportFileOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
    const name = decodeURIComponent(parsed.pathname.slice(parsed.pathname.lastIndexOf("/") + 1));
    return (Object.values(FILES) as string[]).includes(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
