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

import {preprocess} from "../../../../src/core/image/preprocess.js";
import {forward} from "../../../../src/core/model/forward.js";
import {classifierOf} from "../../../../src/core/model/ttaPrediction.js";
import {loadExport} from "../../data/exportData.js";
import {DataError} from "../../data/fetchData.js";
import {loadModel} from "../../data/model.js";
import {isShown, routeHash, writeRoute} from "../../router.js";
import {h, panel} from "../../ui/dom.js";
import type {MountedView, ViewContext} from "../view.js";
import {camPanel} from "./camPanel.js";
import {featureMaps} from "./featureMaps.js";
import {canvasGrey, decodeFile, toRgbRaster} from "./imageInput.js";
import {predict} from "./inference.js";
import {contrastPanel, pairFromParams} from "./lab/contrastPanel.js";
import {counterfactualPanel} from "./lab/counterfactualPanel.js";
import {labClient} from "./lab/labClient.js";
import {labPanel} from "./lab/labPanel.js";
import {nearestPanel} from "./nearestPanel.js";
import {resultsPanel} from "./resultsPanel.js";
import {latestRunner} from "./scheduler.js";
import {drawSource} from "./sources/drawSource.js";
import {fileSource} from "./sources/fileSource.js";
import {webcamSource} from "./sources/webcamSource.js";
import {sourceSwitch} from "./sourceSwitch.js";
import {drawingInput, type Prepared} from "./prepared.js";
import {stepsStrip} from "./stepsStrip.js";
import {testImageInput} from "./testImageInput.js";
import {uploadPreview} from "./uploadPreview.js";
import {userModelNote} from "./userModelNote.js";
import {classifyParams, readClassifyParams, type SourceName} from "./urlState.js";

export const title = "Classify & explain";

export async function mount(root: HTMLElement, {params, signal}: ViewContext): Promise<MountedView> {
  const {model, ood, userFile} = await loadModel();
  if (signal.aborted) return {unmount: () => {}, update: () => false};
  const classifier = classifierOf(model);
  const initial = readClassifyParams(params);
  /** The test image shown (from the URL), until another input replaces it. */
  let shownTest = initial.test;
  /** A confusion pair from the dashboard (`true=A&predicted=B`), kept in the URL with the rest. */
  const pair = pairFromParams(params);
  const pairParams = pair ? {true: pair.trueClass, predicted: pair.predictedClass} : {};
  const urlParams = (test: number | undefined) => ({
    ...pairParams,
    ...classifyParams({test, source: switcher.current(), cam: camView.choice()})
  });
  const writeUrl = (mode: "push" | "replace") => {
    if (isShown()) writeRoute("classify", urlParams(shownTest), mode);
  };

  const results = resultsPanel(ood !== undefined);
  const camView = camPanel(model, () => writeUrl("push"));
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
      if (signal.aborted || seq <= clearedAt) return;
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
    nearest.clear();
    lab.clear();
    whatIf.clear();
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
    truth = undefined;
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
    submit(() => drawingInput(grey));
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
  const switcher = sourceSwitch(
    panels,
    (name) => {
      if (name !== "webcam") webcam.stop();
      showMessage(undefined);
    },
    () => writeUrl("push")
  );

  root.append(
    h("h1", {}, title),
    userFile === undefined ? "" : userModelNote(userFile),
    h(
      "div",
      {class: "classify-layout"},
      panel(
        "input",
        "Input",
        {class: "input-panel"},
        switcher.element,
        ...Object.values(panels),
        message,
        testLabel,
        testNav
      ),
      h("div", {class: "results-column"}, results.element, timing),
      camView.element
    ),
    panel("steps", "Preprocessing", {class: "steps-panel"}, stepsBox),
    nearest.element,
    lab.element,
    whatIf.element,
    features.element
  );

  const restore = (state: ReturnType<typeof readClassifyParams>) => {
    switcher.choose(state.source);
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
      const nextPair = pairFromParams(next);
      const samePair = nextPair?.trueClass === pair?.trueClass && nextPair?.predictedClass === pair?.predictedClass;
      if (state.test !== shownTest || !samePair) return false;
      restore(state);
      return true;
    }
  };

  // A confusion pair: its contrastive maps on top, its first image as the input unless one is named.
  if (pair) {
    try {
      const data = await loadExport();
      if (signal.aborted) return mounted;
      const view = contrastPanel(model, data, pair, shownTest, signal);
      root.querySelector("h1")?.after(view.element);
      if (shownTest === undefined && view.indices.length > 0) shownTest = view.indices[0];
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
    }
  }
  if (shownTest !== undefined) {
    try {
      const hrefOf = (i: number) => routeHash("classify", urlParams(i));
      const prepared = await testImageInput(shownTest, testLabel, testNav, hrefOf);
      if (signal.aborted) return mounted;
      truth = prepared.label;
      submit(() => prepared);
    } catch (error) {
      showMessage(error instanceof Error ? error.message : String(error));
      if (error instanceof DataError) message.append(h("br"), error.hint);
    }
  }

  return mounted;
}
