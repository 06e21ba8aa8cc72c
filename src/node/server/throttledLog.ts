/**
 * A logger that prints at most a few lines per interval, so that a client provoking errors cannot
 * flood the terminal or a log file; it says when it starts leaving lines out, and how many it left
 * out once it prints again.
 */
import type {Logger} from "../../core/effects.js";

export class ThrottledLog {
  private windowStart = -Infinity;
  private printed = 0;
  private dropped = 0;

  constructor(
    private readonly logger: Logger,
    private readonly perWindow = 5,
    private readonly windowMs = 60_000
  ) {}

  warn(message: string): void {
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.dropped > 0) this.logger.warn(`serve: ${this.dropped} similar lines were not shown`);
      this.windowStart = now;
      this.printed = 0;
      this.dropped = 0;
    }
    if (this.printed < this.perWindow) {
      this.printed++;
      this.logger.warn(message);
    } else if (this.dropped++ === 0) {
      this.logger.warn(`serve: more errors; not showing them for ${Math.round(this.windowMs / 1000)} s`);
    }
  }
}
