/**
 * `fmnist classify --save-plots --counterfactual` on a real sample photo with the shipped model:
 * the attribution lab, its faithfulness curves and the counterfactual are written as PNGs and
 * shown in report.html with every method named.
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, expect, it} from "vitest";

import {METHOD_INFO} from "../../src/core/viz/attribution/explanations.js";
import {TILE} from "../../src/core/viz/labCharts.js";
import {COUNTERFACTUAL_FILE, FAITHFULNESS_FILE, LAB_FILE} from "../../src/node/pictures/labPlots.js";
import {runCli} from "../helpers/cli.js";
import {readPixels, variance} from "../helpers/images.js";

const dir = mkdtempSync(join(tmpdir(), "fmnist-lab-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

it("classify --save-plots --counterfactual writes the lab, the curves and the counterfactual into the report", async () => {
  const plots = join(dir, "plots");
  const r = await runCli(
    [
      "classify",
      "sample_images/pullover.jpg",
      "--plot-dir",
      plots,
      "--counterfactual",
      "Coat",
      "--epsilon",
      "0.15",
      "--json"
    ],
    600_000
  );
  expect(r.code, r.stderr).toBe(0);
  const result = JSON.parse(r.stdout) as {counterfactual: {target: string; label: string; reached: boolean}};
  expect(result.counterfactual.target).toBe("Coat");
  expect(result.counterfactual.reached).toBe(result.counterfactual.label === "Coat");
  // Sizes follow the layout: tiles of TILE pixels, 5 a row (9 tiles: 2 rows), 5 counterfactual tiles in one.
  const minimum: Record<string, [number, number]> = {
    [LAB_FILE]: [5 * TILE, 2 * TILE],
    [FAITHFULNESS_FILE]: [2 * 360, 240],
    [COUNTERFACTUAL_FILE]: [5 * TILE, TILE]
  };
  for (const [name, [w, h]] of Object.entries(minimum)) {
    const bytes = readFileSync(join(plots, name));
    expect([...bytes.subarray(0, 8)], name).toEqual(PNG_SIGNATURE);
    const picture = await readPixels(bytes);
    expect(picture.width, name).toBeGreaterThanOrEqual(w);
    expect(picture.height, name).toBeGreaterThanOrEqual(h);
    expect(picture.width, name).toBeLessThan(2000);
    expect(variance(picture), `${name} is not blank`).toBeGreaterThan(100);
  }
  const report = readFileSync(join(plots, "report.html"), "utf8");
  expect(report).toContain("Why: the attribution lab");
  for (const info of Object.values(METHOD_INFO)) {
    expect(report, info.title).toContain(info.title);
    expect(report, info.title).toContain(info.explanation.replace(/'/g, "&#39;"));
  }
  expect(report).toMatch(/completeness check: its attributions sum to -?\d+\.\d{3}/);
  expect(report).toContain("Counterfactual: what would make this Coat?");
}, 600_000);
