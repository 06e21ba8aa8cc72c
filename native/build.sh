#!/bin/sh
# Builds native/build/fmnist_native.node (scripts/buildNative.mjs runs it in `npm run build`): needs g++,
# Node's headers (next to the running node, or Debian's /usr/include/node) and libdnnl-dev.
set -e
cd "$(dirname "$0")"
mkdir -p build
FLAGS="-O3 -std=c++17 -fPIC -fopenmp -DNODE_GYP_MODULE_NAME=fmnist_native
  -I$(node -p 'require("path").resolve(process.execPath, "../../include/node")') -I/usr/include/node"
# t-SNE, UMAP and kNN must round as V8 does (the same bytes as the JavaScript path): no fused multiply-add, no
# -ffast-math. On x86-64 the forces and the kNN kernel are compiled a second time for AVX2, picked at run time.
TSNE="build/tsne.o"
KNN="build/knn.o"
if [ "$(uname -m)" = x86_64 ]; then
  g++ $FLAGS -ffp-contract=off -mavx2 -c -o build/tsne_avx2.o tsne_avx2.cc
  g++ $FLAGS -ffp-contract=off -DFMNIST_TSNE_AVX2 -c -o build/tsne.o tsne.cc
  TSNE="build/tsne.o build/tsne_avx2.o"
  g++ $FLAGS -ffp-contract=off -mavx2 -c -o build/knn_avx2.o knn_avx2.cc
  g++ $FLAGS -ffp-contract=off -DFMNIST_KNN_AVX2 -c -o build/knn.o knn.cc
  KNN="build/knn.o build/knn_avx2.o"
else
  g++ $FLAGS -ffp-contract=off -c -o build/tsne.o tsne.cc
  g++ $FLAGS -ffp-contract=off -c -o build/knn.o knn.cc
fi
g++ $FLAGS -ffp-contract=off -c -o build/umap.o umap.cc
g++ $FLAGS -shared -o build/fmnist_native.node.tmp addon.cc dnnl_conv.cc heap_kernels.cc batch_norm.cc $TSNE build/umap.o $KNN -ldnnl
rm -f build/*.o
mv build/fmnist_native.node.tmp build/fmnist_native.node
