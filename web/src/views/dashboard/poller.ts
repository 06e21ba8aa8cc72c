/** Polls a text resource and calls back only when its content changed (the dashboard's auto-refresh). */

export interface Poller {
  /** Fetches now (also what the timer does); resolves after the callback ran, if it ran. */
  poll(): Promise<void>;
  stop(): void;
}

export interface PollerOptions {
  fetchText: () => Promise<string>;
  /** Called with the new text whenever it differs from the last one seen (the first fetch always counts). */
  onChange: (text: string) => void;
  /** Called after every fetch, changed or not (e.g. to update a "last checked" line). */
  onChecked?: (at: Date) => void;
  onError?: (error: unknown) => void;
  intervalMs: number;
}

/** Starts polling at once and then every `intervalMs`; a slow fetch never overlaps the next one. */
export function startPoller(options: PollerOptions): Poller {
  let last: string | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;

  const poll = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        const text = await options.fetchText();
        if (stopped) return;
        if (text !== last) {
          last = text;
          options.onChange(text);
        }
        options.onChecked?.(new Date());
      } catch (error) {
        if (!stopped) options.onError?.(error);
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const loop = async (): Promise<void> => {
    await poll();
    if (!stopped) timer = setTimeout(() => void loop(), options.intervalMs);
  };
  void loop();
  return {
    poll,
    stop() {
      stopped = true;
      clearTimeout(timer);
    }
  };
}
