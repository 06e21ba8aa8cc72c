/** The training run served at /runs/: `metrics.jsonl` (one JSON object per line) and `config.json`. */
import {fetchOk} from "./fetchData.js";

export const RUN_BASE = "runs/";

/** One line of metrics.jsonl; epoch lines carry loss/accuracy/val_loss/val_accuracy. */
export interface RunRecord {
  type: string;
  epoch?: number;
  [key: string]: unknown;
}

/** Parses metrics.jsonl; a torn last line (the run is still writing) is skipped, other bad lines too. */
export function parseRunLog(text: string): RunRecord[] {
  const records: RunRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === "object" && typeof (value as RunRecord).type === "string")
        records.push(value as RunRecord);
    } catch {
      // a line still being written, or damage: the rest of the log is still worth showing
    }
  }
  return records;
}

/** Fetches the run's log afresh (no cache: the dashboard polls it while training runs). */
export async function loadRunLog(): Promise<RunRecord[]> {
  return parseRunLog(await (await fetchOk(`${RUN_BASE}metrics.jsonl`, {cache: "no-store"})).text());
}
