import { defaultServerConditions } from "vite";
import type { ViteUserConfig } from "vitest/config";

type TestOptions = NonNullable<ViteUserConfig["test"]>;

/**
 * One workspace package's vitest project. Workspace packages export their TypeScript source under
 * the `source` condition: tests run it. What a passing test logs stays out of the output.
 */
export function project(test: TestOptions): ViteUserConfig {
  return {
    resolve: { conditions: ["source", ...defaultServerConditions] },
    ssr: {
      resolve: {
        conditions: ["source", ...defaultServerConditions],
        externalConditions: ["source"],
      },
    },
    // *.slow.test.ts belong to the slow tier (vitest.slow.config.ts), run after the others.
    test: {
      silent: "passed-only",
      // Background work logging after its test ended (a worker's retry, a late webhook) belongs
      // to no test: it would reach the output whatever the verdict, so it is dropped.
      onConsoleLog: (_log, _type, entity) => entity?.type === "test",
      exclude: ["**/node_modules/**", "**/*.slow.test.ts"],
      ...test,
    },
  };
}
