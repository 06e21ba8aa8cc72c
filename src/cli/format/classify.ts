/** `fmnist classify`'s line per image. */
import type {ClassifyResult} from "../commands/classify.js";

/** `file: Label 0.9876, Other 0.0100  [unlike Fashion-MNIST: reason]  (plots: dir)`. */
export function formatClassifyResult(r: ClassifyResult): string {
  const classes = r.top.map((t) => `${t.label} ${t.score.toFixed(4)}`).join(", ");
  const flag = r.ood ? `  [unlike Fashion-MNIST: ${r.oodReason}]` : "";
  const plots = r.plotDir ? `  (plots: ${r.plotDir})` : "";
  return `${r.file}: ${classes}${flag}${plots}`;
}

/** An image that failed: its name once, then the reason. */
export function formatClassifyError(file: string, error: Error): string {
  return `fmnist: ${error.message.startsWith(file) ? "" : file + ": "}${error.message}`;
}
