import {describe, expect, it} from "vitest";

import {applyColormap, colormap, cssColor, maxOf, minOf} from "../../src/core/viz/colormap.js";

describe("colormap", () => {
  it("has matplotlib's viridis endpoints", () => {
    expect(colormap("viridis", 0)).toEqual([68, 1, 84]);
    expect(colormap("viridis", 1)).toEqual([253, 231, 37]);
  });

  it("has jet's endpoints: dark blue to dark red, through green", () => {
    expect(colormap("jet", 0)).toEqual([0, 0, 128]);
    expect(colormap("jet", 1)).toEqual([128, 0, 0]);
    expect(colormap("jet", 0.5)).toEqual([128, 255, 128]);
  });

  it("maps grey linearly and clamps out-of-range values", () => {
    expect(colormap("grey", 0)).toEqual([0, 0, 0]);
    expect(colormap("grey", 1)).toEqual([255, 255, 255]);
    for (const name of ["viridis", "jet", "grey"] as const) {
      expect(colormap(name, -3)).toEqual(colormap(name, 0));
      expect(colormap(name, 7)).toEqual(colormap(name, 1));
    }
  });

  it("viridis brightens monotonically (perceptually ordered)", () => {
    let last = -1;
    for (let i = 0; i <= 20; i++) {
      const [r, g, b] = colormap("viridis", i / 20);
      const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      expect(luma).toBeGreaterThan(last);
      last = luma;
    }
  });

  it("applyColormap scales values to their range; a constant maps to the low end", () => {
    const out = applyColormap([2, 4, 6], "grey");
    expect(Array.from(out)).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255]);
    expect(Array.from(applyColormap([3, 3], "viridis"))).toEqual([68, 1, 84, 68, 1, 84]);
    expect(Array.from(applyColormap([5], "grey", 0, 10))).toEqual([128, 128, 128]);
    expect([minOf([3, -1, 2]), maxOf([3, -1, 2])]).toEqual([-1, 3]);
    expect(cssColor("grey", 1)).toBe("rgb(255,255,255)");
  });
});
