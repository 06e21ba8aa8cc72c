/**
 * Load test of the static server: serves an export folder on loopback (a free port) and runs
 * autocannon against its config.json and embedding_tensors.tsv, reporting requests per second,
 * p99 latency, errors and non-2xx responses.
 *
 *   npx tsx bench/loadServer.ts [EXPORT_DIR] [--duration S] [--connections N] [--gzip]
 *   npx tsx bench/loadServer.ts [EXPORT_DIR] --attack [--duration S] [--connections N]
 *
 * With --attack it measures two well-behaved clients of config.json at once, autocannon (keep-alive
 * connections) and new visitors (two loops of one request per new connection, like page loads),
 * three times: alone, while the hostile clients of bench/abusiveClients.ts (600 slow-header, 520
 * never-reading, 20 hang-up loops, 1 pipelining flood) attack from the same address (127.0.0.1),
 * and from another (127.0.0.2); with the server's open connections, file descriptors and RSS at
 * their highest, and the connections it turned away or reset to make room.
 *
 * The server (bench/serverChild.ts) and the attackers run in child processes so that they do not
 * share an event loop with autocannon. `loadTest()` is the same as a library call (server in this process, for tests).
 */
import {spawn} from "node:child_process";
import {get} from "node:http";
import {pathToFileURL} from "node:url";
import {parseArgs} from "node:util";

import autocannon from "autocannon";

import {StaticServer} from "../src/node/server/staticServer.js";
import type {AttackCounts, AttackOptions} from "./abusiveClients.js";
import {serveInChild, TSX, type ServerPeak} from "./serverChild.js";

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

async function cannon(url: string, options: LoadOptions): Promise<Omit<LoadResult, "path">> {
  const r = await autocannon({
    url,
    connections: options.connections ?? 10,
    ...(options.amount === undefined ? {duration: options.durationSeconds ?? 10} : {amount: options.amount}),
    headers: options.gzip ? {"accept-encoding": "gzip"} : {}
  });
  return {
    requests: r.requests.total,
    requestsPerSecond: r.requests.average,
    mibPerSecond: r.throughput.average / (1024 * 1024),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx
  };
}

/** Runs autocannon against `baseUrl` + each of {@link LOAD_PATHS}, one after the other. */
export async function loadUrls(baseUrl: string, options: LoadOptions = {}): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const path of LOAD_PATHS) results.push({path, ...(await cannon(`${baseUrl}/${path}`, options))});
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

/** Starts bench/abusiveClients.ts in a child process, once it is attacking; `stop()` resolves its counts. */
async function attackInChild(port: number, options: Partial<AttackOptions>): Promise<{stop(): Promise<AttackCounts>}> {
  const args = Object.entries(options).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const script = new URL("./abusiveClients.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [...TSX, script, "--port", String(port), ...args], {
    stdio: ["ignore", "pipe", "inherit"]
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
      if (out.startsWith("attacking\n")) resolve();
    });
    void exited.then(() => reject(new Error("the attacking process exited before it started")));
  });
  return {
    async stop() {
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as AttackCounts;
    }
  };
}

export interface AttackScenario {
  name: string;
  /** The attackers' options; undefined for the well-behaved client alone. */
  attack?: Partial<AttackOptions>;
}

/** Requests each made on a new connection: how many, how many failed (error, timeout or not 200), latency. */
export interface VisitorResult {
  requests: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
}

/** `loops` loops of one GET per new connection (10 s timeout each) for `seconds`. */
async function newVisitors(url: string, seconds: number, loops = 2): Promise<VisitorResult> {
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const once = () =>
    new Promise<boolean>((resolve) => {
      const req = get(url, {agent: false, timeout: 10_000}, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
        res.on("error", () => resolve(false));
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
    });
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      if (await once()) latencies.push(performance.now() - t0);
      else failures++;
    }
  };
  await Promise.all(Array.from({length: loops}, loop));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {requests: latencies.length + failures, failures, p50Ms: at(0.5), p99Ms: at(0.99)};
}

export interface AttackResult {
  scenario: string;
  good: Omit<LoadResult, "path">;
  visitors: VisitorResult;
  attack?: AttackCounts;
  server: ServerPeak;
}

