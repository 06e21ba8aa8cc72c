/** Point colours for the three colourings (true label, predicted label, correct or wrong) and their legends. */
import {CLASS_COLORS} from "../../../../src/core/viz/scatterPlot.js";

export type Colouring = "label" | "predicted" | "correct";

export const COLOURING_NAMES: Record<Colouring, string> = {
  label: "True label",
  predicted: "Predicted label",
  correct: "Correct / wrong"
};

const CORRECT_COLOUR = "#4caf50";
const WRONG_COLOUR = "#ef3b2c";

export interface LegendEntry {
  name: string;
  colour: string;
  count: number;
  /** The search text that finds these points. */
  query: string;
}

/** "#rrggbb" as three numbers in [0, 1]. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

interface Labelled {
  labels: ArrayLike<number>;
  predicted: ArrayLike<number>;
  count: number;
}

/** Writes each point's RGB into `out` (count × 3). */
export function writeColours(mode: Colouring, data: Labelled, out: Float32Array): void {
  const classes = CLASS_COLORS.map(hexToRgb);
  const correct = hexToRgb(CORRECT_COLOUR);
  const wrong = hexToRgb(WRONG_COLOUR);
  for (let i = 0; i < data.count; i++) {
    const rgb =
      mode === "label"
        ? classes[data.labels[i]]
        : mode === "predicted"
          ? classes[data.predicted[i]]
          : data.labels[i] === data.predicted[i]
            ? correct
            : wrong;
    out.set(rgb, i * 3);
  }
}

/** The legend of a colouring, with how many points each entry has. */
export function legend(mode: Colouring, data: Labelled, classNames: readonly string[]): LegendEntry[] {
  if (mode === "correct") {
    let right = 0;
    for (let i = 0; i < data.count; i++) if (data.labels[i] === data.predicted[i]) right++;
    return [
      {name: "Correct", colour: CORRECT_COLOUR, count: right, query: "correct"},
      {name: "Wrong", colour: WRONG_COLOUR, count: data.count - right, query: "wrong"}
    ];
  }
  const source = mode === "label" ? data.labels : data.predicted;
  const counts = new Array<number>(classNames.length).fill(0);
  for (let i = 0; i < data.count; i++) counts[source[i]]++;
  return classNames.map((name, c) => ({
    name,
    colour: CLASS_COLORS[c],
    count: counts[c],
    query: mode === "label" ? name : `predicted:${name}`
  }));
}
