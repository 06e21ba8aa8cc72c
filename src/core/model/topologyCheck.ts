/**
 * Checks the sizes a model file's architecture asks for against the weights the file holds, before
 * TF.js builds the model: building allocates every weight first, so a damaged or hostile
 * `"filters": 1000000` would cost gigabytes (or hang) before the shape mismatch is noticed.
 * Isomorphic.
 */
import {FormatError} from "../errors.js";

/** Largest accepted input, in values per image (28×28×1 is 784; this allows 512×512 RGB). */
export const MAX_INPUT_VALUES = 512 * 512 * 3;

/** Most layers accepted, nested models included (the shipped model has 14; the seed's Keras model 17). */
export const MAX_LAYERS = 512;

/** Layers whose `filters` / `units` and `kernel_size` decide the shape of their `kernel` weight. */
const KERNEL_LAYERS = new Set(["Conv2D", "Dense"]);

/**
 * Throws a {@link FormatError} (prefixed with `where`) unless every input shape is small enough and
 * every Conv2D / Dense layer's `filters` or `units` and `kernel_size` agree with the shape of its
 * kernel in the file (`kernelShape(layerName)`, undefined when the file has none: also an error). Topologies without a
 * layer list are left to TF.js to reject.
 */
export function checkTopologySizes(
  where: string,
  topology: unknown,
  kernelShape: (layer: string) => readonly number[] | undefined
): void {
  const config = (topology as {config?: unknown} | null)?.config;
  const layers: unknown = Array.isArray(config) ? config : (config as {layers?: unknown} | null)?.layers;
  if (!Array.isArray(layers)) return;
  const count = countLayers(layers);
  if (count > MAX_LAYERS) {
    throw new FormatError(`${where}: more than ${MAX_LAYERS} layers (building them would take minutes and gigabytes)`);
  }
  for (const layer of layers as unknown[]) {
    const className = (layer as {class_name?: unknown} | null)?.class_name;
    const c = (layer as {config?: unknown} | null)?.config as Record<string, unknown> | null | undefined;
    if (!c || typeof c !== "object") continue;
    const name = String(c.name);
    for (const key of ["batch_input_shape", "batch_shape"]) {
      const shape = c[key];
      if (shape === undefined || shape === null) continue;
      const values = Array.isArray(shape) ? shape.slice(1).reduce((n: number, d) => n * Number(d), 1) : NaN;
      if (!(values >= 1 && values <= MAX_INPUT_VALUES)) {
        throw new FormatError(
          `${where}: layer ${name}: input shape ${JSON.stringify(shape)} is not a shape of at most ${MAX_INPUT_VALUES} values`
        );
      }
    }
    if (typeof className !== "string" || !KERNEL_LAYERS.has(className)) continue;
    const kernel = kernelShape(name);
    const size = className === "Dense" ? "units" : "filters";
    if (!kernel) throw new FormatError(`${where}: missing weights of layer ${name} (a ${className} has a kernel)`);
    const kernelText = `[${kernel.join(", ")}]`;
    if (c[size] !== kernel.at(-1)) {
      throw new FormatError(
        `${where}: layer ${name}: ${size} ${JSON.stringify(c[size])} does not match its kernel weights (${kernelText})`
      );
    }
    if (className === "Conv2D") {
      const k = c.kernel_size;
      const ks = Array.isArray(k) ? k : [k, k];
      if (ks.length !== 2 || ks[0] !== kernel[0] || ks[1] !== kernel[1]) {
        throw new FormatError(
          `${where}: layer ${name}: kernel_size ${JSON.stringify(k)} does not match its kernel weights (${kernelText})`
        );
      }
    }
  }
}

/** Layers in a layer list, counting those of nested models (a layer whose config has its own list). */
function countLayers(layers: unknown[], depth = 0): number {
  let n = 0;
  for (const layer of layers) {
    n++;
    const inner = ((layer as {config?: unknown} | null)?.config as {layers?: unknown} | null | undefined)?.layers;
    if (Array.isArray(inner) && depth < 8) n += countLayers(inner, depth + 1);
    if (n > MAX_LAYERS) return n;
  }
  return n;
}
