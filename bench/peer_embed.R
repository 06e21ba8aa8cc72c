# Embedding peers from Debian for `npm run bench -- --embed` (bench/embedPeers.ts):
#   Rscript peer_embed.R rtsne|uwot INPUT N DIM OUTPUT THREADS ITERATIONS
# INPUT: N x DIM little-endian float32, row-major. Writes the 2-D layout to OUTPUT as float64
# (row-major) and prints one JSON line: wall and CPU seconds of the embedding call alone.
args <- commandArgs(trailingOnly = TRUE)
method <- args[1]
n <- as.integer(args[3])
dim <- as.integer(args[4])
threads <- as.integer(args[6])
iterations <- as.integer(args[7])
x <- matrix(readBin(args[2], "numeric", n * dim, size = 4, endian = "little"), nrow = n, byrow = TRUE)
set.seed(42)
if (method == "rtsne") {
  suppressPackageStartupMessages(library(Rtsne))
  version <- as.character(packageVersion("Rtsne"))
  t0 <- proc.time()
  y <- Rtsne(x, dims = 2, perplexity = 30, theta = 0.5, max_iter = iterations, pca = FALSE,
             normalize = FALSE, check_duplicates = FALSE, eta = max(n / 48, 50),
             num_threads = threads, verbose = FALSE)$Y
} else {
  suppressPackageStartupMessages(library(uwot))
  version <- as.character(packageVersion("uwot"))
  t0 <- proc.time()
  y <- umap(x, n_neighbors = 15, min_dist = 0.1, n_epochs = iterations, n_threads = threads,
            n_sgd_threads = threads, verbose = FALSE)
}
t <- proc.time() - t0
writeBin(as.vector(t(y)), args[5], size = 8, endian = "little")
cpu <- t[["user.self"]] + t[["sys.self"]]
cat(sprintf('{"seconds": %.4f, "cpuSeconds": %.4f, "version": "%s"}\n', t[["elapsed"]], cpu, version))
