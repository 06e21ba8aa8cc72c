/**
 * A training run's `metrics.jsonl`: one JSON line per completed epoch, appended by `fmnist train`
 * and read back by `--resume`, by the pictures and by the web app's dashboard (which polls it while
 * the run is still writing). One type, one writer, one parser. Isomorphic.
 */

export const METRICS_FILE = "metrics.jsonl";

/** Metrics of one epoch. A metric that was NaN is written as null and read back as NaN. */
export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  learning_rate: number;
  seconds: number;
  images_per_second: number;
  checkpoint: boolean;
}

/** What the training curves are drawn from. */
export type CurvePoint = Pick<EpochLog, "epoch" | "loss" | "accuracy" | "val_loss" | "val_accuracy">;

const METRIC_FIELDS = [
  "loss",
  "accuracy",
  "val_loss",
  "val_accuracy",
  "learning_rate",
  "seconds",
  "images_per_second"
] as const;

/** One line of the log, with its newline; `time` is when the epoch ended. */
export function epochLine(log: EpochLog, time?: Date): string {
  return JSON.stringify({type: "epoch", ...(time ? {time: time.toISOString()} : {}), ...log}) + "\n";
}

/** An epoch line with every field of the right type (a metric is null when it was NaN). */
function isEpochLine(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const line = value as Record<string, unknown>;
  return (
    line.type === "epoch" &&
    Number.isInteger(line.epoch) &&
    (line.epoch as number) >= 1 &&
    typeof line.checkpoint === "boolean" &&
    METRIC_FIELDS.every((f) => typeof line[f] === "number" || line[f] === null)
  );
}

/**
 * The epoch lines of a log, in file order. Lines that are torn (a crash mid-append, or a run still
 * writing), damaged or of another type are skipped: the rest is still worth reading.
 */
export function parseMetricsLog(text: string): EpochLog[] {
  const logs: EpochLog[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    if (!isEpochLine(parsed)) continue;
    const metric = (f: (typeof METRIC_FIELDS)[number]) => (parsed[f] === null ? NaN : (parsed[f] as number));
    logs.push({
      epoch: parsed.epoch as number,
      loss: metric("loss"),
      accuracy: metric("accuracy"),
      val_loss: metric("val_loss"),
      val_accuracy: metric("val_accuracy"),
      learning_rate: metric("learning_rate"),
      seconds: metric("seconds"),
      images_per_second: metric("images_per_second"),
      checkpoint: parsed.checkpoint as boolean
    });
  }
  return logs;
}
