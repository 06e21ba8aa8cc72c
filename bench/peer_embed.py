"""scikit-learn's Barnes-Hut t-SNE for `npm run bench -- --embed` (bench/embedPeers.ts).

    /usr/bin/python3 peer_embed.py INPUT N DIM OUTPUT THREADS ITERATIONS

INPUT: N x DIM little-endian float32, row-major. Writes the 2-D layout to OUTPUT as float64
(row-major) and prints one JSON line: wall and CPU seconds of the fit alone.
"""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE

path, n, dim, output, threads, iterations = sys.argv[1:7]
x = np.fromfile(path, dtype="<f4", count=int(n) * int(dim)).reshape(int(n), int(dim))
tsne = TSNE(
    n_components=2,
    perplexity=30,
    n_iter=int(iterations),
    method="barnes_hut",
    angle=0.5,
    init="pca",
    learning_rate="auto",
    n_jobs=int(threads),
    random_state=42,
)
wall0, cpu0 = time.perf_counter(), time.process_time()
y = tsne.fit_transform(x)
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
np.ascontiguousarray(y, dtype="<f8").tofile(output)
print(json.dumps({"seconds": round(wall, 4), "cpuSeconds": round(cpu, 4), "version": sklearn.__version__}))
