/**
 * `projections.json`, written by `fmnist export` and read by the web app's projector: the 2-D and
 * 3-D coordinates of every projection with its parameters and quality numbers, the seed and where
 * the embeddings came from. One owner: the type, the writer and the parser. Isomorphic.
 */
import {QUALITY_K, type ProjectionsResult} from "../embed/projections.js";
import {FormatError} from "../errors.js";
import {decimalsFor, roundedRows} from "./projector.js";

export const PROJECTIONS_FORMAT = "fmnist-projections/1";

/** One projection method's layouts, as written in projections.json. */
export interface ProjectionEntry {
  parameters: Record<string, unknown>;
  quality?: {trustworthiness: number; knnAccuracy: number};
  explainedVarianceRatio?: number[];
  "2d"?: number[][];
  "3d"?: number[][];
}

export interface ProjectionsFile {
  format: string;
  count: number;
  seed: number;
  source: {layer: string; dim: number; split: string; firstIndex: number};
  quality: {k: number; referenceKnnAccuracy: number};
  projections: Partial<Record<"pca" | "tsne" | "umap", ProjectionEntry>>;
}

/** `projections.json`: coordinates, parameters, seed and quality of every projection. */
export function serialiseProjections(
  projected: ProjectionsResult,
  info: {count: number; seed: number; layerName: string; dim: number}
): string {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const body = {
    format: PROJECTIONS_FORMAT,
    count: info.count,
    seed: info.seed,
    source: {layer: info.layerName, dim: info.dim, split: "test", firstIndex: 0},
    quality: {k: QUALITY_K, referenceKnnAccuracy: round(projected.referenceKnnAccuracy)},
    projections: Object.fromEntries(
      projected.results.map((r) => [
        r.name,
        {
          parameters: r.parameters,
          ...(r.explainedVarianceRatio ? {explainedVarianceRatio: r.explainedVarianceRatio.map(round)} : {}),
          quality: {trustworthiness: round(r.quality.trustworthiness), knnAccuracy: round(r.quality.knnAccuracy)},
          ...Object.fromEntries(
            ([2, 3] as const).flatMap((d) => {
              const layout = r.layouts[d];
              return layout ? [[`${d}d`, roundedRows(layout, decimalsFor(layout, 6))]] : [];
            })
          )
        }
      ])
    )
  };
  return JSON.stringify(body) + "\n";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks parsed JSON against the format: the version, the point count, and that every layout
 * present has `count` rows of 2 or 3 finite numbers. Throws a FormatError naming what is wrong.
 */
export function parseProjections(value: unknown): ProjectionsFile {
  if (!isObject(value) || value.format !== PROJECTIONS_FORMAT) {
    throw new FormatError(`projections.json is not in the ${PROJECTIONS_FORMAT} format`);
  }
  const count = value.count;
  if (!Number.isInteger(count) || (count as number) < 1) throw new FormatError("projections.json: bad point count");
  if (!isObject(value.projections)) throw new FormatError("projections.json has no projections");
  for (const [name, entry] of Object.entries(value.projections)) {
    if (!isObject(entry)) throw new FormatError(`projections.json: ${name} is not an object`);
    for (const [key, dim] of [
      ["2d", 2],
      ["3d", 3]
    ] as const) {
      const rows = entry[key];
      if (rows === undefined) continue;
      const ok =
        Array.isArray(rows) &&
        rows.length === count &&
        rows.every((r) => Array.isArray(r) && r.length === dim && r.every((v) => Number.isFinite(v)));
      if (!ok) throw new FormatError(`projections.json: ${name} ${key} does not hold ${count} rows of ${dim} numbers`);
    }
  }
  return value as unknown as ProjectionsFile;
}
