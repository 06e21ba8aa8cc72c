// Small helpers for reading Node-API arguments in the native kernels (dnnl_conv.cc, heap_kernels.cc, tsne.cc, umap.cc, knn.cc).
#pragma once
#include <node_api.h>

#include <cstdint>
#include <initializer_list>

namespace fmnist {

// The data and length of a typed array of `expected` type (e.g. napi_float64_array); false for anything else.
template <typename T>
inline bool typedArray(napi_env env, napi_value v, napi_typedarray_type expected, T** data, size_t* length) {
  napi_typedarray_type type;
  void* ptr;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, &buffer, &offset) != napi_ok) return false;
  *data = static_cast<T*>(ptr);
  return type == expected;
}

// The float32 data and length of a Float32Array argument; false for anything else.
inline bool floatArray(napi_env env, napi_value v, float** data, size_t* length) {
  return typedArray(env, v, napi_float32_array, data, length);
}

// An integer argument; false when it is not a number.
inline bool intArg(napi_env env, napi_value v, int64_t* out) { return napi_get_value_int64(env, v, out) == napi_ok; }

inline napi_value fail(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

// A function the addon exports, by name.
struct Export {
  const char* name;
  napi_callback fn;
};

// Adds each `fn` as exports[name].
inline void exportFunctions(napi_env env, napi_value exports, std::initializer_list<Export> functions) {
  for (const Export& e : functions) {
    napi_value f;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &f);
    napi_set_named_property(env, exports, e.name, f);
  }
}

void registerConv(napi_env env, napi_value exports);
void registerHeapKernels(napi_env env, napi_value exports);
void registerBatchNorm(napi_env env, napi_value exports);
void registerTsne(napi_env env, napi_value exports);
void registerUmap(napi_env env, napi_value exports);
void registerKnn(napi_env env, napi_value exports);

}  // namespace fmnist
