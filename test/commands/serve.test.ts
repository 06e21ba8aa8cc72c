import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {publicHostWarning, serveCommand} from "../../src/cli/commands/serve.js";
import {recordingEffects} from "../helpers/effects.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-serve-cmd-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

describe("serveCommand({dir, app, run, model, port, host})", () => {
  it("serves the app at /, the export at /projector/, the run at /runs/ and the model at /model/", async () => {
    const app = mkdtempSync(join(root, "app-"));
    const run = mkdtempSync(join(root, "run-"));
    const model = mkdtempSync(join(root, "model-"));
    const dir = mkdtempSync(join(root, "export-"));
    writeFileSync(join(app, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(run, "metrics.jsonl"), '{"epoch":1}\n');
    writeFileSync(join(model, "model.json"), "{}");
    writeFileSync(join(dir, "config.json"), JSON.stringify({embeddings: [{tensorPath: "http://localhost:1/x.bytes"}]}));
    const effects = recordingEffects();
    const {lines} = effects;
    const server = await serveCommand({dir, app, run, model, port: 0}, effects);
    try {
      expect(server.host).toBe("127.0.0.1");
      expect(lines[0]).toBe(`serving the web app at http://127.0.0.1:${server.port}/ (Ctrl-C to stop)`);
      expect(lines[1]).toBe(`open http://localhost:${server.port}/`);
      const base = `http://127.0.0.1:${server.port}`;
      expect(await (await fetch(`${base}/`)).text()).toContain("<title>app</title>");
      expect(await (await fetch(`${base}/runs/metrics.jsonl`)).text()).toBe('{"epoch":1}\n');
      expect(await (await fetch(`${base}/model/model.json`)).text()).toBe("{}");
      expect((await fetch(`${base}/projector/config.json`)).status).toBe(200);
      expect((await fetch(`${base}/projector/../model/model.json`)).status).toBe(200); // fetch normalises the dots
      expect(
        lines.some((l) =>
          l.startsWith(
            `warning: config.json points at http://localhost:1, not this server (http://localhost:${server.port}/projector)`
          )
        )
      ).toBe(true);
      expect(lines.at(-1)).toBe(
        `TensorBoard Projector: https://projector.tensorflow.org/?config=http://localhost:${server.port}/projector/config.json`
      );
    } finally {
      await server.close();
    }
  });

  it("serves the export folder alone (with a warning) when the app is not built", async () => {
    const dir = mkdtempSync(join(root, "export-"));
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({embeddings: [{tensorPath: "http://localhost:8000/projector/a"}]})
    );
    const effects = recordingEffects();
    const {lines} = effects;
    const server = await serveCommand({dir, app: join(root, "no-app"), port: 0}, effects);
    try {
      expect(lines[0]).toMatch(/^warning: no web app at .*no-app; build it with `npm run build`/);
      expect(lines).toContain(`serving ${dir}/ at http://127.0.0.1:${server.port}/ (Ctrl-C to stop)`);
      expect((await fetch(`http://127.0.0.1:${server.port}/config.json`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("warns when the folder has no config.json", async () => {
    const empty = mkdtempSync(join(root, "empty-"));
    const effects = recordingEffects();
    const {lines} = effects;
    const server = await serveCommand({dir: empty, port: 0}, effects);
    await server.close();
    expect(lines.some((l) => l.startsWith("warning:") && l.includes("has no config.json"))).toBe(true);
  });

  it("refuses a folder that does not exist", async () => {
    const effects = recordingEffects();
    await expect(
      serveCommand({dir: join(root, "missing"), app: join(root, "missing-app"), port: 0}, effects)
    ).rejects.toThrow(/cannot serve/);
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
