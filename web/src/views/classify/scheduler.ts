/**
 * Keeping live updates smooth: work on the latest input only, never two runs at once. A new input
 * while a run is busy replaces any waiting one; when the run ends, the waiting input (if any) goes
 * next. `minGap` (milliseconds, or a function read before each run) spaces heavy runs out, e.g.
 * CAM and feature maps while drawing.
 */
export interface LatestRunner<T> {
  /** Offers an input; it runs now, or after the current run (replacing older waiting inputs). */
  push(input: T): void;
  /** Drops anything waiting and ignores later pushes. */
  stop(): void;
}

export function latestRunner<T>(
  run: (input: T) => Promise<void> | void,
  minGap: number | (() => number) = 0
): LatestRunner<T> {
  let busy = false;
  let stopped = false;
  let waiting: {input: T} | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastStart = -Infinity;
  const next = () => {
    if (stopped || busy || !waiting || timer !== undefined) return;
    const delay = lastStart + (typeof minGap === "number" ? minGap : minGap()) - performance.now();
    if (delay > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        next();
      }, delay);
      return;
    }
    const {input} = waiting;
    waiting = undefined;
    busy = true;
    lastStart = performance.now();
    Promise.resolve()
      .then(() => run(input))
      .catch((error: unknown) => console.error(error))
      .finally(() => {
        busy = false;
        next();
      });
  };
  return {
    push(input) {
      if (stopped) return;
      waiting = {input};
      next();
    },
    stop() {
      stopped = true;
      waiting = undefined;
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}
