/** What the dashboard reads from a run's log: the epoch lines as curve points, and the best epoch. */
import type {CurvePoint, EpochLog} from "../../../../src/core/formats/metricsLog.js";

/** The epochs whose four metrics are numbers, in epoch order (a resumed run's repeated epoch: the last wins). */
export function epochPoints(logs: readonly EpochLog[]): CurvePoint[] {
  const byEpoch = new Map<number, CurvePoint>();
  for (const {epoch, loss, accuracy, val_loss, val_accuracy} of logs) {
    if ([loss, accuracy, val_loss, val_accuracy].some(Number.isNaN)) continue;
    byEpoch.set(epoch, {epoch, loss, accuracy, val_loss, val_accuracy});
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** The epoch with the lowest finite validation loss (the one the checkpoint keeps), or undefined. */
export function bestEpoch(points: readonly CurvePoint[]): CurvePoint | undefined {
  let best: CurvePoint | undefined;
  for (const p of points) if (Number.isFinite(p.val_loss) && (!best || p.val_loss < best.val_loss)) best = p;
  return best;
}

/** One line that says where the run stands, e.g. "12 epochs; best validation loss 0.2358 at epoch 8". */
export function runSummaryText(points: readonly CurvePoint[]): string {
  if (points.length === 0) return "No finished epoch in the log yet.";
  const best = bestEpoch(points);
  const epochs = `${points.length} epoch${points.length === 1 ? "" : "s"}`;
  return best
    ? `${epochs}; best validation loss ${best.val_loss.toFixed(4)} at epoch ${best.epoch} (validation accuracy ${(best.val_accuracy * 100).toFixed(2)}%)`
    : epochs;
}
