import { defineConfig } from "vitest/config";

// End-to-end tests with a real Docker engine and registry. `.ci/run` starts those services;
// the tests fail (never skip) when they are missing.
export default defineConfig({
  test: {
    include: ["src/**/*.e2e.test.ts", "test/**/*.e2e.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
