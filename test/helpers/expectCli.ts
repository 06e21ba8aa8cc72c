/** Assertions on a finished `fmnist` run (see ./cli.ts). Not a test file itself. */
import {expect} from "vitest";

import type {CliResult} from "./cli.js";

/**
 * Exit code `code` and a last stderr line equal to `fmnist: message` (a usage error's pointer to
 * the command's help after it), without a stack trace.
 */
export function expectOneLine(r: CliResult, code: number, message: string): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split("\n");
  if (code === 2) expect(lines.pop()).toMatch(/^Run `fmnist \w+ --help` to see its options\.$/);
  expect(lines.at(-1)).toBe(`fmnist: ${message}`);
  expect(r.stderr).not.toMatch(/^\s+at |unexpected error/m);
}
