import { defineConfig } from "vitest/config";

// One app window, driven step by step: no parallelism, and generous timeouts
// because the first step waits for the app to start and sync on a 2-core machine.
export default defineConfig({
  test: {
    include: ["*.test.ts"],
    environment: "node",
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
