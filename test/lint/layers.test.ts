/**
 * The layer rules of .dependency-cruiser.cjs (run on the real tree by `npm test`) on a small
 * fixture tree: a core file that reaches a Node built-in or a Node-only package through other
 * files fails, and so do an import cycle and a web file importing src/node.
 */
import {execFile} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {promisify} from "node:util";

import {afterAll, describe, expect, it} from "vitest";

import {ROOT} from "../helpers/cli.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-layers-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

interface Violation {
  from: string;
  to: string;
  rule: {name: string};
  cycle?: unknown[];
}

/** Writes `files` into a fresh folder and cruises it with the project's rules; returns the violations. */
async function cruise(name: string, files: Record<string, string>): Promise<Violation[]> {
  const dir = join(root, name);
  const all = {...files, "tsconfig.json": JSON.stringify({compilerOptions: {module: "NodeNext"}})};
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), {recursive: true});
    writeFileSync(join(dir, path), text);
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const bin = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
  const config = join(ROOT, ".dependency-cruiser.cjs");
  const roots = [...new Set(Object.keys(files).map((f) => f.split("/")[0]))];
  const run = await promisify(execFile)(process.execPath, [bin, ...roots, "--config", config, "-T", "json"], {
    cwd: dir
  }).catch((error: {stdout: string}) => error);
  return (JSON.parse(run.stdout) as {summary: {violations: Violation[]}}).summary.violations;
}

describe("the layer rules", () => {
  it("fail a core file that reaches a Node built-in through another file", async () => {
    const violations = await cruise("chain", {
      "src/core/a.ts": 'import {b} from "./b.js";\nexport const a = b;\n',
      "src/core/b.ts": 'import {c} from "../node/c.js";\nexport const b = c;\n',
      "src/node/c.ts": 'import {readFileSync} from "node:fs";\nexport const c = readFileSync;\n'
    });
    expect(violations.map((v) => [v.rule.name, v.from, v.to])).toEqual([
      ["core-is-isomorphic", "src/core/b.ts", "src/node/c.ts"]
    ]);
  });

  it("fail a core file that imports a Node-only package, and pass an isomorphic one", async () => {
    const violations = await cruise("packages", {
      "src/core/a.ts":
        'import sharp from "sharp";\nimport * as tf from "@tensorflow/tfjs";\nexport const a = [sharp, tf];\n'
    });
    expect(violations.map((v) => [v.rule.name, v.to.split("/").slice(0, 2).join("/")])).toEqual([
      ["core-is-isomorphic", "node_modules/sharp"]
    ]);
  });

  it("fail an import cycle, and the web app importing src/node", async () => {
    const violations = await cruise("cycle", {
      "src/node/x.ts": 'import {y} from "./y.js";\nexport const x = () => y;\n',
      "src/node/y.ts": 'import {x} from "./x.js";\nexport const y = () => x;\n',
      "web/src/app.ts": 'import {x} from "../../src/node/x.js";\nexport const app = x;\n'
    });
    expect(violations.map((v) => v.rule.name).sort()).toEqual(["no-circular", "web-imports-core-only"]);
  });
});
