/**
 * The layers and what each may import (`npm run lint:deps`, part of `npm test`). One rule per layer,
 * checked on every import edge, so that a rule holds for everything a file reaches: a core file may
 * import only core files and the isomorphic packages below, hence nothing it reaches can be Node-only.
 *
 *   src/core  isomorphic: runs in Node and in the browser
 *   src/node  Node only: files, sharp, the native addon, the HTTP server
 *   src/cli   the `fmnist` command line over both
 *   web/src   the browser app: its own files and src/core
 */
/** Packages that run unchanged in the browser: the only ones core and the web app may import. */
const ISOMORPHIC_PACKAGES = [
  "@tensorflow/tfjs",
  "@tensorflow/tfjs-backend-wasm",
  "ml-matrix",
  "three",
  "zod",
  // h5wasm's browser build (its Node build, h5wasm/node, is Node-only): the web app reads dropped .h5 files.
  "h5wasm/dist/esm"
];
const isomorphic = `^node_modules/(${ISOMORPHIC_PACKAGES.map((p) => p.replace(/[/.]/g, "\\$&")).join("|")})($|/)`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle: split out what both sides need.",
      severity: "error",
      from: {},
      to: {circular: true}
    },
    {
      name: "core-is-isomorphic",
      comment: "src/core runs in the browser too: it may import src/core and the isomorphic packages only.",
      severity: "error",
      from: {path: "^src/core/"},
      to: {pathNot: [`^src/core/`, isomorphic]}
    },
    {
      name: "web-imports-core-only",
      comment: "The web app imports its own files, src/core and the isomorphic packages only.",
      severity: "error",
      from: {path: "^web/src/"},
      to: {pathNot: [`^web/src/`, `^src/core/`, isomorphic, "\\.css$"]}
    },
    {
      name: "node-below-cli",
      comment: "src/node is a library under the CLI: it never imports the command line.",
      severity: "error",
      from: {path: "^src/node/"},
      to: {path: "^(src/cli|web/src)/"}
    },
    {
      name: "src-not-web",
      comment: "Nothing in src imports the web app.",
      severity: "error",
      from: {path: "^src/"},
      to: {path: "^web/"}
    }
  ],
  options: {
    doNotFollow: {path: "node_modules"},
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: {fileName: "tsconfig.json"},
    enhancedResolveOptions: {exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"]},
    exclude: {path: "^dist/"}
  }
};
