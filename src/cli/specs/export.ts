import {command} from "../command.js";
import {anyModelFlag, jobFlags, jobOptions} from "../commonFlags.js";
import {flag, pickValues} from "../flags.js";

export const exportSpec = command({
  summary:
    "embeddings of the test images (or --split train|all) for the TensorBoard Projector, with PCA, t-SNE, UMAP and pictures",
  stopMessage: "stopping; nothing will be written (Ctrl-C again to abort now)…",
  flags: {
    ...anyModelFlag,
    out: flag.string("DIR", "folder to write; replaced as a whole at the end (default projector)"),
    split: flag.choice(
      ["test", "train", "all"] as const,
      "which images: test (default, 10000), train (60000) or all (70000, test first; metadata.tsv says which)"
    ),
    count: flag.int("N", "use the first N images of the split (default all of them)", {min: 16}),
    projections: flag.string("LIST", "comma-separated list of pca, tsne, umap (default all three)"),
    dims: flag.string("LIST", "output dimensions of the projections: 2, 3 or 2,3 (default 2,3)"),
    seed: flag.int("N", "seed of t-SNE, UMAP and the quality samples (default 42); same seed, same bytes", {min: 0}),
    baseUrl: flag.string(
      "URL",
      "where the files will be served, for config.json (default http://localhost:8000/projector)"
    ),
    tsneIterations: flag.int("N", "t-SNE gradient-descent iterations (default 1000)"),
    trainingExamples: flag.int(
      "N",
      "training images (with embeddings) shipped for the web app's nearest examples (default 10000, 0: none)",
      {min: 0, max: 60_000}
    ),
    ...jobFlags
  },
  async run(values, _positionals, effects) {
    const {exportCommand, parseDims, parseProjections} = await import("../commands/export.js");
    await exportCommand(
      {
        ...pickValues(values, [
          "model",
          "out",
          "split",
          "count",
          "seed",
          "baseUrl",
          "tsneIterations",
          "trainingExamples"
        ]),
        projections: values.projections === undefined ? undefined : parseProjections(values.projections),
        dims: values.dims === undefined ? undefined : parseDims(values.dims),
        ...jobOptions(values)
      },
      effects
    );
    return 0;
  }
});
