import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {PROJECTOR_FILES, publicHostWarning, rebaseProjectorConfig, serveCommand} from "../../src/cli/commands/serve.js";
import {projectorConfig as writeConfig} from "../../src/core/formats/projector.js";
import {recordingEffects} from "../helpers/effects.js";
import {get} from "../server/clients.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-serve-cmd-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** config.json as `fmnist export` writes it (3 images), with its files under `baseUrl`. */
function projectorConfig(baseUrl: string) {
  return writeConfig({count: 3, dim: 64, layerName: "gap", baseUrl, bookmarks: true});
}

describe("serveCommand({dir, app, run, model, port, host})", () => {
  it("serves the app at /, the export at /projector/, the run at /runs/ and the model at /model/", async () => {
    const app = mkdtempSync(join(root, "app-"));
    const run = mkdtempSync(join(root, "run-"));
    const model = mkdtempSync(join(root, "model-"));
    const dir = mkdtempSync(join(root, "export-"));
    writeFileSync(join(app, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(run, "metrics.jsonl"), '{"epoch":1}\n');
    writeFileSync(join(run, "config.json"), '{"out":"/home/someone/runs/a"}\n');
    writeFileSync(join(model, "model.json"), "{}");
    writeFileSync(join(dir, "config.json"), JSON.stringify(projectorConfig("http://localhost:1/projector")));
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
      expect(lines.filter((l) => l.startsWith("warning:"))).toEqual([]);
      expect(lines.at(-1)).toBe(
        `TensorBoard Projector: https://projector.tensorflow.org/?config=http://localhost:${server.port}/projector/config.json`
      );
    } finally {
      await server.close();
    }
  });

  it("serves config.json pointing at the address it is fetched from, leaving the file on disk alone", async () => {
    const dir = mkdtempSync(join(root, "export-"));
    const onDisk = JSON.stringify(projectorConfig("http://localhost:8000/projector"), null, 2) + "\n";
    writeFileSync(join(dir, "config.json"), onDisk);
    const effects = recordingEffects();
    const server = await serveCommand({dir, app: join(root, "no-app"), port: 0}, effects);
    try {
      for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
        const r = await get(server.port, "/projector/config.json", {headers: {Host: host}});
        const config = JSON.parse(r.body.toString()) as ReturnType<typeof projectorConfig>;
        const [embedding] = config.embeddings;
        expect(embedding.tensorPath).toBe(`http://${host}/projector/embedding_tensors.bytes`);
        expect(embedding.metadataPath).toBe(`http://${host}/projector/metadata.tsv`);
        expect(embedding.bookmarksPath).toBe(`http://${host}/projector/bookmarks.json`);
        expect(embedding.sprite.imagePath).toBe(`http://${host}/projector/sprite.png`);
        expect(embedding.tensorName).toBe("Fashion-MNIST embedding (gap, 64-d)");
        expect(r.headers["content-length"]).toBe(String(r.body.length));
        expect(r.headers.vary).toBe("Host");
        const again = await get(server.port, "/projector/config.json", {
          headers: {Host: host, "If-None-Match": r.headers.etag as string}
        });
        expect(again.status).toBe(304);
      }
      expect(readFileSync(join(dir, "config.json"), "utf8")).toBe(onDisk);
    } finally {
      await server.close();
    }
  });

  it("lets other sites read the Projector's files only, and sends the app with its security policy", async () => {
    const app = mkdtempSync(join(root, "app-"));
    const run = mkdtempSync(join(root, "run-"));
    const dir = mkdtempSync(join(root, "export-"));
    writeFileSync(join(app, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(run, "config.json"), '{"out":"/home/someone/runs/a"}\n');
    for (const file of [...PROJECTOR_FILES, "projections.json", "embedding_tensors.tsv"])
      writeFileSync(join(dir, file), "{}");
    const effects = recordingEffects();
    const server = await serveCommand({dir, app, run, port: 0}, effects);
    const cors = async (path: string) =>
      (await get(server.port, path, {headers: {Origin: "https://projector.tensorflow.org"}})).headers[
        "access-control-allow-origin"
      ];
    try {
      for (const file of PROJECTOR_FILES) expect(await cors(`/projector/${file}`), file).toBe("*");
      for (const path of [
        "/",
        "/runs/config.json",
        "/projector/projections.json",
        "/projector/embedding_tensors.tsv"
      ]) {
        expect(await cors(path), path).toBeUndefined();
      }
      const page = await get(server.port, "/");
      expect(page.headers["content-security-policy"]).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
      expect(page.headers["x-content-type-options"]).toBe("nosniff");
      const rebinding = await get(server.port, "/runs/config.json", {headers: {Host: "evil.example"}});
      expect(rebinding.status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it("serves the export folder alone (with a warning) when the app is not built", async () => {
    const dir = mkdtempSync(join(root, "export-"));
    writeFileSync(join(dir, "config.json"), JSON.stringify(projectorConfig("http://localhost:8000/projector")));
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

  it("explains how to make an export when there is none, and refuses a file", async () => {
    const effects = recordingEffects();
    const {lines} = effects;
    const missing = join(root, "missing");
    await expect(serveCommand({dir: missing, port: 0}, effects)).rejects.toThrow(
      `no export at ${missing}/: make one with \`fmnist export --out ${missing}\`, ` +
        `or run \`fmnist start --dir ${missing}\`, which exports once and serves`
    );
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    await expect(serveCommand({dir: file, port: 0}, effects)).rejects.toThrow(`${file} is not a folder; pass --dir`);
    expect(lines).toEqual([]);
  });

  for (const host of ["0", "::", "0:0:0:0:0:0:0:0", "0.0.0.0"]) {
    it(`warns that --host ${host} serves every machine that can reach this one`, async () => {
      const dir = mkdtempSync(join(root, "export-"));
      const effects = recordingEffects();
      const {lines} = effects;
      const server = await serveCommand({dir, app: join(root, "no-app"), host, port: 0}, effects);
      await server.close();
      expect(lines.filter((l) => l.startsWith("warning: listening on"))).toEqual([
        `warning: listening on ${host.includes(":") ? "[::]" : "0.0.0.0"}, not only on this machine: anyone who can ` +
          `reach it can read ${dir}/, the run and the model (the default --host 127.0.0.1 keeps them local)`
      ]);
    });
  }

  for (const host of ["127.0.0.1", "localhost", "::1"]) {
    it(`does not warn for --host ${host}`, async () => {
      const dir = mkdtempSync(join(root, "export-"));
      const effects = recordingEffects();
      const {lines} = effects;
      const server = await serveCommand({dir, app: join(root, "no-app"), host, port: 0}, effects);
      await server.close();
      expect(lines.filter((l) => l.startsWith("warning: listening on"))).toEqual([]);
    });
  }
});

describe("publicHostWarning(address, dir)", () => {
  it("warns for every address other machines can reach", () => {
    for (const address of ["0.0.0.0", "::", "192.168.1.20", "fe80::1"]) {
      expect(publicHostWarning(address, "projector"), address).toMatch(/anyone who can reach it can read projector\//);
    }
    for (const address of ["127.0.0.1", "127.0.1.1", "::1"])
      expect(publicHostWarning(address, "projector")).toBeUndefined();
  });
});

describe("rebaseProjectorConfig(body, baseUrl)", () => {
  it("moves the export's files to baseUrl and leaves other URLs and fields alone", () => {
    const config = projectorConfig("https://example.org/data");
    config.embeddings[1].tensorPath = "https://elsewhere.example/other.bytes";
    const out = JSON.parse(
      rebaseProjectorConfig(Buffer.from(JSON.stringify(config)), "http://localhost:9/projector")?.toString() ?? "null"
    ) as typeof config;
    expect(out.embeddings[0].tensorPath).toBe("http://localhost:9/projector/embedding_tensors.bytes");
    expect(out.embeddings[1].tensorPath).toBe("https://elsewhere.example/other.bytes");
    expect(out.embeddings[1].sprite.imagePath).toBe("http://localhost:9/projector/sprite.png");
    expect(out.embeddings[1].tensorShape).toEqual([3, 784]);
  });

  it("returns undefined for what is not a Projector config", () => {
    for (const text of ["", "{", "[]", '{"embeddings":3}', "null"]) {
      expect(rebaseProjectorConfig(Buffer.from(text), "http://x"), text).toBeUndefined();
    }
  });
});
