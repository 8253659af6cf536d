import { defineConfig } from "vitest/config";

// Unit tests: everything that needs no outside service. End-to-end tests (`*.e2e.test.ts`)
// need a Docker engine and registries and run through vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "bench/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/*.e2e.test.ts", "node_modules/**", "dist/**"],
    testTimeout: 20_000,
  },
});
