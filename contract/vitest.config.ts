import { defineProject } from "vitest/config";
import { project } from "../vitest.shared.js";

export default defineProject(
  project({
    name: "contract",
    include: ["test/**/*.test.ts"],
    // A real site answers in tens of milliseconds per request and these tests make hundreds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  }),
);
