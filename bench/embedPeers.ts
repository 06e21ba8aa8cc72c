/**
 * The embedding peers installed from Debian, run as child processes on the same input file:
 * Rtsne and uwot through `Rscript bench/peer_embed.R`, scikit-learn's t-SNE through
 * `/usr/bin/python3 bench/peer_embed.py`. Each is skipped, with a message, when absent.
 */
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";

import type {Points} from "../src/core/embed/points.js";
import {runCommand} from "./command.js";
import {PEER_PYTHON} from "./peer.js";

export type EmbedPeer = "rtsne" | "uwot" | "sklearnTsne";

/** One peer run: its own timing of the embedding call (process start and file reading excluded). */
export interface PeerLayout {
  seconds: number;
  cpuSeconds: number;
  version: string;
  layout: Points;
}

const R_SCRIPT = fileURLToPath(new URL("peer_embed.R", import.meta.url));
const PY_SCRIPT = fileURLToPath(new URL("peer_embed.py", import.meta.url));

const PROBES: Record<EmbedPeer, {command: string; args: string[]; missing: string}> = {
  rtsne: {
    command: "Rscript",
    args: ["-e", "library(Rtsne)"],
    missing: "Rtsne skipped: not installed (apt-get install -y r-cran-rtsne)"
  },
  uwot: {
    command: "Rscript",
    args: ["-e", "library(uwot)"],
    missing: "uwot skipped: not installed (apt-get install -y r-cran-uwot)"
  },
  sklearnTsne: {
    command: PEER_PYTHON,
    args: ["-c", "import sklearn.manifold"],
    missing: "scikit-learn skipped: not installed (apt-get install -y python3-sklearn)"
  }
};

/** Which peers can run here; says why on `log` for each that cannot. */
export async function availablePeers(log: (line: string) => void): Promise<EmbedPeer[]> {
  const out: EmbedPeer[] = [];
  for (const peer of Object.keys(PROBES) as EmbedPeer[]) {
    const probe = PROBES[peer];
    const run = await runCommand(probe.command, probe.args);
    if (run.spawnError || run.code !== 0) log(probe.missing);
    else out.push(peer);
  }
  return out;
}

/**
 * Runs `peer` on `input` (n x dim float32 file) with `threads` threads and `iterations`
 * iterations (t-SNE) or epochs (UMAP); null, after saying why on `log`, when it fails.
 */
export async function runEmbedPeer(
  peer: EmbedPeer,
  input: string,
  n: number,
  dim: number,
  output: string,
  threads: number,
  iterations: number,
  log: (line: string) => void
): Promise<PeerLayout | null> {
  const common = [input, `${n}`, `${dim}`, output, `${threads}`, `${iterations}`];
  const [command, args] =
    peer === "sklearnTsne" ? [PEER_PYTHON, [PY_SCRIPT, ...common]] : ["Rscript", [R_SCRIPT, peer, ...common]];
  const run = await runCommand(command, args);
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    if (run.spawnError || run.code !== 0) throw new Error(run.stderr.trim().split("\n").at(-1) ?? `exit ${run.code}`);
    const parsed = JSON.parse(line) as {seconds: number; cpuSeconds: number; version: string};
    const bytes = readFileSync(output);
    const data = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    if (data.length !== n * 2 || !data.every(Number.isFinite)) throw new Error(`layout of ${data.length} values`);
    return {
      seconds: parsed.seconds,
      cpuSeconds: parsed.cpuSeconds,
      version: parsed.version,
      layout: {data, count: n, dim: 2}
    };
  } catch (error) {
    log(`${peer} failed: ${error instanceof Error ? error.message : String(error)}; reported as null`);
    return null;
  }
}
