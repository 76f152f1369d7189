import { defineConfig } from "vitest/config";

// One root `npm test`: every workspace package is a vitest project, run against source.
export default defineConfig({
  test: {
    // What a passing test logs stays out of the output (a reporter setting: the root's).
    silent: "passed-only",
    projects: ["schema", "rules", "ts-client", "frappe-standin", "workers", "cli", "contract"],
  },
});
