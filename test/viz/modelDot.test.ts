import {describe, expect, it} from "vitest";

import type {ModelSummary} from "../../src/core/model/layerSummary.js";
import {modelDot} from "../../src/core/viz/modelDot.js";

const summary: ModelSummary = {
  name: "tiny",
  totalParams: 1234,
  trainableParams: 1200,
  layers: [
    {
      name: "in",
      className: "InputLayer",
      outputShape: [null, 4],
      params: 0,
      trainableParams: 0,
      details: "",
      inputs: []
    },
    {
      name: "dense",
      className: "Dense",
      outputShape: [null, 2],
      params: 1234,
      trainableParams: 1200,
      details: "2 units, <softmax>",
      inputs: ["in"]
    }
  ]
};

describe("modelDot(summary)", () => {
  const dot = modelDot(summary);

  it("declares one node per layer with name, type, shape and parameters", () => {
    expect(dot).toMatch(/^digraph model \{/);
    expect(dot).toContain(`"dense" [label=<`);
    expect(dot).toContain("<B>dense</B>");
    expect(dot).toContain("(Dense)");
    expect(dot).toContain("(None, 2)");
    expect(dot).toContain("1,234 params");
    expect(dot).toContain("no params");
  });

  it("draws an edge from each input and escapes HTML in labels", () => {
    expect(dot).toContain(`"in" -> "dense";`);
    expect(dot).toContain("2 units, &lt;softmax&gt;");
    expect(dot).toContain("tiny: 1,234 parameters (1,200 trainable)");
  });
});
