/**
 * The shape of every `fmnist` subcommand: its flags (declared once, see ./flags.ts), a summary, and
 * `run(values, positionals, effects)`, which imports the library command lazily (so `--help` and
 * usage errors stay instant), calls it with one {@link Effects}, prints its result and returns the
 * exit code. {@link command} erases the flag types into a {@link CommandEntry} for the entry point.
 */
import type {Effects} from "../core/effects.js";
import {createProgress} from "./progress.js";
import {consoleLogger} from "./tty.js";
import {type GLOBAL_FLAGS, helpText, parseFlags, type FlagValues, type Flags} from "./flags.js";

export interface Command<F extends Flags> {
  summary: string;
  /** Positional arguments in the usage line, e.g. "IMAGE...". */
  positionals?: string;
  flags: F;
  /** Printed on the first Ctrl-C, which aborts `effects.signal`; a second one exits at once. Without it, Ctrl-C ends the process. */
  stopMessage?: string;
  run(values: FlagValues<F & typeof GLOBAL_FLAGS>, positionals: string[], effects: Effects): Promise<number>;
}

/** A command as the entry point sees it. */
export interface CommandEntry {
  summary: string;
  stopMessage?: string;
  help(name: string): string;
  /** Parses `args` and runs the command; returns the exit code. */
  main(name: string, args: string[], signal: AbortSignal): Promise<number>;
}

/** The terminal's effects: lines and progress on stderr (bars on a terminal, unless `--no-progress`). */
export function consoleEffects(signal: AbortSignal, bars: boolean): Effects {
  return {log: consoleLogger, progress: createProgress({bars, logger: consoleLogger}), signal};
}

export function command<F extends Flags>(c: Command<F>): CommandEntry {
  const help = (name: string) => helpText(name, c.summary, c.flags, c.positionals);
  return {
    summary: c.summary,
    stopMessage: c.stopMessage,
    help,
    async main(name, args, signal) {
      const {values, positionals} = parseFlags(c.flags, args);
      if (values.help) {
        process.stdout.write(help(name) + "\n");
        return 0;
      }
      const noProgress = Object.entries(values).some(([key, value]) => key === "noProgress" && value === true);
      return c.run(values, positionals, consoleEffects(signal, process.stderr.isTTY === true && !noProgress));
    }
  };
}
