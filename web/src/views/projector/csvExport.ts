/**
 * The projector's downloads as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma
 * or quote quoted): the selection with its labels, prediction, score and coordinates in the layout
 * shown, or every point's coordinates. Built in the page; nothing is sent anywhere.
 */
import type {MetadataColumns} from "../../../../src/core/formats/projector.js";

/** A field, quoted when it needs to be. */
function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const AXES = ["x", "y", "z"];

export interface CsvLayout {
  /** count × dim coordinates, row-major. */
  coords: ArrayLike<number>;
  dim: number;
}

/** One row per index: `index,label,prediction,score,x,y[,z]` (labels by name; score = the predicted class's probability). */
export function selectionCsv(
  data: Pick<MetadataColumns, "labels" | "predicted" | "scores">,
  indices: readonly number[],
  layout: CsvLayout,
  classNames: readonly string[]
): string {
  const header = ["index", "label", "prediction", "score", ...AXES.slice(0, layout.dim)];
  const rows = indices.map((i) => [
    i,
    classNames[data.labels[i]],
    classNames[data.predicted[i]],
    // Six significant digits: the score is a float32, whose full decimal form is noise.
    Number(data.scores[i].toPrecision(6)),
    ...Array.from({length: layout.dim}, (_, d) => layout.coords[i * layout.dim + d])
  ]);
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/** Every point's coordinates: `index,x,y[,z]`. */
export function layoutCsv(count: number, layout: CsvLayout): string {
  const lines = [["index", ...AXES.slice(0, layout.dim)].join(",")];
  for (let i = 0; i < count; i++) {
    const row: (string | number)[] = [i];
    for (let d = 0; d < layout.dim; d++) row.push(layout.coords[i * layout.dim + d]);
    lines.push(row.map(field).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
