import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {publicHostWarning, serveCommand} from "../../src/commands/serve.js";
import type {Logger} from "../../src/tty.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-serve-cmd-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

function recorder(): {logger: Logger; lines: string[]} {
  const lines: string[] = [];
  return {lines, logger: {info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`)}};
}

describe("serveCommand({dir, port, host})", () => {
  it("prints the address and the Projector URL, and warns when config.json names another port", async () => {
    writeFileSync(
      join(root, "config.json"),
      JSON.stringify({embeddings: [{tensorPath: "http://localhost:8000/embedding_tensors.bytes"}]})
    );
    const {logger, lines} = recorder();
    const server = await serveCommand({dir: root, port: 0}, {logger});
    try {
      expect(server.host).toBe("127.0.0.1");
      expect(lines[0]).toBe(`serving ${root}/ at http://127.0.0.1:${server.port}/ (Ctrl-C to stop)`);
      expect(
        lines.some((l) => /^warning: config.json points at http:\/\/localhost:8000, not this server/.test(l))
      ).toBe(true);
      expect(lines.at(-1)).toBe(
        `open https://projector.tensorflow.org/?config=http://localhost:${server.port}/config.json`
      );
    } finally {
      await server.close();
    }
  });

  it("warns when the folder has no config.json", async () => {
    const empty = mkdtempSync(join(root, "empty-"));
    const {logger, lines} = recorder();
    const server = await serveCommand({dir: empty, port: 0}, {logger});
    await server.close();
    expect(lines.some((l) => l.startsWith("warning:") && l.includes("has no config.json"))).toBe(true);
  });

  it("refuses a folder that does not exist", async () => {
    const {logger} = recorder();
    await expect(serveCommand({dir: join(root, "missing"), port: 0}, {logger})).rejects.toThrow(/cannot serve/);
  });
});

describe("publicHostWarning(host, dir)", () => {
  it("warns for every-interface binds only", () => {
    expect(publicHostWarning("0.0.0.0", "projector")).toMatch(
      /every machine that can reach this one can read projector\//
    );
    expect(publicHostWarning("::", "projector")).toBeDefined();
    expect(publicHostWarning("127.0.0.1", "projector")).toBeUndefined();
    expect(publicHostWarning("localhost", "projector")).toBeUndefined();
  });
});
