#!/bin/sh
# Builds native/build/dnnl_conv.node (scripts/buildNative.mjs runs it in `npm run build`): needs g++,
# Node's headers (next to the running node, or Debian's /usr/include/node) and libdnnl-dev.
set -e
cd "$(dirname "$0")"
mkdir -p build
g++ -O2 -std=c++17 -shared -fPIC -DNODE_GYP_MODULE_NAME=dnnl_conv -I"$(node -p 'require("path").resolve(process.execPath, "../../include/node")')" -I/usr/include/node -o build/dnnl_conv.node dnnl_conv.cc -ldnnl
