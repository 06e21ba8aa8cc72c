/** Command-line flags of `npm run bench`. */
import {parseArgs} from "node:util";

import {UsageError} from "../src/errors.js";

export interface BenchArgs {
  /** Timed steps per measurement (after warm-up). */
  steps: number;
  /** Print one JSON object on stdout instead of the table. */
  json: boolean;
  /** Run the PyTorch peer. */
  peer: boolean;
  help: boolean;
}

export const DEFAULT_STEPS = 8;

export const USAGE = `usage: npm run bench -- [--steps N] [--json] [--no-peer] [--help]

Times the Fashion-MNIST CNN on this machine: training steps (Adam, batch 128), inference
(batch 128, 256 and 1) and train-step scaling over batch 32..256, against the same model in
PyTorch (../shared/bench/peer_torch.py run with /usr/bin/python3; override the script with
$FMNIST_PEER). Ratios above 1 mean we are faster than PyTorch.

  --steps N   timed steps per measurement, after warm-up (default ${DEFAULT_STEPS})
  --json      print one JSON object on stdout (progress goes to stderr)
  --no-peer   skip the PyTorch peer (peer and ratio are null)
  --help      show this help`;

/** Parses `argv` (without node and script); throws {@link UsageError} on bad flags. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: {steps?: string; json?: boolean; "no-peer"?: boolean; help?: boolean};
  try {
    ({values} = parseArgs({
      args: [...argv],
      options: {
        steps: {type: "string"},
        json: {type: "boolean"},
        "no-peer": {type: "boolean"},
        help: {type: "boolean", short: "h"}
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split("\n")[0]);
  }
  let steps = DEFAULT_STEPS;
  if (values.steps !== undefined) {
    steps = /^\d+$/.test(values.steps) ? Number(values.steps) : NaN;
    if (!Number.isSafeInteger(steps) || steps < 1 || steps > 10_000) {
      throw new UsageError(`--steps must be an integer from 1 to 10000; got "${values.steps}"`);
    }
  }
  return {steps, json: values.json ?? false, peer: !(values["no-peer"] ?? false), help: values.help ?? false};
}
