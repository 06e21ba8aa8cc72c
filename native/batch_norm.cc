// Batch normalisation in training, forward and backward, each as one pass pair over the WASM heap
// (registered by src/backend/nativeBatchNorm.ts). TF.js computes the same with about twenty small
// kernels per layer (moments, the normalisation, the moving averages and their gradients), each a
// pass over memory and a tape entry; oneDNN's batch normalisation would need its own memory layout
// and computes no moving averages in TF.js' form, so this is written out here.
//
// x is [rows, C] (channels last); statistics are per channel over the rows, accumulated in float64.
//
// JS API (arrays are Float32Array views):
//   batchNormTraining(x, gamma, beta, movingMean, movingVariance, epsilon, momentum,
//                     y, mean, variance, newMovingMean, newMovingVariance)
//       mean, variance: the batch's (population variance, as tf.moments);
//       y = (x - mean) / sqrt(variance + epsilon) * gamma + beta;
//       newMoving = moving - (moving - batch statistic) * (1 - momentum), as tfjs-layers updates them
//   batchNormTrainingGrad(dy, x, gamma, mean, variance, epsilon, dx, dgamma, dbeta)
//       the gradient of y with the batch statistics depending on x:
//       dbeta = sum dy, dgamma = sum dy * xhat,
//       dx = gamma / sqrt(variance + epsilon) * (dy - dbeta / rows - xhat * dgamma / rows)
#include <omp.h>

#include <cmath>
#include <vector>

#include "napi_args.h"
#include "parallel.h"

using fmnist::fail;
using fmnist::floatArray;

namespace {


// Two per-channel sums over the rows, on all threads: sums[c] += f0(r, c), sums[C + c] += f1(r, c).
template <typename F>
std::vector<double> channelSums(int64_t rows, int64_t C, F add) {
  const int threads = fmnist::threadsFor(static_cast<size_t>(rows * C));
  std::vector<double> partial(static_cast<size_t>(threads) * 2 * C, 0.0);
#pragma omp parallel num_threads(threads)
  {
    double* own = partial.data() + static_cast<size_t>(omp_get_thread_num()) * 2 * C;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) add(r, own, own + C);
  }
  std::vector<double> sums(2 * C, 0.0);
  for (int t = 0; t < threads; t++) {
    for (int64_t i = 0; i < 2 * C; i++) sums[i] += partial[static_cast<size_t>(t) * 2 * C + i];
  }
  return sums;
}

bool readArgs(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc == expected;
}

// Reads argv[i], for each index in `which`, as a Float32Array of length C.
bool vectors(napi_env env, napi_value* argv, std::initializer_list<int> which, float** out, size_t C) {
  size_t k = 0;
  for (int i : which) {
    size_t len;
    if (!floatArray(env, argv[i], &out[k++], &len) || len != C) return false;
  }
  return true;
}

napi_value BatchNormTraining(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  float *x, *y;
  size_t n, yLen, C;
  float* gamma;
  double epsilon, momentum;
  if (!readArgs(env, info, 12, argv) || !floatArray(env, argv[0], &x, &n) || !floatArray(env, argv[1], &gamma, &C) ||
      C == 0 || n % C != 0 || napi_get_value_double(env, argv[5], &epsilon) != napi_ok ||
      napi_get_value_double(env, argv[6], &momentum) != napi_ok || !floatArray(env, argv[7], &y, &yLen) || yLen != n) {
    return fail(env, "batchNormTraining: bad arguments");
  }
  float* v[7];  // beta, movingMean, movingVariance, mean, variance, newMovingMean, newMovingVariance
  if (!vectors(env, argv, {2, 3, 4, 8, 9, 10, 11}, v, C)) return fail(env, "batchNormTraining: bad arguments");
  float *beta = v[0], *movingMean = v[1], *movingVariance = v[2], *mean = v[3], *variance = v[4];
  const int64_t channels = static_cast<int64_t>(C), rows = static_cast<int64_t>(n / C);
  const auto sums = channelSums(rows, channels, [&](int64_t r, double* sum, double* sumSq) {
    const float* row = x + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      const double value = row[c];
      sum[c] += value;
      sumSq[c] += value * value;
    }
  });
  std::vector<float> scale(C), shift(C);
  const float decay = static_cast<float>(1.0 - momentum);
  for (int64_t c = 0; c < channels; c++) {
    const double m = sums[c] / rows;
    const double var = std::max(sums[channels + c] / rows - m * m, 0.0);
    mean[c] = static_cast<float>(m);
    variance[c] = static_cast<float>(var);
    scale[c] = static_cast<float>(gamma[c] / std::sqrt(var + epsilon));
    shift[c] = beta[c] - mean[c] * scale[c];
    v[5][c] = movingMean[c] - (movingMean[c] - mean[c]) * decay;
    v[6][c] = movingVariance[c] - (movingVariance[c] - variance[c]) * decay;
  }
  fmnist::affineRows(x, y, rows, channels, scale.data(), shift.data());
  return nullptr;
}

napi_value BatchNormTrainingGrad(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  float *dy, *x, *dx, *gamma;
  size_t n, xLen, dxLen, C;
  double epsilon;
  if (!readArgs(env, info, 9, argv) || !floatArray(env, argv[0], &dy, &n) || !floatArray(env, argv[1], &x, &xLen) ||
      !floatArray(env, argv[2], &gamma, &C) || C == 0 || n % C != 0 || xLen != n ||
      napi_get_value_double(env, argv[5], &epsilon) != napi_ok || !floatArray(env, argv[6], &dx, &dxLen) ||
      dxLen != n) {
    return fail(env, "batchNormTrainingGrad: bad arguments");
  }
  float* v[4];  // mean, variance, dgamma, dbeta
  if (!vectors(env, argv, {3, 4, 7, 8}, v, C)) return fail(env, "batchNormTrainingGrad: bad arguments");
  float *mean = v[0], *variance = v[1], *dgamma = v[2], *dbeta = v[3];
  const int64_t channels = static_cast<int64_t>(C), rows = static_cast<int64_t>(n / C);
  const auto sums = channelSums(rows, channels, [&](int64_t r, double* sumDy, double* sumDyXmu) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      sumDy[c] += g[c];
      sumDyXmu[c] += static_cast<double>(g[c]) * (in[c] - mean[c]);
    }
  });
  // dx = a * dy + b * x + d per channel, with the sums folded into a, b and d.
  std::vector<float> a(C), b(C), d(C);
  for (int64_t c = 0; c < channels; c++) {
    const double invStd = 1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon);
    dbeta[c] = static_cast<float>(sums[c]);
    dgamma[c] = static_cast<float>(sums[channels + c] * invStd);
    const double k = gamma[c] * invStd;
    const double meanDy = sums[c] / rows, meanDyXhat = sums[channels + c] * invStd / rows;
    a[c] = static_cast<float>(k);
    b[c] = static_cast<float>(-k * meanDyXhat * invStd);
    d[c] = static_cast<float>(-k * meanDy + k * meanDyXhat * invStd * mean[c]);
  }
  const int threads = fmnist::threadsFor(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (int64_t c = 0; c < channels; c++) out[c] = a[c] * g[c] + b[c] * in[c] + d[c];
  }
  return nullptr;
}

}  // namespace

void fmnist::registerBatchNorm(napi_env env, napi_value exports) {
  exportFunctions(env, exports,
                  {{"batchNormTraining", BatchNormTraining},
                   {"batchNormTrainingGrad", BatchNormTrainingGrad}});
}
