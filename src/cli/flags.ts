/**
 * Command-line flags, each declared once: its kind, value placeholder, help text and parser. The
 * parsing, a command's `--help` and its usage line are all generated from the declarations, and
 * the parsed values are typed by them. Keys are camelCase (`batchSize`); on the command line they
 * are kebab-case (`--batch-size`). Node's parseArgs does the tokenising; what it leaves to us is
 * checked here first, so every mistake gets one line that says what is wrong.
 */
import {parseArgs} from "node:util";

import {UsageError} from "../core/errors.js";

/** One flag: a switch (`value` undefined) or a flag with a value, parsed by `parse`. */
export interface Flag<T> {
  /** Placeholder in the usage line and help, e.g. "N" or "DIR"; undefined for a switch. */
  value?: string;
  help: string;
  short?: string;
  /** Turns the raw text into the value (throws a UsageError naming `--name`). */
  parse(raw: string, name: string): T;
}

export type Flags = Record<string, Flag<unknown>>;

/** The parsed values: each flag's type, undefined when it was not given. */
export type FlagValues<F extends Flags> = {[K in keyof F]?: F[K] extends Flag<infer T> ? T : never};

/**
 * The values of `keys`, for the options a command takes under its flags' own names (a flag that
 * was not given stays undefined, as when each is copied by hand).
 */
export function pickValues<V extends object, K extends keyof V>(values: V, keys: readonly K[]): Pick<V, K> {
  return Object.fromEntries(keys.map((key) => [key, values[key]])) as Pick<V, K>;
}

/** `batchSize` → `batch-size`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function or(values: readonly string[]): string {
  return values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(", ")}`;
}

/** Constructors of the common kinds of flag. */
export const flag = {
  switch(help: string, short?: string): Flag<true> {
    return {help, short, parse: () => true};
  },
  string(value: string, help: string): Flag<string> {
    return {value, help, parse: (raw) => raw};
  },
  int(value: string, help: string, range: {min?: number; max?: number} = {}): Flag<number> {
    const min = range.min ?? 1;
    return {
      value,
      help,
      parse(raw, name) {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isInteger(n) || n < min)
          throw new UsageError(`--${name} must be an integer ≥ ${min}; got "${raw}"`);
        if (range.max !== undefined && n > range.max)
          throw new UsageError(`--${name} must be at most ${range.max}; got ${n}`);
        return n;
      }
    };
  },
  positive(value: string, help: string, max?: number): Flag<number> {
    return {
      value,
      help,
      parse(raw, name) {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(n) || n <= 0)
          throw new UsageError(`--${name} must be a positive number; got "${raw}"`);
        if (max !== undefined && n > max) throw new UsageError(`--${name} must be at most ${max}`);
        return n;
      }
    };
  },
  /** A number in [0, 1) (a probability or a fraction). */
  fraction(value: string, help: string): Flag<number> {
    return {
      value,
      help,
      parse(raw, name) {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || n >= 1)
          throw new UsageError(`--${name} must be a number from 0 up to (not including) 1; got "${raw}"`);
        return n;
      }
    };
  },
  choice<T extends string>(values: readonly T[], help: string): Flag<T> {
    return {
      value: values.join("|"),
      help,
      parse(raw, name) {
        if ((values as readonly string[]).includes(raw)) return raw as T;
        throw new UsageError(`--${name} must be ${or(values)}; got "${raw}"`);
      }
    };
  },
  /** A value with its own parser (which names the flag in its errors). */
  custom<T>(value: string, help: string, parse: (raw: string) => T): Flag<T> {
    return {value, help, parse: (raw) => parse(raw)};
  }
};

/** Flags every command has. */
export const GLOBAL_FLAGS = {
  help: flag.switch("show this help", "h"),
  debug: flag.switch("show stack traces on errors, and the backend used")
};

export interface Parsed<F extends Flags> {
  values: FlagValues<F>;
  positionals: string[];
}

/** Parses `args` against `flags` (and {@link GLOBAL_FLAGS}); throws a one-line UsageError on any mistake. */
export function parseFlags<F extends Flags>(flags: F, args: string[]): Parsed<F & typeof GLOBAL_FLAGS> {
  const all: Flags = {...flags, ...GLOBAL_FLAGS};
  const byName = new Map(Object.entries(all).map(([key, f]) => [kebab(key), {key, flag: f}]));
  const byShort = new Map(Object.entries(all).flatMap(([key, f]) => (f.short ? [[f.short, key]] : [])));
  // Joined as --name=value so that a value starting with "-" (a negative number) reaches its parser.
  const tokens: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === "--") {
      tokens.push(...args.slice(i));
      break;
    }
    if (token.startsWith("--")) {
      const [name, inline] = token.slice(2).split(/=(.*)/s, 2);
      const known = byName.get(name);
      if (!known) throw new UsageError(`unknown option "--${name}"`);
      if (known.flag.value === undefined) {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value; got "${inline}"`);
        tokens.push(token);
      } else if (inline !== undefined) tokens.push(token);
      else if (i + 1 < args.length) tokens.push(`--${name}=${args[++i]}`);
      else throw new UsageError(`--${name} needs a value (--${name} ${known.flag.value})`);
    } else if (token.startsWith("-") && token.length > 1) {
      if (token.length !== 2 || !byShort.has(token[1])) throw new UsageError(`unknown option "${token}"`);
      tokens.push(token);
    } else tokens.push(token);
  }
  const options = Object.fromEntries(
    [...byName].map(([name, {flag: f}]) => [
      name,
      {type: f.value === undefined ? ("boolean" as const) : ("string" as const), ...(f.short ? {short: f.short} : {})}
    ])
  );
  const parsed = parseArgs({args: tokens, options, allowPositionals: true, strict: true});
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const known = byName.get(name);
    if (!known || raw === undefined) continue;
    // A repeated flag: the last one wins, as in most command lines.
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    values[known.key] = typeof last === "string" ? known.flag.parse(last, name) : last;
  }
  return {values: values as FlagValues<F & typeof GLOBAL_FLAGS>, positionals: parsed.positionals};
}

/** `fmnist train [--epochs N] ...`: every flag of the command, in declaration order. */
export function usageLine(command: string, flags: Flags, positionals = ""): string {
  const parts = Object.entries(flags).map(([key, f]) => `[--${kebab(key)}${f.value ? ` ${f.value}` : ""}]`);
  return ["usage: fmnist", command, positionals, ...parts].filter(Boolean).join(" ");
}

/** The command's `--help`: usage, summary and one line per flag. */
export function helpText(command: string, summary: string, flags: Flags, positionals = ""): string {
  const all: Flags = {...flags, ...GLOBAL_FLAGS};
  const lines = [usageLine(command, flags, positionals), "", summary, "", "options:"];
  const names = Object.entries(all).map(([key, f]) => `--${kebab(key)}${f.value ? ` ${f.value}` : ""}`);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  Object.values(all).forEach((f, i) => lines.push(`  ${names[i].padEnd(width)}${f.help}`));
  return lines.join("\n");
}
