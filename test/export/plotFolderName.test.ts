/**
 * plotFolderName (the per-image folders of `classify --save-plots`), as a property over arbitrary
 * file names: always one plain, safe path segment inside the plot folder, never `.` or `..`, at
 * most MAX_PLOT_NAME characters, and unique without regard to case within a batch.
 */
import {join, relative, resolve} from "node:path";

import fc from "fast-check";
import {describe, expect, it} from "vitest";

import {MAX_PLOT_NAME, plotFolderName} from "../../src/node/pictures/classifyPlots.js";

describe("plotFolderName", () => {
  it("names the usual photo after its stem", () => {
    const used = new Set<string>();
    expect(
      ["shirt.jpg", "photos/Shirt.png", "my coat.v2.jpeg", "...jpg", "..jpg"].map((f) => plotFolderName(f, used))
    ).toEqual(["shirt", "Shirt_2", "my_coat.v2", "image", "image_2"]);
  });

  it("gives safe, unique folders strictly inside the plot folder for any batch of names (2,000 batches)", () => {
    const root = resolve("/plots");
    const name = fc.oneof(
      fc.string({unit: "grapheme", maxLength: 300}),
      fc.constantFrom(".", "..", "...", ".jpg", "..jpg", "...jpg", "a/../../b.jpg", "C:\\x.jpg", "con.jpg", " .jpg")
    );
    fc.assert(
      fc.property(fc.array(name, {minLength: 1, maxLength: 20}), (files) => {
        const used = new Set<string>();
        const folders = files.map((f) => plotFolderName(f, used));
        expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(files.length);
        for (const f of folders) {
          expect(f.length).toBeLessThanOrEqual(MAX_PLOT_NAME);
          expect(f).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u);
          expect(relative(root, join(root, f))).toBe(f);
        }
      }),
      {seed: 14, numRuns: 2000}
    );
  });
});
