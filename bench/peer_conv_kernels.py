#!/usr/bin/python3
"""Per-kernel peer timing: the CNN's six convolutions at one batch size in PyTorch (Debian's
python3-torch, whose CPU convolutions are oneDNN 2.6, the library Debian ships as libdnnl).

For each layer: forward convolution with bias, gradient with respect to the input, gradient
with respect to the filter (aten::convolution_backward with one output at a time, as autograd
runs it). Median and minimum milliseconds over --steps after 2 warm-up runs, as one JSON line.

usage: /usr/bin/python3 peer_conv_kernels.py [--batch 128] [--steps 8] [--threads N]
"""
import argparse, json, os, statistics, time

ap = argparse.ArgumentParser()
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--steps", type=int, default=8)
ap.add_argument("--threads", type=int, default=os.cpu_count())
a = ap.parse_args()

import torch

torch.set_num_threads(a.threads)
torch.manual_seed(0)
# (input size, input channels, padding) of the six 3x3, 64-filter convolutions.
LAYERS = [(28, 1, 0), (26, 64, 1), (13, 64, 0), (11, 64, 1), (5, 64, 0), (3, 64, 1)]


def times_ms(f, n, warm=2):
    for _ in range(warm):
        f()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1000)
    return {"median": round(statistics.median(ts), 2), "min": round(min(ts), 2)}


rows = []
with torch.no_grad():
    for size, cin, pad in LAYERS:
        x = torch.rand(a.batch, cin, size, size)
        w = torch.rand(64, cin, 3, 3) - 0.5
        b = torch.rand(64)
        y = torch.nn.functional.conv2d(x, w, b, padding=pad)
        dy = torch.rand_like(y)

        def backward(mask):
            return torch.ops.aten.convolution_backward(
                dy, x, w, [64], [1, 1], [pad, pad], [1, 1], False, [0, 0], 1, mask)

        rows.append({
            "input": [a.batch, size, size, cin],
            "pad": "same" if pad else "valid",
            "forward": times_ms(lambda: torch.nn.functional.conv2d(x, w, b, padding=pad), a.steps),
            "inputGrad": times_ms(lambda: backward([True, False, False]), a.steps),
            "filterGrad": times_ms(lambda: backward([False, True, False]), a.steps),
        })
print(json.dumps({"peer": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
                  "mkldnn": torch.backends.mkldnn.is_available(), "layers": rows}))
