/** training_examples.bin (src/core/formats/trainingExamples.ts): writer and parser agree; damage is a FormatError. */
import {describe, expect, it} from "vitest";

import {FormatError} from "../../src/core/errors.js";
import {
  parseTrainingExamples,
  serialiseTrainingExamples,
  type TrainingExamples
} from "../../src/core/formats/trainingExamples.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";

async function realExamples(count: number): Promise<TrainingExamples> {
  const train = await loadFashionMnist("train", {limit: count});
  const embeddings = Float32Array.from({length: count * 3}, (_, i) => Math.sin(i) * 4);
  return {
    first: 0,
    count,
    dims: 3,
    layerName: "gap",
    embeddings,
    pixels: Uint8Array.from(train.images.subarray(0, count * 784)),
    labels: Uint8Array.from(train.labels.subarray(0, count))
  };
}

describe("training_examples.bin", () => {
  it("reads back what it wrote: embeddings, the real training images and labels", async () => {
    const examples = await realExamples(5);
    const bytes = serialiseTrainingExamples(examples);
    expect(parseTrainingExamples(bytes, "x")).toEqual(examples);
  });

  it("refuses a foreign, truncated or damaged file, naming the file and the fix", async () => {
    const bytes = serialiseTrainingExamples(await realExamples(5));
    const badLabel = new Uint8Array(bytes);
    badLabel[badLabel.length - 1] = 10;
    const nan = new Uint8Array(bytes);
    const header = new TextDecoder().decode(bytes.subarray(0, 120));
    const bodyStart = Math.ceil((header.indexOf("}") + 1) / 4) * 4;
    new DataView(nan.buffer).setFloat32(bodyStart + 4, NaN, true);
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode("FMNIST-OOD 1\n...."), /not a training-examples file/],
      [bytes.subarray(0, bytes.length - 1), /bytes where the header promises/],
      [bytes.subarray(0, 20), /truncated header/],
      [badLabel, /a label is not a class/],
      [nan, /an embedding holds a NaN/]
    ];
    for (const [damaged, message] of cases) {
      expect(() => parseTrainingExamples(damaged, "p/training_examples.bin")).toThrow(FormatError);
      expect(() => parseTrainingExamples(damaged, "p/training_examples.bin")).toThrow(message);
      expect(() => parseTrainingExamples(damaged, "p/training_examples.bin")).toThrow(
        /^p\/training_examples.bin: .*fmnist export/
      );
    }
  });
});
