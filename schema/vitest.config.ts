import { defineProject } from "vitest/config";
import { project } from "../vitest.shared.js";

export default defineProject(project({ name: "schema", include: ["test/**/*.test.ts"] }));
