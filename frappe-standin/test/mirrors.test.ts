import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The stand-in follows the app: each file under src/app mirrors the Python file of the same
// path in erpnext-app/gigafibre_fsm and says so on its first line, so a change to one shows
// where the other must move. (index.ts files only wire mirrors together.)
const APP = new URL("../src/app/", import.meta.url).pathname;
const PY = new URL("../../erpnext-app/gigafibre_fsm/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe("the stand-in's app", () => {
  const mirrors = files(APP).filter((f) => f.endsWith(".ts") && !f.endsWith("index.ts"));
  it.each(mirrors.map((f) => relative(APP, f)))("%s names the Python file it follows", (file) => {
    const python = file.replace(/\.ts$/, ".py");
    const first = readFileSync(join(APP, file), "utf8").split("\n")[0];
    expect(first).toBe(`// Mirror of erpnext-app/gigafibre_fsm/${python}`);
    expect(existsSync(join(PY, python)), `${python} exists`).toBe(true);
  });
});
