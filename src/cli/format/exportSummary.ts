/** The closing note of `fmnist export`. */
import {QUALITY_K} from "../../core/embed/projections.js";
import {FILES} from "../../core/formats/projector.js";
import {imagesOf} from "../../node/data/exportRows.js";
import {formatDuration, formatPercent} from "../tty.js";

/** What an export wrote, and how well its projections keep the neighbourhoods. */
export interface ExportSummary {
  out: string;
  count: number;
  /** Which images (see `--split`). */
  split: "test" | "train" | "all";
  files: string[];
  /** Seconds per step. */
  timings: Record<string, number>;
  quality: Record<string, {trustworthiness: number; knnAccuracy: number}>;
  referenceKnnAccuracy: number;
  accuracy: number;
}

/** The closing note: where the files are, how to view them, each step's time and the quality numbers. */
export function formatExportSummary(s: ExportSummary, baseUrl: string): string {
  const lines = [
    `wrote ${s.files.length} files for ${imagesOf(s.split, s.count)} to ${s.out}/ (model accuracy on them ${formatPercent(s.accuracy)})`
  ];
  for (const [name, q] of Object.entries(s.quality)) {
    lines.push(
      `  ${name.padEnd(5)} trustworthiness ${q.trustworthiness.toFixed(4)}  ${QUALITY_K}-NN accuracy ${formatPercent(q.knnAccuracy)}` +
        `  (64-d: ${formatPercent(s.referenceKnnAccuracy)})`
    );
  }
  lines.push("time per step:");
  for (const [step, seconds] of Object.entries(s.timings)) {
    lines.push(`  ${step.padEnd(20)} ${seconds < 60 ? `${seconds.toFixed(1)}s` : formatDuration(seconds)}`);
  }
  lines.push(
    `view: fmnist serve --dir ${s.out}, then open https://projector.tensorflow.org/?config=${baseUrl}/${FILES.config}`
  );
  return lines.join("\n");
}
