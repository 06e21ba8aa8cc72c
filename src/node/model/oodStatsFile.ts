/**
 * Where a model's out-of-distribution statistics live and how they are read and written (the
 * format: ../../core/formats/oodStats.ts): `ood-stats.bin` inside a TF.js model folder, or
 * `NAME.h5.ood-stats.bin` beside a Keras file (the .h5 itself is never modified). A file at that
 * place that this tool did not write is never overwritten.
 */
import {stat} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

import {UserError} from "../../core/errors.js";
import {
  isOodStatsFile,
  MAX_OOD_STATS_BYTES,
  OOD_STATS_FILE,
  OOD_STATS_SUFFIX,
  parseOodStats,
  serialiseOodStats,
  type OodStats
} from "../../core/formats/oodStats.js";
import {writeFileAtomic} from "../fs/atomicFile.js";
import {isEnoent} from "../fs/errno.js";
import {readRegularFile} from "../fs/readRegularFile.js";

/** The statistics file of the model at `modelPath` (a folder, its model.json, or a .h5). */
export async function oodStatsPath(modelPath: string): Promise<string> {
  const info = await stat(modelPath).catch(() => undefined);
  if (info?.isDirectory()) return join(modelPath, OOD_STATS_FILE);
  if (basename(modelPath).toLowerCase().endsWith(".json")) return join(dirname(modelPath), OOD_STATS_FILE);
  return modelPath + OOD_STATS_SUFFIX;
}

/** The statistics, or undefined when the model has none yet; a damaged file is a FormatError. */
export async function readOodStats(modelPath: string): Promise<OodStats | undefined> {
  const path = await oodStatsPath(modelPath);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, MAX_OOD_STATS_BYTES, "statistics file");
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
  return parseOodStats(bytes, path);
}

/** Throws a {@link UserError} when the statistics file's place holds a file this tool did not write. */
export async function assertOodStatsWritable(modelPath: string): Promise<string> {
  const path = await oodStatsPath(modelPath);
  const existing = await readRegularFile(path, MAX_OOD_STATS_BYTES, "statistics file").catch((error: unknown) => {
    if (isEnoent(error)) return undefined;
    throw error;
  });
  if (existing && !isOodStatsFile(existing)) {
    throw new UserError(`${path} exists and was not written by fmnist calibrate; move it away first`);
  }
  return path;
}

/** Writes the statistics atomically; refuses to replace a file that is not one of ours. Returns the path. */
export async function writeOodStats(modelPath: string, stats: OodStats): Promise<string> {
  const path = await assertOodStatsWritable(modelPath);
  await writeFileAtomic(path, serialiseOodStats(stats));
  return path;
}
