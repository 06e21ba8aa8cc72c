/**
 * The model's layer graph in Graphviz' DOT language, in the spirit of Keras' `plot_model(...,
 * show_shapes=True)`: one box per layer with its name and type, its settings, its output shape and
 * parameter count, coloured by kind, top to bottom. Rendering the DOT (Graphviz compiled to
 * WebAssembly) is the caller's job. Isomorphic.
 */
import {formatCount, formatShape, type ModelSummary} from "../model/layerSummary.js";

/** Fill colour per layer class; others are light grey. */
const FILL: Record<string, string> = {
  InputLayer: "#ffffff",
  Conv2D: "#dbe9f6",
  MaxPooling2D: "#e5f5e0",
  AveragePooling2D: "#e5f5e0",
  GlobalAveragePooling2D: "#e5f5e0",
  BatchNormalization: "#fff2cc",
  Dropout: "#eeeeee",
  Dense: "#fde0dd"
};

/** Escapes text for a DOT HTML-like label. */
function html(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"})[c] ?? c);
}

/** Options of {@link modelDot}. */
export interface ModelDotOptions {
  /**
   * Font name (default "DejaVu Sans": Graphviz has its metrics built in, so the boxes fit the text
   * when librsvg renders the SVG with the DejaVu fonts that Debian installs).
   */
  fontName?: string;
}

/** Builds the DOT source of the layer graph. */
export function modelDot(summary: ModelSummary, options: ModelDotOptions = {}): string {
  const font = options.fontName ?? "DejaVu Sans";
  const title =
    `${summary.name}: ${formatCount(summary.totalParams)} parameters ` +
    `(${formatCount(summary.trainableParams)} trainable)`;
  const lines = [
    "digraph model {",
    `  graph [rankdir=TB, nodesep=0.25, ranksep=0.22, pad=0.25, bgcolor="white", fontname="${font}", fontsize=15, labelloc=t, label="${html(title)}\\n\\n"];`,
    `  node [shape=plain, fontname="${font}", fontsize=11];`,
    `  edge [color="#777777", arrowsize=0.6, penwidth=1.1];`
  ];
  for (const layer of summary.layers) {
    const fill = FILL[layer.className] ?? "#f2f2f2";
    const details = layer.details
      ? `<TR><TD COLSPAN="2"><FONT COLOR="#444444">${html(layer.details)}</FONT></TD></TR>`
      : "";
    const params = layer.params > 0 ? `${formatCount(layer.params)} params` : "no params";
    const label =
      `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="#888888" BGCOLOR="${fill}" STYLE="rounded">` +
      `<TR><TD COLSPAN="2"><B>${html(layer.name)}</B><FONT COLOR="#555555"> (${html(layer.className)})</FONT></TD></TR>` +
      details +
      `<TR><TD ALIGN="LEFT" WIDTH="150">${html(formatShape(layer.outputShape))}</TD><TD ALIGN="RIGHT" WIDTH="150"><FONT COLOR="#555555">${params}</FONT></TD></TR>` +
      `</TABLE>`;
    lines.push(`  ${JSON.stringify(layer.name)} [label=<${label}>];`);
  }
  for (const layer of summary.layers) {
    for (const input of layer.inputs) lines.push(`  ${JSON.stringify(input)} -> ${JSON.stringify(layer.name)};`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
