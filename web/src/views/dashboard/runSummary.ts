/** What the dashboard reads from a run's log: the epoch lines as curve points, and the best epoch. */
import type {CurvePoint, EpochLog} from "../../../../src/core/formats/metricsLog.js";

/** A point of the curves, with whether the run saved its checkpoint at that epoch. */
export type DashboardPoint = CurvePoint & Pick<EpochLog, "checkpoint">;

/** The epochs whose four metrics are numbers, in epoch order (a resumed run's repeated epoch: the last wins). */
export function epochPoints(logs: readonly EpochLog[]): DashboardPoint[] {
  const byEpoch = new Map<number, DashboardPoint>();
  for (const {epoch, loss, accuracy, val_loss, val_accuracy, checkpoint} of logs) {
    if ([loss, accuracy, val_loss, val_accuracy].some(Number.isNaN)) continue;
    byEpoch.set(epoch, {epoch, loss, accuracy, val_loss, val_accuracy, checkpoint});
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/**
 * The epoch whose checkpoint the run kept: the last one marked `checkpoint` in the log (the run picks it
 * on its --monitor metric, val_accuracy by default), or the lowest validation loss for a log without marks.
 */
export function bestEpoch(points: readonly DashboardPoint[]): DashboardPoint | undefined {
  const marked = points.filter((p) => p.checkpoint).at(-1);
  if (marked) return marked;
  let best: DashboardPoint | undefined;
  for (const p of points) if (Number.isFinite(p.val_loss) && (!best || p.val_loss < best.val_loss)) best = p;
  return best;
}

/** One line that says where the run stands, e.g. "30 epochs; checkpoint at epoch 28: validation accuracy 93.92%, loss 0.1772". */
export function runSummaryText(points: readonly DashboardPoint[]): string {
  if (points.length === 0) return "No finished epoch in the log yet.";
  const best = bestEpoch(points);
  const epochs = `${points.length} epoch${points.length === 1 ? "" : "s"}`;
  return best
    ? `${epochs}; checkpoint at epoch ${best.epoch}: validation accuracy ${(best.val_accuracy * 100).toFixed(2)}%, loss ${best.val_loss.toFixed(4)}`
    : epochs;
}
