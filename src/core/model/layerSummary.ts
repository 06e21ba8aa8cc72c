/**
 * A model turned into plain data for drawing and printing: its layers in order with class, output
 * shape, parameter counts, a short description of the settings, and the layers feeding each one.
 * {@link formatModelSummary} prints it as Keras' `model.summary()` does. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

/** One layer, as plain data. */
export interface LayerSummary {
  name: string;
  /** Keras class name, e.g. `Conv2D`. */
  className: string;
  /** Output shape with `null` for the batch dimension, e.g. `[null, 26, 26, 64]`. */
  outputShape: (number | null)[];
  /** Number of weights (trainable and not). */
  params: number;
  trainableParams: number;
  /** The main settings in a few words, e.g. `64 filters 3x3, valid, relu` ("" when there are none). */
  details: string;
  /** Names of the layers whose outputs this layer takes. */
  inputs: string[];
}

/** Summary of a whole model. */
export interface ModelSummary {
  name: string;
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
}

type Config = Record<string, unknown>;

function pair(v: unknown): string {
  const a = Array.isArray(v) ? v : [v, v];
  return `${String(a[0])}x${String(a[1] ?? a[0])}`;
}

function activationOf(config: Config): string {
  const a = config.activation;
  return typeof a === "string" && a !== "linear" ? a : "";
}

/** A few words on a layer's settings, for the diagram. */
function describe(className: string, config: Config): string {
  const parts: string[] = [];
  switch (className) {
    case "Conv2D":
      parts.push(`${String(config.filters)} filters ${pair(config.kernelSize)}`, String(config.padding));
      if (pair(config.strides) !== "1x1") parts.push(`stride ${pair(config.strides)}`);
      parts.push(activationOf(config));
      break;
    case "MaxPooling2D":
    case "AveragePooling2D":
      parts.push(`pool ${pair(config.poolSize)}`);
      break;
    case "BatchNormalization":
      parts.push(`momentum ${String(config.momentum)}`, `epsilon ${String(config.epsilon)}`);
      break;
    case "Dropout":
      parts.push(`rate ${String(config.rate)}`);
      break;
    case "Dense":
      parts.push(`${String(config.units)} units`, activationOf(config));
      break;
    case "Activation":
      parts.push(activationOf(config));
      break;
  }
  return parts.filter(Boolean).join(", ");
}

function shapeOf(layer: tf.layers.Layer): (number | null)[] {
  const shape = layer.outputShape;
  // Layers with several outputs: show the first (none in this project's models).
  return (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
}

function summarise(layer: tf.layers.Layer): LayerSummary {
  const trainable = layer.trainableWeights.reduce((n, w) => n + w.read().size, 0);
  return {
    name: layer.name,
    className: layer.getClassName(),
    outputShape: shapeOf(layer),
    params: layer.countParams(),
    trainableParams: trainable,
    details: describe(layer.getClassName(), layer.getConfig() as Config),
    inputs: (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => l.name)
  };
}

/** Lists the model's layers, preceded by its input layers (which `model.layers` of a Sequential omits). */
export function modelSummary(model: tf.LayersModel): ModelSummary {
  const layers: LayerSummary[] = [];
  const seen = new Set<string>();
  for (const layer of model.layers) {
    for (const inbound of layer.inboundNodes[0]?.inboundLayers ?? []) {
      if (!seen.has(inbound.name) && !model.layers.includes(inbound)) {
        seen.add(inbound.name);
        layers.push(summarise(inbound));
      }
    }
    seen.add(layer.name);
    layers.push(summarise(layer));
  }
  return {
    name: model.name,
    layers,
    totalParams: layers.reduce((n, l) => n + l.params, 0),
    trainableParams: layers.reduce((n, l) => n + l.trainableParams, 0)
  };
}

/** An output shape in Keras' notation, e.g. `(None, 26, 26, 64)`. */
export function formatShape(shape: (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? "None" : String(d))).join(", ")})`;
}

/** Formats an integer with thousands separators: 225034 → "225,034". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The summary as Keras prints it: layer (type), output shape, parameters, then the totals. */
export function formatModelSummary(summary: ModelSummary): string {
  const names = summary.layers.map((l) => `${l.name} (${l.className})`);
  const widths = [Math.max(28, ...names.map((n) => n.length)) + 2, 26, 12];
  const row = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join(" ")
      .trimEnd();
  const rule = (c: string) => c.repeat(widths.reduce((a, b) => a + b + 1, -1));
  const lines = [`Model: "${summary.name}"`, rule("_"), row(["Layer (type)", "Output Shape", "Param #"]), rule("=")];
  summary.layers.forEach((l, i) => lines.push(row([names[i], formatShape(l.outputShape), formatCount(l.params)])));
  lines.push(
    rule("="),
    `Total params: ${formatCount(summary.totalParams)}`,
    `Trainable params: ${formatCount(summary.trainableParams)}`,
    `Non-trainable params: ${formatCount(summary.totalParams - summary.trainableParams)}`,
    rule("_")
  );
  return lines.join("\n");
}
