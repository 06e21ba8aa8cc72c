/** `fmnist logs`' text dump. */
import type {LogsResult} from "../commands/logs.js";

/** Human-readable dump: per run, the epoch scalars as a table and a one-line digest of the rest. */
export function formatLogs(result: LogsResult): string {
  const lines = [`log folder: ${result.logDir}`];
  for (const run of result.runs) {
    const events = run.files.reduce((n, f) => n + f.events, 0);
    lines.push("", `${run.name}: ${run.files.length} file(s), ${events} events`);
    const epochTags = Object.keys(run.scalars).filter((t) => t.startsWith("epoch_"));
    if (epochTags.length > 0) {
      const steps = [...new Set(epochTags.flatMap((t) => run.scalars[t].map((p) => p.step)))].sort((a, b) => a - b);
      lines.push("  " + ["epoch".padStart(5), ...epochTags.map((t) => t.padStart(20))].join(" "));
      for (const step of steps) {
        const cells = epochTags.map((t) => {
          const point = run.scalars[t].filter((p) => p.step === step).pop();
          return (point ? formatValue(point.value) : "-").padStart(20);
        });
        lines.push("  " + [String(step).padStart(5), ...cells].join(" "));
      }
    }
    for (const [tag, points] of Object.entries(run.scalars)) {
      if (tag.startsWith("epoch_")) continue;
      const last = points[points.length - 1];
      lines.push(
        `  ${tag}: ${points.length} points, steps ${points[0].step}..${last.step}, last ${formatValue(last.value)}`
      );
    }
    const histograms = Object.keys(run.histograms);
    if (histograms.length > 0) lines.push(`  histograms (${histograms.length}): ${histograms.join(", ")}`);
    for (const [tag, count] of Object.entries(run.images)) lines.push(`  image ${tag}: ${count}`);
  }
  return lines.join("\n");
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}
