/** Our side of the benchmark: the CNN on the selected TF.js backend. */
import * as tf from "@tensorflow/tfjs";
import {getThreadsCount} from "@tensorflow/tfjs-backend-wasm";

import {describeBackend, selectBackend} from "../src/node/backend/selectBackend.js";
import {createCnn} from "../src/core/model/cnn.js";
import {createAdam} from "../src/core/model/fusedAdam.js";
import {sparseCategoricalCrossentropy} from "../src/core/model/metrics.js";
import {IMAGE_SIZE, NUM_CLASSES} from "../src/core/data/fashionMnist.js";
import {medianMs} from "./timing.js";
import {
  SCALING_BATCHES,
  TRAIN_BATCH,
  epochSeconds,
  imagesPerSecond,
  round,
  type OursResult,
  type ScalingBatch
} from "./report.js";

function randomImages(batch: number): tf.Tensor4D {
  return tf.randomUniform([batch, IMAGE_SIZE, IMAGE_SIZE, 1], 0, 1, "float32", 1234 + batch);
}

function randomLabels(batch: number): tf.Tensor1D {
  return tf.randomUniform([batch], 0, NUM_CLASSES, "int32", 4321 + batch);
}

/** Median ms of one training step (forward, backward, Adam update, loss read back) at `batch`. */
function timeTrainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  vars: tf.Variable[],
  batch: number,
  steps: number,
  warmup: number
): number {
  const xs = randomImages(batch);
  const ys = randomLabels(batch);
  try {
    return medianMs(
      () => {
        const loss = tf.tidy(
          () =>
            optimizer.minimize(
              () => sparseCategoricalCrossentropy(model.apply(xs, {training: true}) as tf.Tensor2D, ys),
              true,
              vars
            ) as tf.Scalar
        );
        const value = loss.dataSync()[0];
        loss.dispose();
        if (!Number.isFinite(value)) throw new Error(`training loss is ${value} at batch ${batch}`);
      },
      steps,
      warmup
    );
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

/** Median ms of one inference batch (model.predict and reading the probabilities back). */
function timePredict(model: tf.LayersModel, batch: number, steps: number, warmup: number): number {
  const xs = randomImages(batch);
  try {
    return medianMs(
      () => {
        const probs = model.predict(xs, {batchSize: batch}) as tf.Tensor;
        probs.dataSync();
        probs.dispose();
      },
      steps,
      warmup
    );
  } finally {
    xs.dispose();
  }
}

/** Runs all our in-process measurements (coldClassify is left null); progress goes to `log`. */
export async function measureOurs(steps: number, log: (line: string) => void): Promise<OursResult> {
  const selected = await selectBackend();
  const threads = selected === "wasm" ? getThreadsCount() : selected === "cpu" ? 1 : null;
  // "wasm+onednn" when the native convolutions are active.
  const backend = describeBackend() ?? selected;
  log(`ours: tfjs ${tf.version.tfjs} on ${backend}${threads === null ? "" : ` with ${threads} thread(s)`}`);
  const model = createCnn();
  const optimizer = createAdam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    log(`ours: train step at batch ${TRAIN_BATCH} (2 warm-up + ${steps} steps)`);
    const trainStepMs = timeTrainStep(model, optimizer, vars, TRAIN_BATCH, steps, 2);
    log(`ours: predict at batch 128, 256 and 1`);
    const predictMs = timePredict(model, 128, steps, 2);
    const predict256Ms = timePredict(model, 256, steps, 2);
    const predict1Ms = timePredict(model, 1, Math.max(steps, 16), 3);
    // The batch-128 point reuses the main measurement; the others get fewer steps.
    const scalingSteps = Math.max(1, Math.ceil(steps / 2));
    const scaling = {} as Record<ScalingBatch, number>;
    for (const batch of SCALING_BATCHES) {
      if (batch === TRAIN_BATCH) {
        scaling[`${batch}`] = round(trainStepMs);
        continue;
      }
      log(
        `ours: scaling, train step at batch ${batch} (1 warm-up + ${scalingSteps} step${scalingSteps === 1 ? "" : "s"})`
      );
      scaling[`${batch}`] = round(timeTrainStep(model, optimizer, vars, batch, scalingSteps, 1));
    }
    return {
      backend,
      threads,
      trainStepMs: round(trainStepMs),
      predictMs: round(predictMs),
      predict256Ms: round(predict256Ms),
      predict1Ms: round(predict1Ms, 2),
      trainImagesPerS: round(imagesPerSecond(TRAIN_BATCH, trainStepMs)),
      predict256ImagesPerS: round(imagesPerSecond(256, predict256Ms)),
      predict1ImagesPerS: round(imagesPerSecond(1, predict1Ms)),
      epochSecondsEstimate: round(epochSeconds(trainStepMs, predict256Ms)),
      scaling,
      coldClassify: null
    };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