/** The figures of the report: 600 slow-header and 520 never-reading clients, hang-ups and a pipelining flood. */
export const ATTACK = {slow: 600, stalled: 520, hangups: 20, pipelined: 1} as const;

export const SCENARIOS: AttackScenario[] = [
  {name: "no attack"},
  {name: "attack from 127.0.0.1 (same address)", attack: {...ATTACK, from: "127.0.0.1"}},
  {name: "attack from 127.0.0.2 (other address)", attack: {...ATTACK, from: "127.0.0.2"}}
];

/**
 * Serves `dir` (an export: config.json and raw_tensors.bytes) in a child process and, for each
 * scenario, lets the attackers settle for `warmupSeconds` and then measures a well-behaved client
 * (autocannon on config.json, `options.connections` connections) while they keep attacking.
 */
export async function loadUnderAttack(
  dir: string,
  options: LoadOptions & {warmupSeconds?: number},
  scenarios: AttackScenario[] = SCENARIOS
): Promise<AttackResult[]> {
  const server = await serveInChild(dir);
  const port = Number(new URL(server.url).port);
  const results: AttackResult[] = [];
  try {
    for (const scenario of scenarios) {
      const attack = scenario.attack && (await attackInChild(port, scenario.attack));
      await new Promise((r) => setTimeout(r, (attack ? (options.warmupSeconds ?? 3) : 0) * 1000));
      const before = server.takePeak();
      const [good, visitors] = await Promise.all([
        cannon(`${server.url}/config.json`, options),
        newVisitors(`${server.url}/config.json`, options.durationSeconds ?? 10)
      ]);
      const after = server.takePeak();
      const shed = {refused: after.refused - before.refused, evicted: after.evicted - before.evicted};
      results.push({
        scenario: scenario.name,
        good,
        visitors,
        attack: await attack?.stop(),
        server: {...after, ...shed}
      });
      // Let the server shed the attack's connections before the next scenario.
      await new Promise((r) => setTimeout(r, (attack ? (options.warmupSeconds ?? 3) : 0) * 1000));
    }
  } finally {
    server.stop();
  }
  return results;
}

export function formatAttack(results: AttackResult[], options: LoadOptions): string {
  const header = ["scenario", "ac req/s", "ac p50 ms", "ac p99 ms", "ac errors", "ac non-2xx"]
    .concat(["new requests", "new failed", "new p50 ms", "new p99 ms", "attack conns", "hang-ups"])
    .concat(["srv conns", "srv fds", "srv RSS MiB", "refused", "evicted"]);
  const rows = results.map((r) =>
    [r.scenario, r.good.requestsPerSecond.toFixed(0), r.good.p50Ms, r.good.p99Ms, r.good.errors, r.good.non2xx]
      .concat([r.visitors.requests, r.visitors.failures, r.visitors.p50Ms, r.visitors.p99Ms])
      .concat([r.attack?.connections ?? 0, r.attack?.hangups ?? 0, r.server.connections, r.server.fds])
      .concat([r.server.rssMiB, r.server.refused, r.server.evicted])
      .map(String)
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [
    `well-behaved clients of config.json for ${options.durationSeconds ?? 10} s: autocannon ("ac", ` +
      `${options.connections ?? 10} keep-alive connections) and new visitors ("new", 2 loops of one request per ` +
      `new connection); attack: ${ATTACK.slow} slow-header, ${ATTACK.stalled} never-reading, ${ATTACK.hangups} ` +
      `hang-up loops, ${ATTACK.pipelined} pipelining flood; server figures at their peak ("srv")`,
    line(header),
    ...rows.map(line)
  ].join("\n");
}

async function main(argv: string[]): Promise<void> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: {type: "string"},
      connections: {type: "string"},
      gzip: {type: "boolean"},
      attack: {type: "boolean"}
    }
  });
  const dir = positionals[0] ?? "projector";
  const options: LoadOptions = {
    durationSeconds: values.duration === undefined ? 10 : Number(values.duration),
    connections: values.connections === undefined ? 10 : Number(values.connections),
    gzip: values.gzip === true
  };
  if (values.attack) {
    process.stdout.write(formatAttack(await loadUnderAttack(dir, options), options) + "\n");
    return;
  }
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
