/** Running a child process to completion. */
import {spawn} from "node:child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started (ENOENT, EACCES). */
  spawnError?: Error;
}

export function runCommand(command: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((done) => {
    const child = spawn(command, args, {stdio: ["ignore", "pipe", "pipe"]});
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (spawnError) => done({code: null, stdout, stderr, spawnError}));
    child.on("close", (code) => done({code, stdout, stderr}));
  });
}
