/**
 * Classify & explain: an image file, a drawing, the webcam or a test image (`#/classify?test=N`)
 * goes through the preprocessing steps into the model; the view shows the prediction with every
 * class's probability and the OOD flag, where the model looks (CAM / Grad-CAM), and each layer's
 * feature maps. The quick forward pass runs for every input (latest only, never two at once); the
 * heavier explanations (synchronous) run for the latest input at most every 500 ms or three times
 * their own duration, and for a drawing only once the pen has rested.
 */
import "./classify.css";

import * as tf from "@tensorflow/tfjs";

import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {centreDrawing, preprocess} from "../../../../src/core/image/preprocess.js";
import {forward} from "../../../../src/core/model/forward.js";
import {classifierOf} from "../../../../src/core/model/ttaPrediction.js";
import {loadExport, testImage} from "../../data/exportData.js";
import {DataError} from "../../data/fetchData.js";
import {loadModel} from "../../data/model.js";
import {routeHash} from "../../router.js";
import {h} from "../../ui/dom.js";
import type {Unmount, ViewContext} from "../view.js";
import {camPanel} from "./camPanel.js";
import {featureMaps} from "./featureMaps.js";
import {canvasGrey, decodeFile, toRgbRaster} from "./imageInput.js";
import {predict} from "./inference.js";
import {contrastPanel, pairFromParams} from "./lab/contrastPanel.js";
import {labClient} from "./lab/labClient.js";
import {counterfactualPanel} from "./lab/counterfactualPanel.js";
import {labPanel} from "./lab/labPanel.js";
import {resultsPanel} from "./resultsPanel.js";
import {nearestPanel} from "./nearestPanel.js";
import {latestRunner} from "./scheduler.js";
import {drawSource} from "./sources/drawSource.js";
import {fileSource} from "./sources/fileSource.js";
import {webcamSource} from "./sources/webcamSource.js";
import {stepsStrip, type Step} from "./stepsStrip.js";

export const title = "Classify & explain";

/** What a source hands over: the steps to show and the 784 model inputs. */
interface Prepared {
  steps: Step[];
  input: Float32Array;
  /** Explain only once the input has been still this long (while drawing: not mid-stroke). */
  settleMs?: number;
  /** An empty drawing pad: nothing to classify, so no prediction is shown. */
  empty?: boolean;
}

type SourceName = "file" | "draw" | "webcam";

