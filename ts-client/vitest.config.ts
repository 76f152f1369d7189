import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "ts-client",
    include: ["test/**/*.test.ts"],
  },
});
