/**
 * Runs the real `fmnist` entry point as a child process (through tsx) on broken data and bad
 * arguments, and checks what a user sees: the exit code and a one-line message without a stack.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {DATASET_FILES} from "../../src/core/data/fashionMnist.js";
import {DEBIAN_DATA_DIR} from "../../src/node/data/loadFashionMnist.js";
import {makeIdx} from "../data/makeIdx.js";
import {escapeRegExp, runCli} from "../helpers/cli.js";

const TRAIN = DATASET_FILES.train;

/**
 * The error part of stderr: exactly one line starting with "fmnist: ", the last one; anything
 * before it is progress output of the form "backend: …" (after a usage error comes the pointer to
 * the command's help). Returns that line.
 */
function singleErrorLine(stderr: string): string {
  const lines = stderr.replace(/\n$/, "").split("\n");
  if (/^Run `fmnist \w+ --help` to see its options\.$/.test(lines.at(-1) ?? "")) lines.pop();
  const errorLines = lines.filter((l) => l.startsWith("fmnist: "));
  expect(errorLines, stderr).toHaveLength(1);
  expect(lines.at(-1)).toBe(errorLines[0]);
  for (const line of lines.slice(0, -1)) expect(line, stderr).toMatch(/^backend: \w+$/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/unexpected error|--debug/);
  return errorLines[0];
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fmnist-cli-"));
});
afterAll(() => {
  rmSync(root, {recursive: true, force: true});
});

/** A data dir holding the real train labels (linked) and the given bytes as the train images. */
function dataDirWithImages(name: string, fileName: string, bytes: Uint8Array): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, fileName), bytes);
  symlinkSync(join(DEBIAN_DATA_DIR, TRAIN.labels.file), join(dir, TRAIN.labels.file));
  return dir;
}

function trainArgs(dataDir: string, out: string): string[] {
  return ["train", "--data-dir", dataDir, "--limit", "10", "--epochs", "1", "--out", out, "--no-progress"];
}

describe("fmnist train with bad data", () => {
  const cases: {name: string; file: string; bytes: () => Uint8Array; message: RegExp}[] = [
    {
      name: "a truncated IDX file",
      file: "train-images-idx3-ubyte",
      bytes: () => makeIdx([10, 28, 28]).subarray(0, 16 + 100),
      message: /SHA-256 mismatch/
    },
    {
      name: "a wrong-magic IDX file (labels where images belong)",
      file: "train-images-idx3-ubyte",
      bytes: () => makeIdx([10], {data: new Uint8Array(10)}),
      message: /SHA-256 mismatch/
    },
    {
      name: "a truncated gzip file (the first 64 KiB of the real one)",
      file: TRAIN.images.file,
      bytes: () => {
        const buffer = new Uint8Array(65536);
        const fd = openSync(join(DEBIAN_DATA_DIR, TRAIN.images.file), "r");
        try {
          expect(readSync(fd, buffer, 0, buffer.length, 0)).toBe(buffer.length);
        } finally {
          closeSync(fd);
        }
        return buffer;
      },
      message: /corrupt or truncated gzip data/
    }
  ];

  cases.forEach(({name, file, bytes, message}, i) => {
    it(`exits 1 with one line naming the file, no stack trace and no run folder, on ${name}`, async () => {
      const dir = dataDirWithImages(`case${i}`, file, bytes());
      const out = join(root, `run${i}`);
      const result = await runCli(trainArgs(dir, out));
      expect(result.code, result.stderr).toBe(1);
      const line = singleErrorLine(result.stderr);
      expect(line).toMatch(new RegExp(`^fmnist: ${escapeRegExp(join(dir, file))}: `));
      expect(line).toMatch(message);
      expect(result.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });
  });

  it("names a missing file and exits 1", async () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    const result = await runCli(trainArgs(dir, join(root, "run-empty")));
    expect(result.code).toBe(1);
    expect(singleErrorLine(result.stderr)).toContain(`fmnist: Missing dataset file ${join(dir, TRAIN.images.file)}`);
  });

  it("prints the stack trace too with --debug", async () => {
    const dir = dataDirWithImages("debug", "train-images-idx3-ubyte", makeIdx([1], {data: new Uint8Array(1)}));
    const result = await runCli([...trainArgs(dir, join(root, "run-debug")), "--debug"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^fmnist: .*train-images-idx3-ubyte: SHA-256 mismatch/m);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});

describe("fmnist usage errors", () => {
  it("exits 2 on --epochs abc with a message about --epochs", async () => {
    const result = await runCli(["train", "--epochs", "abc", "--data-dir", join(root, "unused")]);
    expect(result.code).toBe(2);
    expect(singleErrorLine(result.stderr)).toBe('fmnist: --epochs must be an integer ≥ 1; got "abc"');
  });

  it("exits 2 on an unknown command, naming it and listing the commands", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^fmnist: unknown command "frobnicate"; commands: calibrate, classify, train, /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("exits 2 on an unknown option", async () => {
    const result = await runCli(["train", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('fmnist: unknown option "--bogus"\nRun `fmnist train --help` to see its options.\n');
  });

  it("exits 2 with the usage when no command is given", async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("usage: fmnist <command> [options]");
  });

  it("prints the usage on stdout and exits 0 with --help", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("usage: fmnist <command> [options]");
    expect(result.stdout).toMatch(/^ {2}train /m);
    expect(result.stdout).toMatch(/^ {2}evaluate /m);
    expect(result.stderr).toBe("");
  });

  it("prints a command's options and exits 0 with train --help", async () => {
    const result = await runCli(["train", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}--epochs /m);
    expect(result.stdout).toMatch(/^ {2}--data-dir /m);
    expect(result.stderr).toBe("");
  });
});
