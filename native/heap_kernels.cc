// Memory-bound kernels of a training step, written by hand as OpenMP loops over the WASM heap.
// They replace the JavaScript loops of src/backend/{leadingAxesReduce,wasmJsKernels}.ts when the
// addon is built. Written here rather than taken from oneDNN because oneDNN's max-pooling backward
// needs the workspace of its own forward pass (TF.js' MaxPoolGrad gets only x, y and dy), and a
// sum over rows, a ReLU mask and a bias add are each a few lines whose semantics must match
// TF.js exactly (first maximum of a window wins; float64 accumulation like the JS kernels).
//
// JS API (arrays are Float32Array views; sizes are numbers):
//   sumRows(x, rows, cols, out, scale)      out[c] = scale * sum_r x[r * cols + c]
//   maxPoolGrad(x, xShape, dy, dyShape, dx, filterH, filterW, strideH, strideW, padTop, padLeft)
//   reluGrad(dy, x, dx)                     dx = x > 0 ? dy : 0 (NaN in x gives NaN, as TF.js' step)
//   biasActivation(y, bias, relu)           y[i] += bias[i % C], then max(y, 0) when relu
#include <omp.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "napi_args.h"

using fmnist::fail;
using fmnist::floatArray;
using fmnist::intArg;

namespace {

// Below this many elements a loop runs on one thread: waking the pool costs more than it saves.
constexpr size_t kParallelMin = 1 << 15;

bool args(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc == expected;
}

bool shape4(napi_env env, napi_value v, int64_t* out) {
  for (uint32_t i = 0; i < 4; i++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok || !intArg(env, e, &out[i]) || out[i] <= 0) return false;
  }
  return true;
}

napi_value SumRows(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  float *x, *out;
  size_t xLen, outLen;
  int64_t rows, cols;
  double scale;
  if (!args(env, info, 5, argv) || !floatArray(env, argv[0], &x, &xLen) || !intArg(env, argv[1], &rows) ||
      !intArg(env, argv[2], &cols) || !floatArray(env, argv[3], &out, &outLen) ||
      napi_get_value_double(env, argv[4], &scale) != napi_ok || rows <= 0 || cols <= 0 ||
      static_cast<size_t>(rows * cols) > xLen || static_cast<size_t>(cols) > outLen) {
    return fail(env, "sumRows: bad arguments");
  }
  const int threads = static_cast<size_t>(rows * cols) >= kParallelMin ? omp_get_max_threads() : 1;
  std::vector<double> partial(static_cast<size_t>(threads) * cols, 0.0);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t r0 = rows * t / nt, r1 = rows * (t + 1) / nt;
    double* acc = partial.data() + static_cast<size_t>(t) * cols;
    // Float sums over blocks of 64 rows (vectorised), flushed into float64 totals.
    std::vector<float> block(cols);
    for (int64_t r = r0; r < r1; r += 64) {
      std::fill(block.begin(), block.end(), 0.0f);
      const int64_t end = std::min(r1, r + 64);
      for (int64_t i = r; i < end; i++) {
        const float* row = x + i * cols;
        for (int64_t c = 0; c < cols; c++) block[c] += row[c];
      }
      for (int64_t c = 0; c < cols; c++) acc[c] += block[c];
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    double total = 0;
    for (int t = 0; t < threads; t++) total += partial[static_cast<size_t>(t) * cols + c];
    out[c] = static_cast<float>(total * scale);
  }
  return nullptr;
}

napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  float *x, *dy, *dx;
  size_t xLen, dyLen, dxLen;
  int64_t xs[4], ys[4], fh, fw, sh, sw, top, left;
  if (!args(env, info, 11, argv) || !floatArray(env, argv[0], &x, &xLen) || !shape4(env, argv[1], xs) ||
      !floatArray(env, argv[2], &dy, &dyLen) || !shape4(env, argv[3], ys) || !floatArray(env, argv[4], &dx, &dxLen) ||
      !intArg(env, argv[5], &fh) || !intArg(env, argv[6], &fw) || !intArg(env, argv[7], &sh) ||
      !intArg(env, argv[8], &sw) || !intArg(env, argv[9], &top) || !intArg(env, argv[10], &left)) {
    return fail(env, "maxPoolGrad: bad arguments");
  }
  const int64_t N = xs[0], H = xs[1], W = xs[2], C = xs[3], OH = ys[1], OW = ys[2];
  const size_t xCount = static_cast<size_t>(N * H * W * C);
  if (ys[0] != N || ys[3] != C || xLen < xCount || dxLen < xCount || dyLen < static_cast<size_t>(N * OH * OW * C) ||
      fh <= 0 || fw <= 0 || sh <= 0 || sw <= 0) {
    return fail(env, "maxPoolGrad: inconsistent shapes");
  }
  const int threads = xCount >= kParallelMin ? omp_get_max_threads() : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t n = 0; n < N; n++) {
    float* dxn = dx + n * H * W * C;
    const float* xn = x + n * H * W * C;
    const float* g = dy + n * OH * OW * C;
    std::memset(dxn, 0, sizeof(float) * H * W * C);
    for (int64_t oy = 0; oy < OH; oy++) {
      const int64_t y0 = oy * sh - top, yMin = std::max<int64_t>(0, y0), yMax = std::min(H, y0 + fh);
      for (int64_t ox = 0; ox < OW; ox++, g += C) {
        const int64_t x0 = ox * sw - left, xMin = std::max<int64_t>(0, x0), xMax = std::min(W, x0 + fw);
        for (int64_t c = 0; c < C; c++) {
          int64_t best = -1;
          float max = -INFINITY;
          for (int64_t yy = yMin; yy < yMax; yy++) {
            for (int64_t xx = xMin; xx < xMax; xx++) {
              const int64_t i = (yy * W + xx) * C + c;
              if (xn[i] > max) {
                max = xn[i];
                best = i;
              }
            }
          }
          if (best >= 0) dxn[best] += g[c];
        }
      }
    }
  }
  return nullptr;
}

napi_value ReluGrad(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  float *dy, *x, *dx;
  size_t n, xLen, dxLen;
  if (!args(env, info, 3, argv) || !floatArray(env, argv[0], &dy, &n) || !floatArray(env, argv[1], &x, &xLen) ||
      !floatArray(env, argv[2], &dx, &dxLen) || xLen != n || dxLen != n) {
    return fail(env, "reluGrad: bad arguments");
  }
  const int threads = n >= kParallelMin ? omp_get_max_threads() : 1;
#pragma omp parallel for simd num_threads(threads) schedule(static)
  for (size_t i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : (std::isnan(x[i]) ? x[i] : 0.0f);
  return nullptr;
}

napi_value BiasActivation(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  float *y, *bias;
  size_t n, channels;
  bool relu;
  if (!args(env, info, 3, argv) || !floatArray(env, argv[0], &y, &n) || !floatArray(env, argv[1], &bias, &channels) ||
      napi_get_value_bool(env, argv[2], &relu) != napi_ok || channels == 0 || n % channels != 0) {
    return fail(env, "biasActivation: bad arguments");
  }
  const int64_t rows = static_cast<int64_t>(n / channels), C = static_cast<int64_t>(channels);
  const int threads = n >= kParallelMin ? omp_get_max_threads() : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    float* row = y + r * C;
    if (relu) {
      for (int64_t c = 0; c < C; c++) row[c] = std::max(row[c] + bias[c], 0.0f);
    } else {
      for (int64_t c = 0; c < C; c++) row[c] += bias[c];
    }
  }
  return nullptr;
}

}  // namespace

void fmnist::registerHeapKernels(napi_env env, napi_value exports) {
  exportFunction(env, exports, "sumRows", SumRows);
  exportFunction(env, exports, "maxPoolGrad", MaxPoolGrad);
  exportFunction(env, exports, "reluGrad", ReluGrad);
  exportFunction(env, exports, "biasActivation", BiasActivation);
}
