// The optional native addon (native/build/fmnist_native.node, built by native/build.sh): oneDNN
// convolutions (dnnl_conv.cc), a few memory-bound kernels (heap_kernels.cc) and batch
// normalisation in training (batch_norm.cc), all working in place on Float32Array views of the
// TF.js WASM backend's heap, the iteration of Barnes-Hut t-SNE (tsne.cc, on Float64Arrays) UMAP's batch-mode epochs
// (umap.cc) and exact kNN candidates (knn.cc).
// Loaded by src/node/backend/nativeAddon.ts.
#include "napi_args.h"

namespace {
napi_value Init(napi_env env, napi_value exports) {
  fmnist::registerConv(env, exports);
  fmnist::registerHeapKernels(env, exports);
  fmnist::registerBatchNorm(env, exports);
  fmnist::registerTsne(env, exports);
  fmnist::registerUmap(env, exports);
  fmnist::registerKnn(env, exports);
  return exports;
}
}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
