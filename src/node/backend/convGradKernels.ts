/**
 * Convolution gradients for the WASM backend, written as forward convolutions.
 *
 * TF.js 4.22's WASM backend has no `Conv2DBackpropFilter` kernel, and its `Conv2DBackpropInput`
 * is a scalar loop that takes ~2 s for a 26x26x64 layer at batch 128. Both gradients are
 * correlations, so they can be computed by XNNPACK's fast forward convolution
 * (see ../shared/docs/backend-notes.md for the measurements that chose these formulations):
 *
 * - filter gradient: dW[kh,kw,ci,co] = sum_{n,y,x} xPad[n, y*s+kh, x*s+kw, ci] * dy[n,y,x,co].
 *   With the input transposed to [ci, H, W, n] (channels as batch, batch as channels) and dy to
 *   [oh, ow, n, co] as the filter, this is conv2d(x', dy', dilation = stride) -> [ci, kh, kw, co].
 * - input gradient (stride 1): dx = conv2d(pad(dy), flip(W) with in/out channels swapped), "full"
 *   correlation. Strided cases fall back to the backend's own kernel.
 *
 * Kernels are registered under the standard names so tfjs-layers' gradients use them unchanged.
 */
import * as tf from "@tensorflow/tfjs";

type Shape4 = [number, number, number, number];

/**
 * What both gradient kernels receive: tfjs-core's Conv2DBackpropFilterAttrs and
 * Conv2DBackpropInputAttrs without explicit padding (which the layers never pass), plus each
 * kernel's own output shape (`filterShape` or `inputShape`).
 */
interface ConvGradientAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function pair(v: [number, number] | number): [number, number] {
  return typeof v === "number" ? [v, v] : v;
}

/**
 * Filter gradient of conv2d. `x`: [batch, H, W, inC], `dy`: [batch, outH, outW, outC];
 * returns [kh, kw, inC, outC].
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4,
  strides: ConvGradientAttrs["strides"],
  pad: ConvGradientAttrs["pad"],
  dimRoundingMode?: ConvGradientAttrs["dimRoundingMode"]
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filterShape;
    const [sh, sw] = pair(strides);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape,
      filterShape,
      [sh, sw],
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast"
    );
    const {top, bottom, left, right} = info.padInfo;
    const [oh, ow] = [info.outHeight, info.outWidth];
    // Rows/cols of the padded input actually read by the forward conv; trailing ones are dropped.
    const needH = (oh - 1) * sh + kh;
    const needW = (ow - 1) * sw + kw;
    // With dimRoundingMode "ceil"/"round" the last window can overhang the padded input: the reference
    // kernel reads zeros there, so pad with zeros rather than slicing past the end.
    const extraH = Math.max(0, needH - (x.shape[1] + top + bottom));
    const extraW = Math.max(0, needW - (x.shape[2] + left + right));
    let xp: tf.Tensor4D =
      top || bottom || left || right || extraH || extraW
        ? tf.pad(x, [
            [0, 0],
            [top, bottom + extraH],
            [left, right + extraW],
            [0, 0]
          ])
        : x;
    if (xp.shape[1] !== needH || xp.shape[2] !== needW) {
      xp = tf.slice(xp, [0, 0, 0, 0], [xp.shape[0], needH, needW, xp.shape[3]]);
    }
    const xt = tf.transpose(xp, [3, 1, 2, 0]); // [ci, H, W, n]
    const dyt = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, co]
    const g = tf.conv2d(xt, dyt, 1, "valid", "NHWC", [sh, sw]); // [ci, kh, kw, co]
    return tf.transpose(g, [1, 2, 0, 3]);
  });
}

/**
 * Input gradient of a stride-1 conv2d. `dy`: [batch, outH, outW, outC], `filter`:
 * [kh, kw, inC, outC]; returns [batch, H, W, inC].
 */
export function conv2dInputGradient(
  inputShape: Shape4,
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  pad: ConvGradientAttrs["pad"],
  dimRoundingMode?: ConvGradientAttrs["dimRoundingMode"]
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape,
      1,
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast"
    );
    const [, H, W] = inputShape;
    const padTop = kh - 1 - info.padInfo.top;
    const padLeft = kw - 1 - info.padInfo.left;
    const padBottom = H + kh - 1 - info.outHeight - padTop;
    const padRight = W + kw - 1 - info.outWidth - padLeft;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh, kw, co, ci]
    const dyp = tf.pad(dy, [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0]
    ]);
    return tf.conv2d(dyp, flipped, 1, "valid");
  });
}

let registered = false;

/** Registers the gradient kernels on the `wasm` backend (idempotent). */
export function registerWasmConvGradients(): void {
  if (registered) return;
  registered = true;
  const native = tf.getKernel("Conv2DBackpropInput", "wasm");
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: ({inputs, attrs}) => {
      const {x, dy} = inputs as {x: tf.Tensor4D; dy: tf.Tensor4D};
      const a = attrs as unknown as ConvGradientAttrs & {filterShape: Shape4};
      if (a.dataFormat === "NCHW") throw new Error("Conv2DBackpropFilter (wasm): NCHW is not supported");
      return conv2dFilterGradient(x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
    }
  });
  if (native) tf.unregisterKernel("Conv2DBackpropInput", "wasm");
  tf.registerKernel({
    kernelName: "Conv2DBackpropInput",
    backendName: "wasm",
    // The native kernel binds its WASM function in setupFunc; keep that for the strided fallback.
    setupFunc: native?.setupFunc,
    kernelFunc: (args) => {
      const {dy, filter} = args.inputs as {dy: tf.Tensor4D; filter: tf.Tensor4D};
      const a = args.attrs as unknown as ConvGradientAttrs & {inputShape: Shape4};
      const [sh, sw] = pair(a.strides);
      if ((sh !== 1 || sw !== 1 || a.dataFormat === "NCHW") && native) return native.kernelFunc(args);
      return conv2dInputGradient(a.inputShape, dy, filter, a.pad, a.dimRoundingMode);
    }
  });
}
