/**
 * Classify & explain: an image file, a drawing, the webcam or a test image (`#/classify?test=N`)
 * goes through the preprocessing steps into the model; the view shows the prediction with every
 * class's probability and the OOD flag, where the model looks (CAM / Grad-CAM), and each layer's
 * feature maps. The quick forward pass runs for every input (latest only, never two at once); the
 * heavier explanations (synchronous) run for the latest input at most every 500 ms or three times
 * their own duration, and for a drawing only once the pen has rested. The source, the test image
 * and the map's pickers live in the URL (urlState.ts).
 */
import "./classify.css";

import * as tf from "@tensorflow/tfjs";

import {centreDrawing, preprocess} from "../../../../src/core/image/preprocess.js";
import {forward} from "../../../../src/core/model/forward.js";
import {classifierOf} from "../../../../src/core/model/ttaPrediction.js";
import {DataError} from "../../data/fetchData.js";
import {loadModel} from "../../data/model.js";
import {isShown, routeHash, writeRoute} from "../../router.js";
import {h} from "../../ui/dom.js";
import type {MountedView, ViewContext} from "../view.js";
import {camPanel} from "./camPanel.js";
import {featureMaps} from "./featureMaps.js";
import {canvasGrey, decodeFile, toRgbRaster} from "./imageInput.js";
import {predict} from "./inference.js";
import {resultsPanel} from "./resultsPanel.js";
import {latestRunner} from "./scheduler.js";
import {drawSource} from "./sources/drawSource.js";
import {fileSource} from "./sources/fileSource.js";
import {webcamSource} from "./sources/webcamSource.js";
import {stepsStrip, type Step} from "./stepsStrip.js";
import {testImageInput} from "./testImageInput.js";
import {uploadPreview} from "./uploadPreview.js";
import {classifyParams, readClassifyParams, SOURCE_NAMES, type SourceName} from "./urlState.js";

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

export async function mount(root: HTMLElement, {params, signal}: ViewContext): Promise<MountedView> {
  const {model, ood} = await loadModel();
  if (signal.aborted) return {unmount: () => {}, update: () => false};
  const classifier = classifierOf(model);
  const initial = readClassifyParams(params);
  let source: SourceName = "file";
  /** The test image shown (from the URL), until another input replaces it. */
  let shownTest = initial.test;
  const writeUrl = (mode: "push" | "replace") => {
    if (isShown()) writeRoute("classify", classifyParams({test: shownTest, source, cam: camView.choice()}), mode);
  };

  const results = resultsPanel(ood !== undefined);
  const camView = camPanel(model, () => writeUrl("push"));
  const features = featureMaps();
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
      if (signal.aborted || seq <= clearedAt) return;
      const t0 = performance.now();
      const pass = forward(model, input);
      camView.update(input, pass, predicted);
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
  /** Inputs up to this number were withdrawn (an empty pad, a refused file): their results are not shown. */
  let clearedAt = 0;
  /** Nothing to classify: no prediction, map or feature maps, and `message` says why. */
  const showNothing = (message: string) => {
    seq++;
    clearedAt = seq;
    root.dataset.inputSeq = root.dataset.explainedSeq = String(seq);
    clearTimeout(settle);
    results.clear(message);
    camView.clear();
    features.clear(message);
  };
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
      stepsBox.replaceChildren(stepsStrip(prepared.steps));
      showNothing("The pad is empty: draw a garment.");
      return;
    }
    const t0 = performance.now();
    const prediction = await predict(classifier, prepared.input, ood);
    forwardMs = performance.now() - t0;
    if (signal.aborted || seq <= clearedAt) return;
    stepsBox.replaceChildren(stepsStrip(prepared.steps));
    results.show(prediction);
    const job = {seq, input: prepared.input, predicted: prediction.predicted};
    clearTimeout(settle);
    if (prepared.settleMs) settle = setTimeout(() => explain.push(job), prepared.settleMs);
    else explain.push(job);
  });
  const photo = (raster: Parameters<typeof preprocess>[0]) => () => preprocess(raster, "fashion");
  const leaveTestImage = () => {
    testLabel.hidden = true;
    testNav.hidden = true;
    if (shownTest === undefined) return;
    shownTest = undefined;
    writeUrl("replace");
  };

  const fileInfo = h("p", {class: "muted small file-info", "aria-live": "polite"});
  const preview = uploadPreview();
  const files = fileSource(async (file) => {
    showMessage(undefined);
    leaveTestImage();
    fileInfo.textContent = "";
    try {
      const bitmap = await decodeFile(file);
      const raster = toRgbRaster(bitmap, bitmap.width, bitmap.height);
      fileInfo.textContent = `${file.name}: ${bitmap.width}×${bitmap.height} pixels`;
      preview.show(bitmap, file.name);
      bitmap.close();
      submit(photo(raster));
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
      // The previous photo's result would read as this file's: clear it all.
      preview.clear();
      stepsBox.replaceChildren(h("p", {class: "muted"}, "No input: the file was refused."));
      showNothing("No prediction: the file was refused (see the message under Input).");
    }
  });
  const drawing = drawSource((canvas) => {
    leaveTestImage();
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
    leaveTestImage();
    // Grab the pixels only when the classifier is free: a waiting frame would be stale anyway.
    submit(() => preprocess(toRgbRaster(video, video.videoWidth, video.videoHeight, 320), "fashion"));
  });

  const panels: Record<SourceName, HTMLElement> = {
    file: h("div", {class: "source-panel"}, files, h("div", {class: "file-row"}, preview.element, fileInfo)),
    draw: h("div", {class: "source-panel", hidden: true}, drawing.element),
    webcam: h("div", {class: "source-panel", hidden: true}, webcam.element)
  };
  const labels: Record<SourceName, string> = {file: "Image file", draw: "Draw", webcam: "Webcam"};
  const switches = SOURCE_NAMES.map((name) => {
    const button = h(
      "button",
      {type: "button", "data-source": name, "aria-pressed": String(name === "file")},
      labels[name]
    );
    button.addEventListener("click", () => {
      if (name === source) return;
      choose(name);
      writeUrl("push");
    });
    return button;
  });
  const choose = (name: SourceName) => {
    source = name;
    for (const button of switches) button.setAttribute("aria-pressed", String(button.dataset.source === name));
    for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
    if (name !== "webcam") webcam.stop();
    showMessage(undefined);
  };

  root.append(
    h("h1", {}, title),
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
    features.element
  );

  const restore = (state: ReturnType<typeof readClassifyParams>) => {
    choose(state.source);
    camView.restore(state.cam);
  };
  restore(initial);
  const mounted: MountedView = {
    unmount: () => {
      classify.stop();
      explain.stop();
      clearTimeout(settle);
      drawing.stop();
      webcam.stop();
    },
    // Back and Forward between sources and pickers act in place; another test image mounts afresh.
    update: (next) => {
      const state = readClassifyParams(next);
      if (state.test !== shownTest) return false;
      restore(state);
      return true;
    }
  };

  if (initial.test !== undefined) {
    try {
      const hrefOf = (i: number) => routeHash("classify", classifyParams({test: i, source, cam: camView.choice()}));
      const prepared = await testImageInput(initial.test, testLabel, testNav, hrefOf);
      if (signal.aborted) return mounted;
      submit(() => prepared);
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
      if (error instanceof DataError) message.append(h("br"), error.hint);
    }
  }

  return mounted;
}
