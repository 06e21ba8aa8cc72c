/**
 * The out-of-distribution statistics file (`ood-stats.bin`), written by `fmnist calibrate` inside a
 * TF.js model folder or beside a Keras `.h5` (`model.h5.ood-stats.bin`), read by `fmnist classify`
 * and the web app. The one owner of its format: types, writer, parser. Isomorphic.
 *
 * Layout: the magic line `FMNIST-OOD 1\n`, a little-endian uint32 header length, a JSON header
 * (what the rule is and the shapes of the arrays), zero padding to a multiple of 4 bytes, then the
 * arrays as little-endian float32 in the order {@link ARRAY_NAMES}. One binary file rather than
 * JSON because the kNN bank alone is thousands × 64 numbers.
 */
import {z} from "zod";

import {FormatError} from "../errors.js";
import {getFloat32s, hasMagic, putFloat32s, readFrame, writeFrame} from "./binaryFrame.js";

/** The scores compared by bench/ood.ts (../model/oodScores.ts); the file names the one the rule uses. */
export const OOD_METHODS = ["knn", "mahalanobis", "energy", "maxLogit", "maxSoftmax", "centroid"] as const;
export type OodMethod = (typeof OOD_METHODS)[number];

/** The arrays, in file order. */
export const ARRAY_NAMES = ["means", "precision", "bank", "centroids", "maxDistance"] as const;
type ArrayName = (typeof ARRAY_NAMES)[number];

export interface OodStats {
  /** The score the rule uses; an input is flagged when its score is above `threshold`. */
  method: OodMethod;
  threshold: number;
  /** Whether the score is the smaller of the image's and its mirror image's (test-time augmentation). */
  mirror: boolean;
  /** Neighbours for the kNN score (distance to the k-th nearest training embedding). */
  k: number;
  /** Embedding size (64 for our CNN) and number of classes. */
  dims: number;
  classes: number;
  /** Training images the statistics come from. */
  samples: number;
  /** Measured by calibrate: share of test images flagged, and AUROC on the generated OOD set. */
  falseAlarmRate: number;
  auroc: number;
  /** Softmax probability below which the old centroid rule flags (part of its score). */
  minConfidence: number;
  /** Class means of the training embeddings [classes × dims]. */
  means: Float32Array;
  /** Inverse of the shared (within-class) covariance [dims × dims], for the Mahalanobis score. */
  precision: Float32Array;
  /** L2-normalised training embeddings [bank size × dims], for the kNN score. */
  bank: Float32Array;
  /** The old rule: centroids of correctly classified images [classes × dims] and p99 distances [classes]. */
  centroids: Float32Array;
  maxDistance: Float32Array;
}

/** File name inside a TF.js model folder. */
export const OOD_STATS_FILE = "ood-stats.bin";
/** Suffix of the file beside a Keras .h5 (`seed.h5` → `seed.h5.ood-stats.bin`). */
export const OOD_STATS_SUFFIX = ".ood-stats.bin";
/** Largest accepted file (a 20,000-image bank is 5 MB). */
export const MAX_OOD_STATS_BYTES = 64 * 1024 * 1024;

const MAGIC = new TextEncoder().encode("FMNIST-OOD 1\n");

const headerSchema = z.object({
  method: z.enum(OOD_METHODS),
  threshold: z.number(),
  mirror: z.boolean(),
  k: z.number().int().min(1),
  dims: z.number().int().min(1),
  classes: z.number().int().min(2),
  samples: z.number().int().min(0),
  falseAlarmRate: z.number().min(0).max(1),
  auroc: z.number().min(0).max(1).nullable(),
  minConfidence: z.number().min(0).max(1),
  bankSize: z.number().int().min(1)
});

type Header = z.infer<typeof headerSchema>;

function lengths(h: Pick<Header, "dims" | "classes" | "bankSize">): Record<ArrayName, number> {
  return {
    means: h.classes * h.dims,
    precision: h.dims * h.dims,
    bank: h.bankSize * h.dims,
    centroids: h.classes * h.dims,
    maxDistance: h.classes
  };
}

/** True when `bytes` start like a statistics file (calibrate overwrites only such files). */
export function isOodStatsFile(bytes: Uint8Array): boolean {
  return hasMagic(bytes, MAGIC);
}

/** The file's bytes. */
export function serialiseOodStats(stats: OodStats): Uint8Array {
  const bankSize = stats.bank.length / stats.dims;
  const header: Header = {
    method: stats.method,
    threshold: stats.threshold,
    mirror: stats.mirror,
    k: stats.k,
    dims: stats.dims,
    classes: stats.classes,
    samples: stats.samples,
    falseAlarmRate: stats.falseAlarmRate,
    auroc: Number.isFinite(stats.auroc) ? stats.auroc : null,
    minConfidence: stats.minConfidence,
    bankSize
  };
  const want = lengths(header);
  for (const name of ARRAY_NAMES) {
    if (stats[name].length !== want[name]) throw new Error(`ood stats: ${name} has ${stats[name].length} values`);
  }
  const frame = writeFrame(MAGIC, header, 4 * ARRAY_NAMES.reduce((s, name) => s + want[name], 0));
  let offset = frame.bodyStart;
  // Infinity (a class without samples) is stored as is: float32 has it, JSON would not.
  for (const name of ARRAY_NAMES) offset = putFloat32s(frame.view, offset, stats[name]);
  return frame.bytes;
}

/** Parses the file; damage is a {@link FormatError} naming `where` and saying how to remake it. */
export function parseOodStats(bytes: Uint8Array, where: string): OodStats {
  const fail = (problem: string) =>
    new FormatError(`${where}: ${problem}; remake it with \`fmnist calibrate --model MODEL\``);
  const frame = readFrame(bytes, MAGIC, "an out-of-distribution statistics file", fail);
  const parsed = headerSchema.safeParse(frame.header);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`header field "${issue.path.map(String).join(".")}" is wrong: ${issue.message}`);
  }
  const header = parsed.data;
  const want = lengths(header);
  const expected = 4 * ARRAY_NAMES.reduce((s, name) => s + want[name], 0);
  if (frame.bodyBytes !== expected) {
    throw fail(`${bytes.length} bytes where the header promises ${frame.bodyStart + expected}`);
  }
  const arrays = {} as Record<ArrayName, Float32Array>;
  let offset = frame.bodyStart;
  for (const name of ARRAY_NAMES) {
    const values = getFloat32s(frame.view, offset, want[name]);
    offset += 4 * want[name];
    if (name !== "maxDistance" && values.some((v) => !Number.isFinite(v))) throw fail(`${name} holds a NaN`);
    arrays[name] = values;
  }
  return {
    method: header.method,
    threshold: header.threshold,
    mirror: header.mirror,
    k: header.k,
    dims: header.dims,
    classes: header.classes,
    samples: header.samples,
    falseAlarmRate: header.falseAlarmRate,
    auroc: header.auroc ?? NaN,
    minConfidence: header.minConfidence,
    ...arrays
  };
}
