import { defineProject } from "vitest/config";
import { project } from "../vitest.shared.js";

export default defineProject(
  project({
    name: "workers",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  }),
);
