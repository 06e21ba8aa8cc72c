/** Builds the web app from web/ into dist/web, with relative URLs so it works under any folder. */
import {fileURLToPath} from "node:url";

import {defineConfig} from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  // No public/ folder: every asset is imported, so the build lists them all.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // TF.js alone is about 1.5 MB minified; it is one chunk loaded once, from this machine. h5wasm's
    // browser build (4.8 MB, its WebAssembly inlined) is loaded only when a user drops a Keras file.
    chunkSizeWarningLimit: 5000,
    target: "es2022",
    sourcemap: true
  },
  worker: {format: "es"}
});
