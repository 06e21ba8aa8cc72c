/** The PyTorch peer: ../shared/bench/peer_torch.py run with Debian's /usr/bin/python3. */
import {existsSync} from "node:fs";
import {resolve} from "node:path";
import {fileURLToPath} from "node:url";

import {
  SCALING_BATCHES,
  TRAIN_BATCH,
  imagesPerSecond,
  round,
  type PeerInfo,
  type PeerResult,
  type ScalingBatch
} from "./report.js";
import {median} from "./timing.js";
import {runCommand} from "./command.js";

export const PEER_PYTHON = "/usr/bin/python3";
export const TORCH_MISSING = "peer skipped: python3-torch not installed (apt-get install -y python3-torch)";

/** The repository root (this file lives in <root>/bench). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** peer_torch.py: $FMNIST_PEER (relative to the working directory) or ../shared/bench/peer_torch.py from the root. */
export function peerScriptPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.FMNIST_PEER;
  return override ? resolve(override) : resolve(REPO_ROOT, "..", "shared", "bench", "peer_torch.py");
}

/** One run of peer_torch.py, as printed by it. */
export interface PeerRun {
  version: string;
  threads: number;
  batch: number;
  predictBatch: number;
  trainStepMs: number;
  predictMs: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the peer's stdout: its last non-empty line is one JSON object. */
export function parsePeerOutput(stdout: string): PeerRun {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`peer printed no JSON: ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (!isRecord(parsed)) throw new Error("peer output is not a JSON object");
  const num = (key: string): number => {
    const v = parsed[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new Error(`peer output has no valid "${key}": ${JSON.stringify(v)}`);
    }
    return v;
  };
  return {
    version: typeof parsed.version === "string" ? parsed.version : "unknown",
    threads: num("threads"),
    batch: num("batch"),
    predictBatch: num("predictBatch"),
    trainStepMs: num("trainStepMs"),
    predictMs: num("predictMs")
  };
}

/** The peer runs: each trains at one batch size and predicts at another, covering all shared measurements. */
export const PEER_RUNS: readonly {batch: number; predictBatch: number}[] = [
  {batch: 128, predictBatch: 128},
  {batch: 256, predictBatch: 256},
  {batch: 32, predictBatch: 1},
  {batch: 64, predictBatch: 1}
];

/** Combines the peer runs of {@link PEER_RUNS} (any order) into one result; batch 1 is the median of its runs. */
export function combinePeerRuns(runs: readonly PeerRun[]): PeerResult {
  const trainAt = (batch: number): number => {
    const run = runs.find((r) => r.batch === batch);
    if (!run) throw new Error(`no peer run trained at batch ${batch}`);
    return run.trainStepMs;
  };
  const predictAt = (batch: number): number => {
    const times = runs.filter((r) => r.predictBatch === batch).map((r) => r.predictMs);
    if (times.length === 0) throw new Error(`no peer run predicted at batch ${batch}`);
    return round(median(times), 2);
  };
  const scaling = {} as Record<ScalingBatch, number>;
  for (const b of SCALING_BATCHES) scaling[`${b}`] = trainAt(b);
  const trainStepMs = trainAt(TRAIN_BATCH);
  const predict256Ms = predictAt(256);
  const predict1Ms = predictAt(1);
  return {
    trainStepMs,
    predictMs: predictAt(128),
    predict256Ms,
    predict1Ms,
    trainImagesPerS: round(imagesPerSecond(TRAIN_BATCH, trainStepMs)),
    predict256ImagesPerS: round(imagesPerSecond(256, predict256Ms)),
    predict1ImagesPerS: round(imagesPerSecond(1, predict1Ms)),
    scaling
  };
}

/**
 * Runs the peer once per entry of {@link PEER_RUNS}, one after the other. Returns null, after
 * saying why on `log`, when the peer cannot run.
 */
export async function runPeer(
  steps: number,
  threads: number,
  log: (line: string) => void
): Promise<{result: PeerResult; info: PeerInfo} | null> {
  const script = peerScriptPath();
  if (!existsSync(script)) {
    log(`peer skipped: ${script} not found (set FMNIST_PEER to peer_torch.py)`);
    return null;
  }
  const probe = await runCommand(PEER_PYTHON, ["-c", "import torch"]);
  if (probe.spawnError || probe.code !== 0) {
    log(TORCH_MISSING);
    return null;
  }
  const runs: PeerRun[] = [];
  for (const {batch, predictBatch} of PEER_RUNS) {
    // Batch 1 is fast and noisy: more steps.
    const n = predictBatch === 1 ? Math.max(steps, 16) : steps;
    const args = [script, "--batch", `${batch}`, "--predict-batch", `${predictBatch}`, "--steps", `${n}`];
    log(`peer: ${PEER_PYTHON} ${args.join(" ")} --threads ${threads}`);
    const run = await runCommand(PEER_PYTHON, [...args, "--threads", `${threads}`]);
    if (run.spawnError || run.code !== 0) {
      const why = run.spawnError?.message ?? run.stderr.trim().split("\n").at(-1) ?? `exit code ${run.code}`;
      log(`peer failed (exit ${run.code ?? "-"}): ${why}; reporting peer as null`);
      return null;
    }
    try {
      runs.push(parsePeerOutput(run.stdout));
    } catch (error) {
      log(`peer failed: ${error instanceof Error ? error.message : String(error)}; reporting peer as null`);
      return null;
    }
  }
  return {result: combinePeerRuns(runs), info: {version: runs[0].version, threads: runs[0].threads}};
}
