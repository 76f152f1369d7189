import { defineProject } from "vitest/config";
import { project } from "../vitest.shared.js";

export default defineProject(
  project({
    name: "cli",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  }),
);
