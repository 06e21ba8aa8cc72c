#!/usr/bin/env node
/**
 * The `fmnist` command line: picks the subcommand, turns Ctrl-C into an abort signal, and is the
 * only place that prints errors and chooses exit codes (./exitCodes.ts). Subcommands declare their
 * flags in ./specs and import their work lazily, so `--help` and usage errors stay instant.
 */
import {readFileSync} from "node:fs";

import {UsageError} from "../core/errors.js";
import type {CommandEntry} from "./command.js";
import {errorMessage, exitCodeOf} from "./exitCodes.js";
import {calibrate} from "./specs/calibrate.js";
import {classify} from "./specs/classify.js";
import {evaluate} from "./specs/evaluate.js";
import {exportSpec} from "./specs/export.js";
import {logs} from "./specs/logs.js";
import {serve} from "./specs/serve.js";
import {start} from "./specs/start.js";
import {train} from "./specs/train.js";

const COMMANDS: Record<string, CommandEntry> = {
  calibrate,
  classify,
  train,
  evaluate,
  logs,
  export: exportSpec,
  serve,
  start
};

function generalHelp(): string {
  const lines = ["fmnist: train and look inside a CNN on Fashion-MNIST", "", "usage: fmnist <command> [options]", ""];
  lines.push("commands:");
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push("", "Run `fmnist <command> --help` (or `fmnist help <command>`) for a command's options.");
  lines.push("`fmnist --version` prints the version.");
  return lines.join("\n");
}

function version(): string {
  // The same relative path from src/cli (tsx) and dist/cli (built).
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {version: string};
  return pkg.version;
}

/** First Ctrl-C (or SIGTERM) aborts the signal with the command's message; a second Ctrl-C exits at once. */
function stopSignal(message: string | undefined): AbortSignal {
  const controller = new AbortController();
  if (message === undefined) return controller.signal;
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${message}\n`);
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return controller.signal;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    process.stdout.write(`fmnist ${version()}\n`);
    return 0;
  }
  if (name === "help" && rest.length > 0) {
    const c = COMMANDS[rest[0]];
    if (!c) throw new UsageError(`unknown command "${rest[0]}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
    process.stdout.write(c.help(rest[0]) + "\n");
    return 0;
  }
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(generalHelp() + "\n");
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
  try {
    return await command.main(name, rest, stopSignal(command.stopMessage));
  } catch (error) {
    if (error instanceof UsageError) error.message += `\nRun \`fmnist ${name} --help\` to see its options.`;
    throw error;
  }
}

const debug = process.argv.includes("--debug");
main(process.argv.slice(2)).then(
  async (code) => {
    if (debug) {
      // Says whether the optional native convolutions ran (see docs/performance.md).
      const {describeBackend} = await import("../node/backend/selectBackend.js");
      process.stderr.write(`fmnist: backend ${describeBackend() ?? "(none initialised)"}\n`);
    }
    process.exit(code);
  },
  (error: unknown) => {
    const code = exitCodeOf(error);
    const message = errorMessage(error);
    if (code === 70) {
      process.stderr.write(`fmnist: unexpected error: ${message}\n`);
      if (!debug) process.stderr.write("(run again with --debug for the stack trace)\n");
    } else process.stderr.write(`fmnist: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
    process.exit(code);
  }
);
