/** The PyTorch peer: ../shared/bench/peer_torch.py run with Debian's /usr/bin/python3. */
import {spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {resolve} from "node:path";
import {fileURLToPath} from "node:url";

import type {PeerInfo, PeerResult} from "./report.js";

export const PEER_PYTHON = "/usr/bin/python3";
export const TORCH_MISSING = "peer skipped: python3-torch not installed (apt-get install -y python3-torch)";

/** The repository root (this file lives in <root>/bench). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** peer_torch.py: $FMNIST_PEER (relative to the working directory) or ../shared/bench/peer_torch.py from the root. */
export function peerScriptPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.FMNIST_PEER;
  return override ? resolve(override) : resolve(REPO_ROOT, "..", "shared", "bench", "peer_torch.py");
}

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started (ENOENT, EACCES). */
  spawnError?: Error;
}

function runCommand(command: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((done) => {
    const child = spawn(command, args, {stdio: ["ignore", "pipe", "pipe"]});
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (spawnError) => done({code: null, stdout, stderr, spawnError}));
    child.on("close", (code) => done({code, stdout, stderr}));
  });
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

/**
 * Runs the peer twice, one after the other (predict batch 128, then 256; training at batch 128 in
 * both, the first run's figure is used). Returns null, after saying why on `log`, when the peer
 * cannot run.
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
  for (const predictBatch of [128, 256]) {
    log(`peer: ${PEER_PYTHON} ${script} --batch 128 --predict-batch ${predictBatch} --steps ${steps}`);
    const args = [script, "--batch", "128", "--predict-batch", `${predictBatch}`, "--steps", `${steps}`];
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
  const [r128, r256] = runs;
  return {
    result: {trainStepMs: r128.trainStepMs, predictMs: r128.predictMs, predict256Ms: r256.predictMs},
    info: {version: r128.version, threads: r128.threads}
  };
}
