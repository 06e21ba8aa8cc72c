/** Terminal output helpers: a logger interface (injected into commands) and number formatting. */
export interface Logger {
  /** A line of normal output on stderr (stdout is reserved for results such as JSON). */
  info(message: string): void;
  warn(message: string): void;
}

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