export async function mount(root: HTMLElement, {params, signal}: ViewContext): Promise<Unmount> {
  const {model, ood, userFile} = await loadModel();
  if (signal.aborted) return () => {};
  const classifier = classifierOf(model);

  const results = resultsPanel(ood !== undefined);
  const camView = camPanel(model);
  const features = featureMaps();
  const nearest = nearestPanel(userFile === undefined ? undefined : model);
  /** The true label when the input is a test image. */
  let truth: number | undefined;
  const explainer = labClient(signal); // its worker starts with the first lab or counterfactual asked for
  const lab = labPanel(explainer, signal);
  const whatIf = counterfactualPanel(explainer, signal);
  const stepsBox = h("div", {class: "steps-box"}, h("p", {class: "muted"}, "No input yet."));
  const message = h("p", {class: "error input-message", role: "alert", hidden: true});
  const testLabel = h("p", {class: "test-image-label", "data-testid": "test-image-label", hidden: true});
  const testNav = h("p", {class: "test-nav", hidden: true});
  const showMessage = (text: string | undefined) => {
    message.hidden = text === undefined;
    message.textContent = text ?? "";
  };

  const timing = h("p", {class: "muted small timing", "data-testid": "timing"});
  let forwardMs = 0;
  let explainMs = 0;
  // Inputs are numbered; data-input-seq / data-explained-seq on the root tell (tests, too) when
  // the explanations show the latest input.
  let seq = 0;
  const submit = (prepare: () => Prepared) => {
    seq++;
    root.dataset.inputSeq = String(seq);
    classify.push({seq, prepare});
  };
  const explain = latestRunner<{seq: number; input: Float32Array; predicted: number}>(
    ({seq, input, predicted}) => {
      if (signal.aborted) return;
      const t0 = performance.now();
      const pass = forward(model, input);
      camView.update(input, pass, predicted);
      void nearest.update(pass.embedding, predicted, truth);
      lab.update({input, pass, predicted}); // both wait until asked, then run in a worker
      whatIf.update({input, pass, predicted});
      const t1 = performance.now();
      features.update(pass.layers);
      const t2 = performance.now();
      timing.textContent =
        `Forward pass ${forwardMs.toFixed(0)} ms, every layer and the class activation map ${(t1 - t0).toFixed(0)} ms, ` +
        `feature maps ${(t2 - t1).toFixed(0)} ms (TF.js ${tf.getBackend()}, ${tf.memory().numTensors} tensors held).`;
      root.dataset.tensors = String(tf.memory().numTensors);
      root.dataset.explainedSeq = String(seq);
      explainMs = t2 - t0;
    },
    () => Math.max(500, 3 * explainMs)
  ); // the page keeps at least two thirds of its time
  let settle: ReturnType<typeof setTimeout> | undefined;
  const classify = latestRunner<{seq: number; prepare: () => Prepared}>(async ({seq, prepare}) => {
    if (signal.aborted) return;
    let prepared: Prepared;
    try {
      prepared = prepare();
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
      return;
    }
    if (prepared.empty) {
      clearTimeout(settle);
      stepsBox.replaceChildren(stepsStrip(prepared.steps));
      results.clear("The pad is empty: draw a garment.");
      nearest.clear();
      lab.clear();
      whatIf.clear();
      root.dataset.explainedSeq = String(seq); // nothing to explain: the input is handled
      return;
    }
    const t0 = performance.now();
    const prediction = await predict(classifier, prepared.input, ood);
    forwardMs = performance.now() - t0;
    if (signal.aborted) return;
    stepsBox.replaceChildren(stepsStrip(prepared.steps));
    results.show(prediction);
    const job = {seq, input: prepared.input, predicted: prediction.predicted};
    clearTimeout(settle);
    if (prepared.settleMs) settle = setTimeout(() => explain.push(job), prepared.settleMs);
    else explain.push(job);
  });
  const photo = (raster: Parameters<typeof preprocess>[0]) => () => preprocess(raster, "fashion");
  const leaveTestImage = () => {
    truth = undefined;
    testLabel.hidden = true;
    testNav.hidden = true;
  };

  const fileInfo = h("p", {class: "muted small file-info", "aria-live": "polite"});
  const files = fileSource(async (file) => {
    showMessage(undefined);
    leaveTestImage();
    fileInfo.textContent = "";
    try {
      const bitmap = await decodeFile(file);
      const raster = toRgbRaster(bitmap, bitmap.width, bitmap.height);
      fileInfo.textContent = `${file.name}: ${bitmap.width}×${bitmap.height} pixels`;
      bitmap.close();
      submit(photo(raster));
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
    }
  });
  const drawing = drawSource((canvas) => {
    const grey = canvasGrey(canvas);
    submit(() => {
      const input = centreDrawing(grey);
      return {
        steps: [
          {id: "drawing", title: "Your drawing", raster: grey},
          {id: "centred", title: "Cropped to the strokes, longest edge 28, centred", raster: input}
        ],
        input: Float32Array.from(input.data, (v) => v / 255),
        settleMs: 250,
        empty: input.data.every((v) => v === 0)
      };
    });
  });
  const webcam = webcamSource((video) => {
    // Grab the pixels only when the classifier is free: a waiting frame would be stale anyway.
    submit(() => preprocess(toRgbRaster(video, video.videoWidth, video.videoHeight, 320), "fashion"));
  });

  const panels: Record<SourceName, HTMLElement> = {
    file: h("div", {class: "source-panel"}, files, fileInfo),
    draw: h("div", {class: "source-panel", hidden: true}, drawing.element),
    webcam: h("div", {class: "source-panel", hidden: true}, webcam.element)
  };
  const labels: Record<SourceName, string> = {file: "Image file", draw: "Draw", webcam: "Webcam"};
  const switches = (Object.keys(panels) as SourceName[]).map((name) => {
    const button = h(
      "button",
      {type: "button", "data-source": name, "aria-pressed": String(name === "file")},
      labels[name]
    );
    button.addEventListener("click", () => choose(name));
    return button;
  });
  const choose = (name: SourceName) => {
    for (const button of switches) button.setAttribute("aria-pressed", String(button.dataset.source === name));
    for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
    if (name !== "webcam") webcam.stop();
    showMessage(undefined);
  };

  const userModelNote =
    userFile === undefined
      ? []
      : [
          h(
            "p",
            {class: "muted user-model-note", "data-testid": "user-model-note"},
            `Running your model, ${userFile}. `,
            h("a", {href: "#/model"}, "Change it in the Model view.")
          )
        ];
  root.append(
    h("h1", {}, title),
    ...userModelNote,
    h(
      "div",
      {class: "classify-layout"},
      h(
        "section",
        {class: "panel input-panel", "aria-labelledby": "input-heading"},
        h("h2", {id: "input-heading"}, "Input"),
        h("div", {class: "source-switch", role: "group", "aria-label": "Input source"}, ...switches),
        ...Object.values(panels),
        message,
        testLabel,
        testNav
      ),
      h("div", {class: "results-column"}, results.element, timing),
      camView.element
    ),
    h(
      "section",
      {class: "panel steps-panel", "aria-labelledby": "steps-heading"},
      h("h2", {id: "steps-heading"}, "Preprocessing"),
      stepsBox
    ),
    nearest.element,
    lab.element,
    whatIf.element,
    features.element
  );

  // A confusion pair from the dashboard: its contrastive maps on top, its first image as the input.
  const pair = pairFromParams(params);
  let test = params.get("test");
  if (pair) {
    try {
      const data = await loadExport();
      if (signal.aborted) return () => {};
      const view = contrastPanel(model, data, pair, test === null ? undefined : Number(test), signal);
      root.querySelector("h1")?.after(view.element);
      if (test === null && view.indices.length > 0) test = String(view.indices[0]);
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
    }
  }
  if (test !== null) {
    try {
      const data = await loadExport();
      const index = Number(test);
      const pixels = testImage(data, index);
      if (signal.aborted) return () => {};
      truth = data.labels[index];
      testLabel.textContent = `Test image ${index} · true label: ${CLASS_NAMES[truth]}`;
      testLabel.hidden = false;
      const link = (i: number, text: string) =>
        i >= 0 && i < data.count ? h("a", {href: routeHash("classify", {test: i})}, text) : null;
      testNav.replaceChildren(
        ...[link(index - 1, "← previous test image"), link(index + 1, "next test image →")].filter((x) => x !== null)
      );
      testNav.hidden = false;
      const raster = {
        width: 28,
        height: 28,
        channels: 1 as const,
        data: Uint8Array.from(pixels, (v) => Math.round(v * 255))
      };
      submit(() => ({
        steps: [{id: "test", title: `Test image ${index}: already 28×28, used as it is`, raster}],
        input: pixels
      }));
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
      if (error instanceof DataError) message.append(h("br"), error.hint);
    }
  }

  return () => {
    classify.stop();
    explain.stop();
    clearTimeout(settle);
    drawing.stop();
    webcam.stop();
  };
}
