import {UsageError} from "../../core/errors.js";
import {command} from "../command.js";
import {flag} from "../flags.js";
import {formatLogs} from "../format/logs.js";

export const logs = command({
  summary: "dump the scalars of a run's TensorBoard event files (every record's CRC checked)",
  positionals: "RUN",
  flags: {
    json: flag.switch("print one JSON object: per run (train, validation) the files, scalars, histogram and image tags")
  },
  async run(values, positionals, effects) {
    if (positionals.length !== 1) throw new UsageError(`expected one run folder; got ${positionals.length} arguments`);
    const {logsCommand} = await import("../commands/logs.js");
    const result = await logsCommand({run: positionals[0]}, effects);
    process.stdout.write((values.json ? JSON.stringify(result) : formatLogs(result)) + "\n");
    for (const e of result.errors) process.stderr.write(`fmnist: warning: ${e.path}: ${e.message}; stopped there\n`);
    // A torn last record is what a crash leaves behind; a CRC mismatch means corruption.
    return result.errors.some((e) => e.kind !== "truncated") ? 1 : 0;
  }
});
