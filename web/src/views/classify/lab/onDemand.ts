/**
 * The lab's and the counterfactual's run policy: nothing runs until the user asks; from then on the
 * work runs for the latest input, again for each newer input or setting. A run that a newer one
 * overtook drops its result (`current()` turns false), and only the newest run's failure is shown:
 * the panel's state becomes "error" and its status line says "<what> failed: <why>".
 */
export interface OnDemand<T> {
  /** The user asked: runs now and for each later input. False when there is no input yet. */
  ask(): boolean;
  /** A new input (undefined: withdrawn, and a run under way is dropped). */
  offer(job: T | undefined): void;
  /** Runs again for the current input, if asked (a setting changed). */
  rerun(): void;
}

/** Where a failure is shown: the panel (its data-state) and its status line, naming the work. */
export interface FailureDisplay {
  panel: HTMLElement;
  line: HTMLElement;
  what: string;
}

export function onDemand<T>(
  work: (job: T, current: () => boolean) => Promise<void>,
  failure: FailureDisplay,
  signal: AbortSignal
): OnDemand<T> {
  const fail = (error: unknown) => {
    failure.panel.dataset.state = "error";
    failure.line.textContent = `${failure.what} failed: ${error instanceof Error ? error.message : String(error)}`;
  };
  let asked = false;
  let latest: T | undefined;
  let token = 0;
  const rerun = () => {
    if (!asked || latest === undefined || signal.aborted) return;
    const mine = ++token;
    work(latest, () => mine === token).catch((error: unknown) => {
      if (mine === token) fail(error);
    });
  };
  return {
    ask() {
      asked = true;
      rerun();
      return latest !== undefined;
    },
    offer(job) {
      latest = job;
      if (job === undefined) token++;
      else rerun();
    },
    rerun
  };
}
