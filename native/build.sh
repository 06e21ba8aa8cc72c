#!/bin/sh
# Builds native/build/dnnl_conv.node (prototype): needs g++, Node's headers and libdnnl-dev.
set -e
cd "$(dirname "$0")"
mkdir -p build
g++ -O2 -std=c++17 -shared -fPIC -DNODE_GYP_MODULE_NAME=dnnl_conv -I/usr/include/node -o build/dnnl_conv.node dnnl_conv.cc -ldnnl
