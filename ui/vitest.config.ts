import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

// Pure helpers run under Node; component tests opt into jsdom with a
// `// @vitest-environment jsdom` line at the top of their file.
export default mergeConfig(
  viteConfig,
  defineConfig({
    plugins: [svelteTesting()],
    test: {
      include: ["src/**/*.test.ts"],
      environment: "node",
      // Every test sets up the answers it needs from the mocked api.ts.
      mockReset: true,
      restoreMocks: true,
    },
  }),
);
