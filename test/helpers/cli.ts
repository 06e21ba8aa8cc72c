/**
 * Runs the real `fmnist` entry point (`node --import tsx src/cli/fmnist.ts`) as a child process
 * from the project root, as a user would. Not a test file itself.
 */
import {spawn, type ChildProcessByStdio} from "node:child_process";
import type {Readable} from "node:stream";

import {ROOT} from "./paths.js";

export {ROOT};

export interface CliResult {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export type CliChild = ChildProcessByStdio<null, Readable, Readable>;

export interface SpawnOptions {
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Run as this user and group (the tests run as root). */
  uid?: number;
  gid?: number;
  /** Modules node imports first (e.g. test/helpers/fsFault.mjs). */
  preload?: string[];
}

/**
 * Starts `fmnist ...args`; FASHION_MNIST_DIR is removed from its environment so only
 * `--data-dir` decides where data comes from.
 */
export function spawnCli(args: string[], timeoutMs = 90_000, options: SpawnOptions = {}): CliChild {
  const env = {...process.env, ...options.env};
  delete env.FASHION_MNIST_DIR;
  const preload = (options.preload ?? []).flatMap((m) => ["--import", m]);
  return spawn(process.execPath, [...preload, "--import", "tsx", "src/cli/fmnist.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: timeoutMs,
    uid: options.uid,
    gid: options.gid
  });
}

/** Collects a started child's output until it exits. */
export function collect(child: CliChild): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({code, signal, stdout, stderr}));
  });
}

/** Runs `fmnist ...args` to the end. */
export function runCli(args: string[], timeoutMs?: number, options?: SpawnOptions): Promise<CliResult> {
  return collect(spawnCli(args, timeoutMs, options));
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
