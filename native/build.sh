#!/bin/sh
# Builds native/build/fmnist_native.node (scripts/buildNative.mjs runs it in `npm run build`): needs g++,
# Node's headers (next to the running node, or Debian's /usr/include/node) and libdnnl-dev.
set -e
cd "$(dirname "$0")"
mkdir -p build
g++ -O3 -std=c++17 -shared -fPIC -fopenmp -DNODE_GYP_MODULE_NAME=fmnist_native \
  -I"$(node -p 'require("path").resolve(process.execPath, "../../include/node")')" -I/usr/include/node \
  -o build/fmnist_native.node.tmp addon.cc dnnl_conv.cc heap_kernels.cc batch_norm.cc -ldnnl
mv build/fmnist_native.node.tmp build/fmnist_native.node
