/** The terminal: the logger that writes to stderr, and number formatting for humans. */
import type {Logger} from "../core/effects.js";

export const consoleLogger: Logger = {
  info: (message) => process.stderr.write(message + "\n"),
  warn: (message) => process.stderr.write(`warning: ${message}\n`)
};

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** A fraction as a percentage with two decimals ("92.06%"): every accuracy the CLI prints. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
