/** Command-line flags of `npm run bench`. */
import {parseArgs} from "node:util";

import {UsageError} from "../src/core/errors.js";

export interface BenchArgs {
  /** Timed steps per measurement (after warm-up). */
  steps: number;
  /** Print one JSON object on stdout instead of the table. */
  json: boolean;
  /** Run the PyTorch peer. */
  peer: boolean;
  /** Cold `classify` processes to time (0: skip). */
  coldRuns: number;
  /** Also run the memory soak (3 epochs on 2,000 images, RSS per epoch). */
  soak: boolean;
  /** Run the embedding benchmark (kNN, t-SNE, UMAP against Rtsne, uwot, scikit-learn) instead. */
  embed: boolean;
  /** With --embed: ours at 70,000 points too. */
  embed70k: boolean;
  /** With --embed: t-SNE iterations (ours and the peers). */
  iterations: number;
  help: boolean;
}

export const DEFAULT_STEPS = 8;
export const DEFAULT_COLD_RUNS = 5;
export const DEFAULT_TSNE_ITERATIONS = 1000;

export const USAGE = `usage: npm run bench -- [--steps N] [--cold N] [--soak] [--json] [--no-peer] [--help]

Times the Fashion-MNIST CNN on this machine: training steps (Adam, batch 128), inference
(batch 128, 256 and 1) and train-step scaling over batch 32..256, against the same model in
PyTorch (../shared/bench/peer_torch.py run with /usr/bin/python3; override the script with
$FMNIST_PEER), then the wall time of cold \`node dist/cli/fmnist.js classify\` processes (build
first with \`npm run build\`). Ratios above 1 mean we are faster than PyTorch.

  --steps N   timed steps per measurement, after warm-up (default ${DEFAULT_STEPS})
  --cold N    cold classify processes to time, median reported (default ${DEFAULT_COLD_RUNS}; 0 skips)
  --soak      also train 3 epochs on 2,000 images and report RSS per epoch (flat within +15%)
  --json      print one JSON object on stdout (progress goes to stderr)
  --no-peer   skip the PyTorch peer (peer and ratio are null)
  --help      show this help

npm run bench -- --embed [--embed-70k] [--iterations N] [--no-peer] [--json]

Times exact kNN, t-SNE and UMAP on the shipped model's 64-d embeddings of the first 2,500 and
10,000 test images, ours (all cores) against Rtsne and uwot (Rscript) and scikit-learn's t-SNE
(/usr/bin/python3), each skipped with a message when not installed, on the same input with the
same iterations: seconds, cores used (CPU / wall), trustworthiness (k = 10) and 10-NN accuracy of
the 2-D layout, and ratios (best peer's seconds / ours; above 1 we are faster).

  --embed-70k     also ours on all 70,000 images (test then training)
  --iterations N  t-SNE iterations (default ${DEFAULT_TSNE_ITERATIONS}); UMAP epochs follow umap-js' defaults`;

function integerFlag(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > 10_000) {
    throw new UsageError(`--${name} must be an integer from ${min} to 10000; got "${value}"`);
  }
  return n;
}

/** Parses `argv` (without node and script); throws {@link UsageError} on bad flags. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: {
    steps?: string;
    cold?: string;
    soak?: boolean;
    json?: boolean;
    "no-peer"?: boolean;
    embed?: boolean;
    "embed-70k"?: boolean;
    iterations?: string;
    help?: boolean;
  };
  try {
    ({values} = parseArgs({
      args: [...argv],
      options: {
        steps: {type: "string"},
        cold: {type: "string"},
        soak: {type: "boolean"},
        json: {type: "boolean"},
        "no-peer": {type: "boolean"},
        embed: {type: "boolean"},
        "embed-70k": {type: "boolean"},
        iterations: {type: "string"},
        help: {type: "boolean", short: "h"}
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split("\n")[0]);
  }
  const steps = integerFlag("steps", values.steps, DEFAULT_STEPS, 1);
  const coldRuns = integerFlag("cold", values.cold, DEFAULT_COLD_RUNS, 0);
  return {
    steps,
    coldRuns,
    soak: values.soak ?? false,
    json: values.json ?? false,
    peer: !(values["no-peer"] ?? false),
    embed: (values.embed ?? false) || (values["embed-70k"] ?? false),
    embed70k: values["embed-70k"] ?? false,
    iterations: integerFlag("iterations", values.iterations, DEFAULT_TSNE_ITERATIONS, 1),
    help: values.help ?? false
  };
}
