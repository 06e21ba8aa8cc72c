import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    // TF.js state (backend, kernel registry) is per process: isolate test files in forks.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only fight over them.
    maxWorkers: 2,
    fileParallelism: true,
    projects: [
      {extends: true, test: {name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/e2e/**"]}},
      {
        // The WASM and JavaScript kernels that the native addon replaces when it is built: their
        // tests again, with the addon switched off.
        extends: true,
        test: {
          name: "wasm-only",
          include: [
            "test/backend/wasmReduceAndJsKernels.test.ts",
            "test/backend/batchNormGradient.test.ts",
            "test/backend/convGradKernels.test.ts",
            "test/model/train.test.ts",
            "test/model/trainingConv2D.test.ts",
            "test/model/trainingBatchNorm.test.ts",
            "test/cli/golden.test.ts"
          ],
          env: {FMNIST_NATIVE: "0"}
        }
      },
      {
        // End-to-end tests in Chromium: one file at a time, after the app is built and an export made.
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/globalSetup.ts"],
          fileParallelism: false,
          hookTimeout: 600_000
        }
      }
    ]
  }
});
