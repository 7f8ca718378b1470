import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    setupFiles: ["test/setup.ts"],
    // Tests that spawn the built binary need `npm run build` first; globalSetup does it once.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
  },
  bench: {
    include: ["bench/**/*.bench.ts", "bench/**/*.bench.tsx"],
  },
});
