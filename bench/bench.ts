/**
 * `npm run bench [-- --steps N] [-- --cold N] [-- --json] [-- --no-peer]`, or `-- --embed` for
 * the embedding benchmark (embedBench.ts): times the CNN on our
 * TF.js backend against the same model in PyTorch (see args.ts for the flags). The peer runs
 * first, then ours, then the cold `classify` processes, never two at once. Progress goes to stderr; stdout holds the table, or one JSON object.
 */
import os from "node:os";

import {UserError} from "../src/core/errors.js";
import {exitCodeOf} from "../src/cli/exitCodes.js";
import {USAGE, parseBenchArgs} from "./args.js";
import {measureColdClassify} from "./coldClassify.js";
import {embedBench} from "./embedBench.js";
import {formatEmbedReport} from "./embedReport.js";
import {measureOurs} from "./ours.js";
import {runPeer} from "./peer.js";
import {formatSoak, soak} from "./soak.js";
import {formatReport, ratios, round, type BenchReport} from "./report.js";

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Runs the benchmark; returns what to print on stdout. */
async function main(argv: readonly string[]): Promise<string> {
  const args = parseBenchArgs(argv);
  if (args.help) return `${USAGE}\n`;
  if (args.json) {
    // Nothing but the result may reach stdout.
    console.log = console.info = console.debug = (...data: unknown[]) => console.error(...data);
  }
  if (args.embed) {
    const report = await embedBench({iterations: args.iterations, peers: args.peer, full: args.embed70k}, log);
    return args.json ? `${JSON.stringify(report)}\n` : `${formatEmbedReport(report)}\n`;
  }
  const loadStart = os.loadavg()[0];
  const peer = args.peer ? await runPeer(args.steps, os.availableParallelism(), log) : null;
  if (!args.peer) log("peer skipped: --no-peer");
  const ours = await measureOurs(args.steps, log);
  // Child processes after our in-process timings, so they never compete with them.
  ours.coldClassify = args.coldRuns > 0 ? await measureColdClassify(args.coldRuns, log) : null;
  const soakResult = args.soak ? await soak(log) : null;
  const report: BenchReport = {
    ours,
    peer: peer?.result ?? null,
    ratio: peer ? ratios(ours, peer.result) : null,
    machine: {cpus: os.availableParallelism(), loadStart: round(loadStart, 2), loadEnd: round(os.loadavg()[0], 2)},
    soak: soakResult
  };
  if (args.json) return `${JSON.stringify(report)}\n`;
  const table = formatReport(report, peer?.info ?? null, args.steps);
  return `${table}\n${soakResult ? `\n${formatSoak(soakResult)}\n` : ""}`;
}

// The WASM thread pool keeps Node alive, so exit explicitly once stdout is flushed.
main(process.argv.slice(2)).then(
  (text) => process.stdout.write(text, () => process.exit(0)),
  (error: unknown) => {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${message.split("\n")[0]}\n`);
    if (!(error instanceof UserError) && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    process.exit(code);
  }
);
