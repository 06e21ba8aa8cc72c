/**
 * `fmnist logs RUN`: reads a run's TensorBoard event files (verifying every CRC) and dumps the
 * scalars, either as tables or (`--json`) as one object.
 */
import {stat} from "node:fs/promises";
import {join} from "node:path";

import {CliError, isEnoent} from "../../core/errors.js";
import type {RecordError} from "../../node/tensorboard/record.js";
import {readLogDir, scalarSeries, tagCounts, type ScalarPoint} from "../../node/tensorboard/reader.js";
import {LOG_DIR} from "../../node/tensorboard/logger.js";

/** One TensorBoard run (`train`, `validation`) of a log folder. */
export interface LogsRun {
  name: string;
  files: {path: string; events: number; error?: RecordError}[];
  /** Scalars by tag, in the order they were written. */
  scalars: Record<string, ScalarPoint[]>;
  /** Histogram tags with their number of events. */
  histograms: Record<string, number>;
  /** Image tags with their number of events. */
  images: Record<string, number>;
}

/** What `fmnist logs` reports. */
export interface LogsResult {
  logDir: string;
  runs: LogsRun[];
  /** Every bad record found, with its file (each stopped the reading of that file). */
  errors: (RecordError & {path: string})[];
}

/** Reads `RUN/logs` (or RUN itself when it is a log folder). */
export async function logsCommand(run: string): Promise<LogsResult> {
  let logDir = join(run, LOG_DIR);
  if (!(await isDirectory(logDir))) {
    if (!(await isDirectory(run))) throw new CliError(`${run}: no such run folder`);
    logDir = run;
  }
  const runs = (await readLogDir(logDir)).map((r): LogsRun => ({
    name: r.name,
    files: r.files.map((f) => ({path: f.path, events: f.events.length, ...(f.error ? {error: f.error} : {})})),
    scalars: scalarSeries(r.files),
    histograms: tagCounts(r.files, "histo"),
    images: tagCounts(r.files, "image")
  }));
  if (runs.length === 0) throw new CliError(`${logDir}: no TensorBoard event files (events.out.tfevents.*)`);
  const errors = runs.flatMap((r) => r.files.flatMap((f) => (f.error ? [{...f.error, path: f.path}] : [])));
  return {logDir, runs, errors};
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isEnoent(error)) return false;
    throw error;
  }
}

/** Human-readable dump: per run, the epoch scalars as a table and a one-line digest of the rest. */
export function formatLogs(result: LogsResult): string {
  const lines = [`log folder: ${result.logDir}`];
  for (const run of result.runs) {
    const events = run.files.reduce((n, f) => n + f.events, 0);
    lines.push("", `${run.name}: ${run.files.length} file(s), ${events} events`);
    const epochTags = Object.keys(run.scalars).filter((t) => t.startsWith("epoch_"));
    if (epochTags.length > 0) {
      const steps = [...new Set(epochTags.flatMap((t) => run.scalars[t].map((p) => p.step)))].sort((a, b) => a - b);
      lines.push("  " + ["epoch".padStart(5), ...epochTags.map((t) => t.padStart(20))].join(" "));
      for (const step of steps) {
        const cells = epochTags.map((t) => {
          const point = run.scalars[t].filter((p) => p.step === step).pop();
          return (point ? formatValue(point.value) : "-").padStart(20);
        });
        lines.push("  " + [String(step).padStart(5), ...cells].join(" "));
      }
    }
    for (const [tag, points] of Object.entries(run.scalars)) {
      if (tag.startsWith("epoch_")) continue;
      const last = points[points.length - 1];
      lines.push(
        `  ${tag}: ${points.length} points, steps ${points[0].step}..${last.step}, last ${formatValue(last.value)}`
      );
    }
    const histograms = Object.keys(run.histograms);
    if (histograms.length > 0) lines.push(`  histograms (${histograms.length}): ${histograms.join(", ")}`);
    for (const [tag, count] of Object.entries(run.images)) lines.push(`  image ${tag}: ${count}`);
  }
  return lines.join("\n");
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}
