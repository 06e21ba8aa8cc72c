/**
 * `fmnist export --split all` on a slice of the real data (40 test and 60 training images) with an
 * untrained CNN: the rows are the test images then the training images, metadata.tsv says which
 * split each row is from, and the tensors, sprite, pixel subset and config.json agree row by row.
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import sharp from "sharp";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {exportCommand} from "../../src/cli/commands/export.js";
import type {ProjectionResult} from "../../src/core/embed/projections.js";
import {imagesOf} from "../../src/node/data/exportRows.js";
import {describe as subtitle} from "../../src/node/pictures/projectorPictures.js";
import {CLASS_NAMES, IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {parseProjections} from "../../src/core/formats/projections.js";
import {parseMetadataTsv, type EmbeddingInfo} from "../../src/core/formats/projector.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {loadModel, saveModel} from "../../src/node/model/io.js";
import {computeTrainingExamples} from "../../src/node/embed/trainingExamples.js";
import {
  parseTrainingExamples,
  serialiseTrainingExamples,
  TRAINING_EXAMPLES_FILE
} from "../../src/core/formats/trainingExamples.js";
import {writeRealSlice} from "../helpers/dataSlice.js";
import {recordingEffects} from "../helpers/effects.js";

const TEST = 40;
const TRAIN = 60;
const COUNT = TEST + TRAIN;
const PIXEL_ROWS = 30;
/** Fewer than the export's training rows: the examples come from those rows, not a second forward pass. */
const EXAMPLES = 50;
const root = mkdtempSync(join(tmpdir(), "fmnist-export-split-"));
const dataDir = join(root, "data");
const out = join(root, "projector");
const read = (name: string) => readFileSync(join(out, name));
const effects = recordingEffects();

beforeAll(async () => {
  await selectBackend("wasm");
  await writeRealSlice(dataDir, TRAIN, TEST);
  await saveModel(createCnn({seed: 3}), join(root, "model"));
  await exportCommand(
    {
      model: join(root, "model"),
      out,
      split: "all",
      count: COUNT,
      dataDir,
      verify: false,
      seed: 5,
      tsneIterations: 50,
      maxPixelRows: PIXEL_ROWS,
      trainingExamples: EXAMPLES
    },
    effects
  );
}, 240_000);

afterAll(() => rmSync(root, {recursive: true, force: true}));

describe("exportCommand({split: 'all'}) on 40 test and 60 training images", () => {
  it("writes one metadata row per image, test rows first, with a Split column", async () => {
    const text = read("metadata.tsv").toString();
    expect(text.split("\n")[0]).toBe("Label\tPredicted\tScore\tCorrect\tSplit");
    const meta = parseMetadataTsv(text, CLASS_NAMES);
    expect(meta.count).toBe(COUNT);
    expect(Array.from(meta.splits ?? [])).toEqual([...Array<number>(TEST).fill(0), ...Array<number>(TRAIN).fill(1)]);
    const test = await loadFashionMnist("test", {limit: TEST});
    const train = await loadFashionMnist("train", {limit: TRAIN});
    expect(Array.from(meta.labels)).toEqual([...test.labels, ...train.labels]);
    expect(effects.lines.join("\n")).toContain(`for ${COUNT} test and training images`);
  });

  it("says in the pictures' subtitle which images they show", () => {
    const pca: ProjectionResult = {
      name: "pca",
      parameters: {components: 2},
      layouts: {},
      quality: {trustworthiness: 0.9, knnAccuracy: 0.7},
      explainedVarianceRatio: [0.3, 0.2]
    };
    expect(subtitle(pca, imagesOf("all", COUNT), 5, 0.8)).toBe(
      "100 test and training images, 64-d embedding · exact, 50.0% of the variance in 2-D · trustworthiness 0.900 · " +
        "10-NN accuracy 70.0% (64-d: 80.0%)"
    );
  });

  it("writes the embedding for every row and the pixels for the first rows, with their own metadata", () => {
    expect(read("embedding_tensors.bytes").length).toBe(COUNT * 64 * 4);
    expect(read("raw_tensors.bytes").length).toBe(PIXEL_ROWS * IMAGE_PIXELS * 4);
    expect(read("raw_tensors.tsv").toString().trimEnd().split("\n")).toHaveLength(PIXEL_ROWS);
    const all = read("metadata.tsv").toString().trimEnd().split("\n");
    const firstRows = read("metadata_pixels.tsv").toString().trimEnd().split("\n");
    expect(firstRows).toEqual(all.slice(0, PIXEL_ROWS + 1));
    expect(parseProjections(JSON.parse(read("projections.json").toString()) as unknown).count).toBe(COUNT);
  });

  it("names both tensors in config.json with matching row counts, metadata and one sprite", () => {
    const config = JSON.parse(read("config.json").toString()) as {embeddings: EmbeddingInfo[]};
    const [embedding, pixels] = config.embeddings;
    expect(embedding.tensorShape).toEqual([COUNT, 64]);
    expect(embedding.metadataPath).toMatch(/\/metadata\.tsv$/);
    expect(pixels.tensorShape).toEqual([PIXEL_ROWS, IMAGE_PIXELS]);
    expect(pixels.metadataPath).toMatch(/\/metadata_pixels\.tsv$/);
    expect(pixels.sprite.imagePath).toBe(embedding.sprite.imagePath);
  });

  it("puts training image 0 in the sprite cell of row 40", async () => {
    const {data, info} = await sharp(read("sprite.png")).extractChannel(0).raw().toBuffer({resolveWithObject: true});
    expect([info.width, info.channels]).toEqual([280, 1]); // 10 x 10 cells of 28 px
    const train = await loadFashionMnist("train", {limit: 1});
    const [cx, cy] = [TEST % 10, Math.floor(TEST / 10)];
    const cell = new Uint8Array(IMAGE_PIXELS);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) cell[y * 28 + x] = data[(cy * 28 + y) * info.width + cx * 28 + x];
    }
    expect(Array.from(cell)).toEqual(Array.from(train.images.subarray(0, IMAGE_PIXELS)));
  });

  it("ships the first training rows' embeddings as the training examples, the same bytes as embedding them apart", async () => {
    const shipped = parseTrainingExamples(new Uint8Array(read(TRAINING_EXAMPLES_FILE)), "x");
    const model = await loadModel(join(root, "model"));
    const apart = await computeTrainingExamples(model, EXAMPLES, {dataDir, verify: false});
    model.dispose();
    expect(shipped.count).toBe(EXAMPLES);
    expect(Buffer.from(serialiseTrainingExamples(shipped)).equals(Buffer.from(serialiseTrainingExamples(apart)))).toBe(
      true
    );
    // …and they are the rows' own embeddings (rows TEST.. of embedding_tensors.bytes).
    const bytes = read("embedding_tensors.bytes");
    const rows = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    expect(shipped.embeddings).toEqual(rows.slice(TEST * 64, (TEST + EXAMPLES) * 64));
  });
});
