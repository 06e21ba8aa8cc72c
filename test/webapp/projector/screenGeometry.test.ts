import {describe, expect, it} from "vitest";

import {insidePolygon, nearestPoint, pointsInPolygon} from "../../../web/src/views/projector/screenGeometry.js";

describe("screen-space picking", () => {
  const screen = Float32Array.from([10, 10, 50, 50, 52, 49, NaN, NaN, 200, 20]);

  it("finds the nearest point within the radius, ignoring points behind the camera", () => {
    expect(nearestPoint(screen, 5, 51, 50, 8)).toBe(1);
    expect(nearestPoint(screen, 5, 53, 49, 8)).toBe(2);
    expect(nearestPoint(screen, 5, 120, 120, 8)).toBe(-1);
  });

  it("selects the points inside a lasso, concave ones too", () => {
    // A "C" shape that leaves out the middle.
    const c = [0, 0, 100, 0, 100, 30, 30, 30, 30, 70, 100, 70, 100, 100, 0, 100];
    expect(insidePolygon(c, 10, 50)).toBe(true);
    expect(insidePolygon(c, 60, 50)).toBe(false);
    expect(pointsInPolygon(screen, 5, c)).toEqual([0]);
    expect(pointsInPolygon(screen, 5, [0, 0, 300, 0, 300, 300, 0, 300])).toEqual([0, 1, 2, 4]);
    expect(pointsInPolygon(screen, 5, [0, 0, 10, 10])).toEqual([]);
  });
});
