#!/usr/bin/env node
// The built CLI (lib/). In a checkout that was not built, the TypeScript source through tsx, in
// this same process (a kill reaches the CLI itself), resolving the workspace packages to their
// sources through the `source` export condition.
import { existsSync } from "node:fs";
import { register } from "node:module";
import { URL } from "node:url";

const built = new URL("../lib/cli.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const addSource = `export function resolve(specifier, context, next) {
    return next(specifier, { ...context, conditions: [...context.conditions, "source"] });
  }`;
  register(`data:text/javascript,${encodeURIComponent(addSource)}`);
  const { register: tsx } = await import("tsx/esm/api");
  tsx();
  await import(new URL("../src/cli.ts", import.meta.url).href);
}
