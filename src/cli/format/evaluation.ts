/** `fmnist evaluate`'s table: accuracy, loss, per-class accuracy and the confusion matrix. */
import type {Evaluation} from "../commands/evaluate.js";
import {formatPercent} from "../tty.js";

/**
 * The confusion matrix's columns are numbered and its rows carry the number and the full class
 * name, so no name is cut and the table stays within 80 columns.
 */
export function formatEvaluation(e: Evaluation): string {
  const lines = [
    `model: ${e.model}`,
    `test images: ${e.count}   accuracy: ${formatPercent(e.accuracy)}   loss: ${e.loss.toFixed(4)}`,
    "",
    "per-class accuracy:"
  ];
  const nameWidth = Math.max(...e.classNames.map((n) => n.length)) + 2;
  for (const [name, acc] of Object.entries(e.perClassAccuracy)) {
    lines.push(`  ${name.padEnd(nameWidth)} ${formatPercent(acc).padStart(7)}`);
  }
  lines.push("", "confusion matrix (rows: true class, columns: predicted class, by number):");
  const cell = Math.max(5, ...e.confusionMatrix.flat().map((v) => String(v).length + 1));
  const label = (i: number) => `${String(i).padStart(2)} ${e.classNames[i]}`.padEnd(nameWidth + 3);
  lines.push(" ".repeat(nameWidth + 3) + e.classNames.map((_, i) => String(i).padStart(cell)).join(""));
  e.confusionMatrix.forEach((row, i) => lines.push(label(i) + row.map((v) => String(v).padStart(cell)).join("")));
  return lines.join("\n");
}
