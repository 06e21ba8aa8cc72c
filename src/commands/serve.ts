/** `fmnist serve`: serves an export folder to the TensorBoard Projector (or any browser) over HTTP. */
import {readFile} from "node:fs/promises";
import {join} from "node:path";

import {FILES} from "../export/projector.js";
import {StaticServer} from "../server/staticServer.js";
import type {Logger} from "../tty.js";

export interface ServeOptions {
  /** Folder to serve (default "projector", where `fmnist export` writes). */
  dir?: string;
  /** Port (default 8000; 0 picks a free one). */
  port?: number;
  /** Interface (default 127.0.0.1; 0.0.0.0 serves the whole network, with a warning). */
  host?: string;
}

export interface ServeEffects {
  logger: Logger;
}

const PROJECTOR = "https://projector.tensorflow.org/";

/** Starts the server and prints where to point the Projector; the caller closes it. */
export async function serveCommand(options: ServeOptions, effects: ServeEffects): Promise<StaticServer> {
  const {logger} = effects;
  const dir = options.dir ?? "projector";
  const host = options.host ?? "127.0.0.1";
  const warning = publicHostWarning(host, dir);
  if (warning) logger.warn(warning);
  const server = await StaticServer.start({root: dir, host, port: options.port ?? 8000, logger});
  logger.info(`serving ${dir}/ at ${server.url}/ (Ctrl-C to stop)`);
  const config = await readFile(join(dir, FILES.config), "utf8").catch(() => undefined);
  if (config === undefined) {
    logger.warn(`${dir}/ has no ${FILES.config}; create one with \`fmnist export --out ${dir}\``);
    return server;
  }
  const origin = configOrigin(config);
  const local = host === "0.0.0.0" || host === "::" || host === "127.0.0.1" || host === "::1" ? "localhost" : host;
  const here = `http://${local.includes(":") ? `[${local}]` : local}:${server.port}`;
  const configUrl = `${here}/${FILES.config}`;
  if (origin && !sameServer(origin, server.port)) {
    logger.warn(
      `${FILES.config} points at ${origin}, not this server (port ${server.port}); ` +
        `re-export with --base-url ${here} or serve on the port it names`
    );
  }
  logger.info(`open ${PROJECTOR}?config=${configUrl}`);
  return server;
}

/** A warning for binding every interface (the files become readable from the network), else undefined. */
export function publicHostWarning(host: string, dir: string): string | undefined {
  if (host !== "0.0.0.0" && host !== "::" && host !== "[::]") return undefined;
  return `listening on ${host}: every machine that can reach this one can read ${dir}/ (use the default 127.0.0.1 to keep it local)`;
}

/** The origin the config's tensor URLs point at, if it parses. */
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

function sameServer(base: string, port: number): boolean {
  const url = new URL(base);
  const urlPort = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return urlPort === port;
}
