import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // TF.js state (backend, kernel registry) is per process: isolate test files in forks.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only fight over them.
    maxWorkers: 2,
    fileParallelism: true
  }
});
