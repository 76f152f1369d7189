#!/usr/bin/env node
// Runs the TypeScript source directly (no build step), as the rest of the kit does.
import process from "node:process";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv);
