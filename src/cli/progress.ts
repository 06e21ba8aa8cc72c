/**
 * Progress of long steps on stderr: a bar when stderr is a terminal, otherwise a plain line about
 * every 10%.
 */
import {SingleBar} from "cli-progress";

import type {Logger, Progress} from "../core/effects.js";

/** Bars (`bars: true`) or plain lines through `logger`. */
export function createProgress(options: {bars: boolean; logger: Logger}): Progress {
  let bar: SingleBar | undefined;
  let label = "";
  let total = 0;
  let nextLine = 0;
  return {
    start(l, t) {
      label = l;
      total = t;
      nextLine = 0;
      if (options.bars) {
        bar = new SingleBar({
          format: `${l.padEnd(18)} [{bar}] {percentage}% {value}/{total} {detail} ETA {eta_formatted}`,
          barsize: 28,
          stream: process.stderr,
          hideCursor: true
        });
        bar.start(t, 0, {detail: ""});
      }
    },
    update(done, detail) {
      if (bar) bar.update(done, {detail: detail ?? ""});
      else if (done >= nextLine) {
        options.logger.info(`${label}: ${done}/${total}${detail ? ` ${detail}` : ""}`);
        nextLine = done + Math.max(1, Math.ceil(total / 10));
      }
    },
    stop() {
      if (bar) {
        bar.update(total);
        bar.stop();
        bar = undefined;
      }
    }
  };
}
