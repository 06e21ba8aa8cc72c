/**
 * `fmnist logs RUN`: reads a run's TensorBoard event files (verifying every CRC) and dumps the
 * scalars, either as tables or (`--json`) as one object.
 */
import {stat} from "node:fs/promises";
import {join} from "node:path";

import type {Effects} from "../../core/effects.js";
import {UserError} from "../../core/errors.js";
import {isEnoent} from "../../node/fs/errno.js";
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
export async function logsCommand(options: {run: string}, _effects: Effects): Promise<LogsResult> {
  const {run} = options;
  let logDir = join(run, LOG_DIR);
  if (!(await isDirectory(logDir))) {
    if (!(await isDirectory(run))) throw new UserError(`${run}: no such run folder`);
    logDir = run;
  }
  const runs = (await readLogDir(logDir)).map((r): LogsRun => ({
    name: r.name,
    files: r.files.map((f) => ({path: f.path, events: f.events.length, ...(f.error ? {error: f.error} : {})})),
    scalars: scalarSeries(r.files),
    histograms: tagCounts(r.files, "histo"),
    images: tagCounts(r.files, "image")
  }));
  if (runs.length === 0) throw new UserError(`${logDir}: no TensorBoard event files (events.out.tfevents.*)`);
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
