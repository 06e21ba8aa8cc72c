import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {UserError} from "../../src/core/errors.js";
import {
  decimalsFor,
  formatFloat32,
  metadataTsv,
  parseBaseUrl,
  projectorConfig,
  spriteLayout,
  tensorBytes,
  tensorTsv
} from "../../src/core/formats/projector.js";
import {projectorBookmarks} from "../../src/core/formats/projectorBookmarks.js";

describe("formatFloat32(v) and tensorTsv(data, dim)", () => {
  it("writes the shortest decimal that reads back as the same float32", () => {
    for (const v of [0, 1, 1 / 255, 0.1, 123.456, 1e-7, -3.25, 65504.5]) {
      const f = Math.fround(v);
      const s = formatFloat32(f);
      expect(Math.fround(Number(s))).toBe(f);
      expect(s.length).toBeLessThanOrEqual(String(f).length);
    }
    expect(formatFloat32(Math.fround(0.1))).toBe("0.1");
  });

  it("writes one line of tab-separated numbers per row, no header", () => {
    const data = Float32Array.from([0, 0.5, 1, 0.25, 2, 3]);
    expect(new TextDecoder().decode(tensorTsv(data, 3))).toBe("0\t0.5\t1\n0.25\t2\t3\n");
  });

  it("writes little-endian float32 bytes", () => {
    const bytes = tensorBytes(Float32Array.from([1, -2]));
    expect(Array.from(bytes)).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });
});

describe("metadataTsv(labels, predicted, probabilities, classNames)", () => {
  it("has the header Label, Predicted, Score, Correct and one row per image", () => {
    const probs = new Float32Array(20);
    probs[1] = 0.9;
    probs[10 + 7] = 0.55;
    const tsv = metadataTsv([1, 9], [1, 7], probs, CLASS_NAMES);
    expect(tsv).toBe(
      "Label\tPredicted\tScore\tCorrect\nTrouser\tTrouser\t0.9000\tyes\nAnkle boot\tSneaker\t0.5500\tno\n"
    );
  });
});

describe("spriteLayout(count)", () => {
  it("is a square grid of 28 px cells", () => {
    expect(spriteLayout(10000)).toEqual({cells: 100, side: 2800});
    expect(spriteLayout(200)).toEqual({cells: 15, side: 420});
    expect(spriteLayout(85264).side).toBe(8176);
  });
  it("refuses sprites over 8192 px per side with the largest count that fits", () => {
    expect(() => spriteLayout(85265)).toThrow(UserError);
    expect(() => spriteLayout(85265)).toThrow(/8204x8204 px, over the Projector's 8192 px limit; use --count 85264/);
  });
});

describe("projectorConfig(options) and parseBaseUrl(raw)", () => {
  it("names the embedding and the pixels with absolute URLs", () => {
    const config = projectorConfig({
      count: 100,
      dim: 64,
      layerName: "gap",
      baseUrl: "http://localhost:8000",
      bookmarks: true
    });
    expect(config.embeddings).toHaveLength(2);
    const [embedding, pixels] = config.embeddings;
    expect(embedding.tensorShape).toEqual([100, 64]);
    expect(embedding.tensorPath).toBe("http://localhost:8000/embedding_tensors.bytes");
    expect(embedding.bookmarksPath).toBe("http://localhost:8000/bookmarks.json");
    expect(embedding.sprite).toEqual({imagePath: "http://localhost:8000/sprite.png", singleImageDim: [28, 28]});
    expect(pixels.tensorShape).toEqual([100, 784]);
    expect(pixels.metadataPath).toBe("http://localhost:8000/metadata.tsv");
  });
  it("keeps all 70,000 rows in one sprite and the first 10,000 in the pixel tensor, with their own metadata", () => {
    expect(spriteLayout(70_000)).toEqual({cells: 265, side: 7420});
    const [embedding, pixels] = projectorConfig({
      count: 70_000,
      dim: 64,
      layerName: "gap",
      baseUrl: "http://localhost:8000",
      bookmarks: false
    }).embeddings;
    expect(embedding.tensorShape).toEqual([70_000, 64]);
    expect(embedding.metadataPath).toBe("http://localhost:8000/metadata.tsv");
    expect(pixels.tensorShape).toEqual([10_000, 784]);
    expect(pixels.metadataPath).toBe("http://localhost:8000/metadata_pixels.tsv");
    expect(pixels.sprite).toEqual(embedding.sprite);
  });

  it("accepts http(s) URLs and drops trailing slashes", () => {
    expect(parseBaseUrl("https://example.org/fmnist/")).toBe("https://example.org/fmnist");
    expect(() => parseBaseUrl("localhost:8000")).toThrow(/http or https|absolute URL/);
    expect(() => parseBaseUrl("not a url")).toThrow(/absolute URL/);
  });
});

describe("projectorBookmarks(layouts, dimensions)", () => {
  it("makes one Projector State per layout holding its own coordinates", () => {
    const layout = {data: Float64Array.from([1.23456, -2, 3, 4.5, 0, 0]), count: 2, dim: 3};
    const [state] = projectorBookmarks(
      [{type: "umap", layout, label: "UMAP 3-D", nNeighbors: 15, minDist: 0.1}],
      [2, 64]
    ) as {
      projections: Record<string, number>[];
      selectedProjection: string;
      umapIs3d: boolean;
      cameraDef: {orthographic: boolean};
    }[];
    expect(state.selectedProjection).toBe("umap");
    expect(state.umapIs3d).toBe(true);
    expect(state.cameraDef.orthographic).toBe(false);
    expect(state.projections).toEqual([
      {"umap-0": 1.235, "umap-1": -2, "umap-2": 3},
      {"umap-0": 4.5, "umap-1": 0, "umap-2": 0}
    ]);
    expect(decimalsFor(layout, 4)).toBe(3);
  });
});
