/**
 * Load test of the static server: serves an export folder on loopback (a free port) and runs
 * autocannon against its config.json and embedding_tensors.tsv, reporting requests per second,
 * p99 latency, errors and non-2xx responses.
 *
 *   npx tsx bench/loadServer.ts [EXPORT_DIR] [--duration S] [--connections N] [--gzip]
 *
 * The server runs in a child process so that it does not share an event loop with autocannon.
 * `loadTest()` is the same as a library call (server in this process, for tests).
 */
import {spawn} from "node:child_process";
import {parseArgs} from "node:util";
import {pathToFileURL} from "node:url";

import autocannon from "autocannon";

import {StaticServer} from "../src/node/server/staticServer.js";

/** The files requested, relative to the export folder. */
export const LOAD_PATHS = ["config.json", "embedding_tensors.tsv"] as const;

export interface LoadOptions {
  /** Seconds per file (default 10). */
  durationSeconds?: number;
  /** Send exactly this many requests per file instead of running for a duration. */
  amount?: number;
  /** Concurrent connections (default 10). */
  connections?: number;
  /** Ask for gzip (Accept-Encoding: gzip) like a browser (default false: identity). */
  gzip?: boolean;
}

export interface LoadResult {
  path: string;
  requests: number;
  requestsPerSecond: number;
  /** MiB per second of response bodies. */
  mibPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Runs autocannon against `baseUrl` + each of {@link LOAD_PATHS}, one after the other. */
export async function loadUrls(baseUrl: string, options: LoadOptions = {}): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const path of LOAD_PATHS) {
    const r = await autocannon({
      url: `${baseUrl}/${path}`,
      connections: options.connections ?? 10,
      ...(options.amount === undefined ? {duration: options.durationSeconds ?? 10} : {amount: options.amount}),
      headers: options.gzip ? {"accept-encoding": "gzip"} : {}
    });
    results.push({
      path,
      requests: r.requests.total,
      requestsPerSecond: r.requests.average,
      mibPerSecond: r.throughput.average / (1024 * 1024),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx
    });
  }
  return results;
}

/** Serves `dir` on a free loopback port in this process and load-tests it. */
export async function loadTest(dir: string, options: LoadOptions = {}): Promise<LoadResult[]> {
  const server = await StaticServer.start({root: dir, port: 0});
  try {
    return await loadUrls(server.url, options);
  } finally {
    await server.close();
  }
}

export function formatLoad(results: LoadResult[], options: LoadOptions): string {
  const lines = [
    `static server load test: ${options.connections ?? 10} connections, ${options.durationSeconds ?? 10} s per file, ` +
      `${options.gzip ? "gzip" : "identity"} encoding`,
    "file                    requests/s   MiB/s   p50 ms   p99 ms  errors  timeouts  non-2xx",
    ...results.map(
      (r) =>
        `${r.path.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(11)} ${r.mibPerSecond.toFixed(1).padStart(7)} ` +
        `${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)} ${String(r.errors).padStart(7)} ` +
        `${String(r.timeouts).padStart(9)} ${String(r.non2xx).padStart(8)}`
    )
  ];
  return lines.join("\n");
}

/** Starts the server in a child process (this file with `--serve DIR`) and resolves its URL. */
async function serveInChild(dir: string): Promise<{url: string; stop(): void}> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--serve", dir], {
    stdio: ["ignore", "pipe", "inherit"]
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
      const line = out.split("\n").find((l) => l.startsWith("http://"));
      if (line) resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`server exited with code ${code}`)));
  });
  return {url, stop: () => child.kill("SIGTERM")};
}

async function main(argv: string[]): Promise<void> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      serve: {type: "string"},
      duration: {type: "string"},
      connections: {type: "string"},
      gzip: {type: "boolean"}
    }
  });
  if (values.serve !== undefined) {
    const server = await StaticServer.start({root: values.serve, port: 0});
    process.stdout.write(server.url + "\n");
    process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
    return;
  }
  const dir = positionals[0] ?? "projector";
  const options: LoadOptions = {
    durationSeconds: values.duration === undefined ? 10 : Number(values.duration),
    connections: values.connections === undefined ? 10 : Number(values.connections),
    gzip: values.gzip === true
  };
  const server = await serveInChild(dir);
  try {
    process.stdout.write(`serving ${dir} at ${server.url}\n`);
    process.stdout.write(formatLoad(await loadUrls(server.url, options), options) + "\n");
  } finally {
    server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`loadServer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
