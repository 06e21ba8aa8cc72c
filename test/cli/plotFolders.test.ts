/**
 * `fmnist classify --save-plots` with several images (issue 14, item 3): every image's plots go
 * into their own folder strictly inside --plot-dir, with safe, unique names, whatever the image
 * files are called (`...jpg` has the stem `..`, `..jpg` the stem `.`); a folder fmnist did not write
 * is never replaced. The real CLI in a child process.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it, vi} from "vitest";

import {MAX_PLOT_NAME} from "../../src/node/pictures/classifyPlots.js";
import {runCli} from "../helpers/cli.js";

// Child processes of the real CLI: minutes each when the machine is loaded.
vi.setConfig({testTimeout: 900_000, hookTimeout: 900_000});

const root = mkdtempSync(join(tmpdir(), "fmnist-plot-folders-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const NAMES = [
  "...jpg",
  "..jpg",
  ".jpg",
  "Shirt.jpg",
  "shirt.jpg",
  "a/x.jpg",
  "b/x.jpg",
  `${"long".repeat(60)}.jpg`,
  "we ird:na\\me?.jpg",
  "größe.jpg"
];

describe("classify --save-plots with several images", () => {
  it("writes one folder per image strictly inside --plot-dir, uniquely named, and nothing beside it", async () => {
    const images = join(root, "in");
    for (const name of NAMES) {
      mkdirSync(join(images, name, ".."), {recursive: true});
      copyFileSync("sample_images/sneaker.jpg", join(images, name));
    }
    const x = join(root, "X");
    mkdirSync(x);
    writeFileSync(join(x, "report.html"), "the user's own report");
    const plots = join(x, "vis");
    const args = ["classify", ...NAMES.map((n) => join(images, n)), "--save-plots", "--plot-dir", plots];
    const r = await runCli(args, 900_000);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(x).sort()).toEqual(["report.html", "vis"]);
    expect(readFileSync(join(x, "report.html"), "utf8")).toBe("the user's own report");

    const folders = readdirSync(plots);
    expect(folders).toHaveLength(NAMES.length);
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(NAMES.length);
    for (const f of folders) {
      expect(f).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u);
      expect(f.length).toBeLessThanOrEqual(MAX_PLOT_NAME);
      expect(readdirSync(join(plots, f))).toContain("report.html");
    }
    // Each output line names its own folder.
    const printed = r.stdout
      .trim()
      .split("\n")
      .map((l) => /\(plots: (.*)\)$/.exec(l)?.[1]);
    expect(printed.map((p) => p?.slice(plots.length + 1)).sort()).toEqual([...folders].sort());

    // Again with two of them (named image and image_2): a folder fmnist wrote is replaced, one the
    // user made in its place is refused, and the other image is still done.
    expect(folders).toEqual(expect.arrayContaining(["image", "image_2"]));
    rmSync(join(plots, "image_2"), {recursive: true});
    mkdirSync(join(plots, "image_2"));
    writeFileSync(join(plots, "image_2", "mine.txt"), "keep me");
    const again = await runCli(
      ["classify", join(images, "...jpg"), join(images, "..jpg"), "--save-plots", "--plot-dir", plots],
      900_000
    );
    expect(again.code).toBe(1);
    const errors = again.stderr.trim().split("\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${join(plots, "image_2")} is not empty and holds no classify plots written by fmnist`);
    expect(again.stdout).toMatch(new RegExp(`\\(plots: ${plots}/image\\)\n$`));
    expect(readdirSync(join(plots, "image_2"))).toEqual(["mine.txt"]);
  }, 900_000);
});
