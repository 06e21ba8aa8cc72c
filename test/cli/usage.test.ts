/**
 * The command line's own surface (issue 14, items 16 and 17): one-line usage errors that point at
 * the command's help, `--version`, `fmnist help COMMAND`, help that lists only the command's own
 * flags, and usage lines generated from the same declarations as parsing.
 */
import {describe, expect, it} from "vitest";

import {runCli, type CliResult} from "../helpers/cli.js";

/** Exit 2 and exactly two stderr lines: the error, then where to read the command's help. */
function expectUsageError(r: CliResult, command: string, message: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.replace(/\n$/, "").split("\n")).toEqual([
    `fmnist: ${message}`,
    `Run \`fmnist ${command} --help\` to see its options.`
  ]);
  expect(r.stdout).toBe("");
}

describe("usage errors: one line, then a pointer to the help", () => {
  it.concurrent("a negative number as a flag's value is checked like any other value", async () => {
    const [epochs, rate] = await Promise.all([
      runCli(["train", "--epochs", "-1"]),
      runCli(["train", "--learning-rate", "-1"])
    ]);
    expectUsageError(epochs, "train", '--epochs must be an integer ≥ 1; got "-1"');
    expectUsageError(rate, "train", '--learning-rate must be a positive number; got "-1"');
  });

  it.concurrent("an unknown flag is named with balanced quotes, without the full help", async () => {
    const r = await runCli(["logs", "--epochs", "3", "run"]);
    expectUsageError(r, "logs", 'unknown option "--epochs"');
  });

  it.concurrent("a flag without its value", async () => {
    const r = await runCli(["export", "--count"]);
    expectUsageError(r, "export", "--count needs a value (--count N)");
  });
});

describe("help and version", () => {
  it.concurrent("fmnist --version prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fmnist \d+\.\d+\.\d+\n$/);
  });

  it.concurrent("fmnist help train is fmnist train --help", async () => {
    const [help, flag] = await Promise.all([runCli(["help", "train"]), runCli(["train", "--help"])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toMatch(/^usage: fmnist train /);
  });

  it.concurrent("each command's help lists its own flags only", async () => {
    const [logs, serve, train] = await Promise.all([
      runCli(["logs", "--help"]),
      runCli(["serve", "--help"]),
      runCli(["train", "--help"])
    ]);
    for (const r of [logs, serve]) {
      expect(r.stdout).not.toMatch(/--backend|--data-dir|--no-verify/);
      expect(r.stdout).toMatch(/--help/);
    }
    expect(train.stdout).toMatch(/--data-dir/);
    expect(train.stdout).toMatch(/--no-verify/);
  });

  it.concurrent("the usage line names every flag the command takes", async () => {
    const r = await runCli(["train", "--help"]);
    const usage = r.stdout.split("\n")[0];
    for (const flag of ["--epochs", "--learning-rate", "--validation", "--patience", "--no-progress", "--backend"]) {
      expect(usage).toContain(flag);
    }
  });

  it.concurrent("evaluate's --model help says a Keras .h5 file works", async () => {
    const r = await runCli(["evaluate", "--help"]);
    const line = r.stdout.split("\n").find((l) => l.trimStart().startsWith("--model"));
    expect(line).toMatch(/\.h5/);
  });
});
