import { defineConfig } from "vitest/config";
import { project } from "./vitest.shared.js";

// Desk in Chromium against a real ERPNext site (FSM_DESK_URL): `npm run test:desk`.
export default defineConfig(
  project({
    name: "desk",
    include: ["contract/desk/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  }),
);
