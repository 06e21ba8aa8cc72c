/** Effects for calling commands in tests: a recording logger, no progress, and a signal the test can abort. */
import {silentProgress, type Effects} from "../../src/core/effects.js";

export interface Recorded extends Effects {
  /** Every line logged, warnings as `warning: …`, in order. */
  lines: string[];
  /** Aborts `signal`, as Ctrl-C does in the CLI. */
  stop(): void;
}

/** Effects that record what is logged; any field can be replaced. */
export function recordingEffects(overrides: Partial<Effects> = {}): Recorded {
  const lines: string[] = [];
  const controller = new AbortController();
  return {
    lines,
    stop: () => controller.abort(),
    log: {info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`)},
    progress: silentProgress,
    signal: controller.signal,
    ...overrides
  };
}
