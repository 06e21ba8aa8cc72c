/**
 * What long-running library code may do to the outside world, injected by its caller: print lines
 * (`log`), report progress (`progress`) and notice that it should stop (`signal`). The CLI passes
 * the terminal's, tests pass recorders, the web worker passes its message port's. Isomorphic.
 */

/** Lines of normal output; the CLI writes them to stderr (stdout is kept for results such as JSON). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** Progress of one step at a time. */
export interface Progress {
  /** Begins a step of `total` units. */
  start(label: string, total: number): void;
  /** Reports `done` units of the current step, with an optional note (e.g. the running loss). */
  update(done: number, detail?: string): void;
  /** Ends the current step. */
  stop(): void;
}

/** The effects every command receives. */
export interface Effects {
  log: Logger;
  progress: Progress;
  /** Aborted when the user asks to stop (Ctrl-C); long steps check it and end early. */
  signal: AbortSignal;
}

export const silentLogger: Logger = {info() {}, warn() {}};
export const silentProgress: Progress = {start() {}, update() {}, stop() {}};

/** Effects that print nothing and never stop; any field can be replaced. */
export function quietEffects(overrides: Partial<Effects> = {}): Effects {
  return {log: silentLogger, progress: silentProgress, signal: new AbortController().signal, ...overrides};
}
