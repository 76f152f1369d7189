import { defineConfig } from "vitest/config";
import { project } from "./vitest.shared.js";

// The slow tier: soak, crash and packaging tests, one file at a time (`npm run test:slow`).
export default defineConfig(
  project({
    name: "slow",
    include: ["*/test/**/*.slow.test.ts"],
    exclude: ["**/node_modules/**"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  }),
);
