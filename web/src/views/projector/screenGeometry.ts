/** Screen-space picking on projected point positions: nearest point to the cursor, and points inside a lasso. */

/**
 * Index of the point nearest to (x, y) among `count` screen positions (flat x, y pairs; NaN for
 * points behind the camera), if one lies within `maxDistance` pixels; else -1.
 */
export function nearestPoint(screen: Float32Array, count: number, x: number, y: number, maxDistance: number): number {
  let best = -1;
  let bestD = maxDistance * maxDistance;
  for (let i = 0; i < count; i++) {
    const dx = screen[i * 2] - x;
    const dy = screen[i * 2 + 1] - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Whether (x, y) lies inside the polygon (even-odd rule; flat x, y pairs). */
export function insidePolygon(polygon: readonly number[], x: number, y: number): boolean {
  let inside = false;
  const n = polygon.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[i * 2];
    const yi = polygon[i * 2 + 1];
    const xj = polygon[j * 2];
    const yj = polygon[j * 2 + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices of the points whose screen positions are inside the polygon. */
export function pointsInPolygon(screen: Float32Array, count: number, polygon: readonly number[]): number[] {
  if (polygon.length < 6) return [];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < polygon.length; i += 2) {
    x0 = Math.min(x0, polygon[i]);
    x1 = Math.max(x1, polygon[i]);
    y0 = Math.min(y0, polygon[i + 1]);
    y1 = Math.max(y1, polygon[i + 1]);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = screen[i * 2];
    const y = screen[i * 2 + 1];
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    if (insidePolygon(polygon, x, y)) out.push(i);
  }
  return out;
}
