import { defineConfig } from "vitest/config";

// One root `npm test`: every workspace package is a vitest project, run against source.
export default defineConfig({
  test: {
    projects: ["schema", "rules", "ts-client", "frappe-standin", "workers", "cli", "contract"],
  },
});
