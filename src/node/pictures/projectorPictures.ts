/** The pictures of an export: the sprite, scatter plots per projection and the t-SNE thumbnail map (Node only). */
import {spriteRaster} from "../../core/formats/projector.js";
import {encodeGreyPng, encodePng, pngDataUri, svgToPng} from "../image/encode.js";
import {scatterPlotSvg, CLASS_COLORS} from "../../core/viz/scatterPlot.js";
import {escapeXml, FONT} from "../../core/viz/svg.js";
import {thumbnailMap} from "../../core/viz/thumbnailMap.js";
import type {ProjectionResult} from "../../core/embed/projections.js";

const TITLES: Record<ProjectionResult["name"], string> = {
  pca: "PCA of the embeddings",
  tsne: "t-SNE of the embeddings",
  umap: "UMAP of the embeddings"
};

function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** The subtitle of a projection's pictures: which images (from imagesOf, "70000 test and training images"), parameters and quality numbers. */
export function describe(result: ProjectionResult, images: string, seed: number, referenceKnnAccuracy: number): string {
  const p = result.parameters;
  const params =
    result.name === "tsne"
      ? `perplexity ${p.perplexity}, θ ${p.theta}, ${p.iterations} iterations, seed ${seed}`
      : result.name === "umap"
        ? `${p.nNeighbors} neighbours, min. distance ${p.minDist}, seed ${seed}`
        : `exact, ${percent((result.explainedVarianceRatio ?? [0, 0]).slice(0, 2).reduce((a, b) => a + b, 0))} of the variance in 2-D`;
  return (
    `${images}, 64-d embedding · ${params} · trustworthiness ${result.quality.trustworthiness.toFixed(3)} · ` +
    `10-NN accuracy ${percent(result.quality.knnAccuracy)} (64-d: ${percent(referenceKnnAccuracy)})`
  );
}

/** What every picture of a projection shows: its result, the true classes and their names, and a subtitle. */
export interface ProjectionPicture {
  result: ProjectionResult;
  labels: ArrayLike<number>;
  classNames: readonly string[];
  /** From {@link describe}. */
  subtitle: string;
}

/** `<name>.png`: the 2-D layout coloured by true class; undefined without a 2-D layout. */
export async function scatterPng({
  result,
  labels,
  classNames,
  subtitle
}: ProjectionPicture): Promise<Uint8Array | undefined> {
  const layout = result.layouts[2];
  if (!layout) return undefined;
  const ratio = result.explainedVarianceRatio;
  const svg = scatterPlotSvg({
    title: TITLES[result.name],
    subtitle,
    layout,
    labels,
    classNames,
    xLabel: ratio ? `principal component 1 (${percent(ratio[0])} of variance)` : undefined,
    yLabel: ratio ? `principal component 2 (${percent(ratio[1])} of variance)` : undefined
  });
  return svgToPng(svg);
}

/** `tsne_thumbs.png`: the t-SNE layout drawn with the images, with a title and a colour key. */
export async function thumbnailsPng(
  {result, labels, classNames, subtitle}: ProjectionPicture,
  images: Uint8Array
): Promise<Uint8Array | undefined> {
  const layout = result.layouts[2];
  if (!layout) return undefined;
  const map = thumbnailMap({layout, images, labels, colors: CLASS_COLORS});
  const png = await encodePng(map.data, map.width, map.height, 3);
  const pad = 20;
  const head = 62;
  const legend = 190;
  const width = pad + map.width + 24 + legend;
  const height = head + map.height + pad;
  const font = FONT;
  const esc = escapeXml;
  const keys = classNames
    .map((name, c) => {
      const y = head + 40 + c * 24;
      return (
        `<rect x="${pad + map.width + 24}" y="${y - 12}" width="14" height="14" fill="${CLASS_COLORS[c]}"/>` +
        `<text x="${pad + map.width + 46}" y="${y}" font-size="13" fill="#222" ${font}>${esc(name)}</text>`
      );
    })
    .join("");
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="28" font-size="18" font-weight="bold" fill="#222" ${font}>t-SNE of the embeddings, drawn with the images</text>`,
    `<text x="${pad}" y="48" font-size="12" fill="#555" ${font}>${esc(subtitle)}</text>`,
    `<image x="${pad}" y="${head}" width="${map.width}" height="${map.height}" xlink:href="${pngDataUri(png)}"/>`,
    `<rect x="${pad}" y="${head}" width="${map.width}" height="${map.height}" fill="none" stroke="#ccc"/>`,
    `<text x="${pad + map.width + 24}" y="${head + 14}" font-size="13" font-weight="bold" fill="#222" ${font}>Class</text>`,
    keys,
    `</svg>`
  ].join("");
  return svgToPng(svg);
}

/** `sprite.png`: every image on one square grid, as a greyscale PNG (the Projector's thumbnails). */
export async function spritePng(images: Uint8Array, count: number): Promise<Uint8Array> {
  const r = spriteRaster(images, count);
  return encodeGreyPng(r.data, r.width, r.height);
}
