/** `fmnist classify`'s lines per image. */
import type {ClassifyResult} from "../commands/classify.js";
import {NOT_A_GARMENT} from "../../core/model/ood.js";

/**
 * `file: Label 0.9876, Other 0.0100  (plots: dir)`; a flagged image says so first, names the
 * closest classes after, and gives the numbers on a second, indented details line:
 * `file: this does not look like a Fashion-MNIST garment; closest: Bag 0.6120` +
 * `\n  details: kNN distance 0.912 > 0.402 (…)`.
 */
export function formatClassifyResult(r: ClassifyResult): string {
  const classes = r.top.map((t) => `${t.label} ${t.score.toFixed(4)}`).join(", ");
  const plots = r.plotDir ? `  (plots: ${r.plotDir})` : "";
  if (!r.ood) return `${r.file}: ${classes}${plots}`;
  return `${r.file}: ${NOT_A_GARMENT}; closest: ${classes}${plots}\n  details: ${r.oodReason ?? ""}`;
}

/** An image that failed: its name once, then the reason. */
export function formatClassifyError(file: string, error: Error): string {
  return `fmnist: ${error.message.startsWith(file) ? "" : file + ": "}${error.message}`;
}
