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

// The few ERPNext (and Frappe utility) behaviours the stand-in follows live under src/erpnext, in
// files named after the ERPNext path they follow; their first line says which file and version.
const ERPNEXT = new URL("../src/erpnext/", import.meta.url).pathname;

describe("the stand-in's ERPNext", () => {
  const follows = files(ERPNEXT).filter((f) => f.endsWith(".ts") && !f.endsWith("index.ts"));
  it.each(follows.map((f) => relative(ERPNEXT, f)))("%s names what it follows", (file) => {
    const first = readFileSync(join(ERPNEXT, file), "utf8").split("\n")[0]!;
    const match =
      /^\/\/ Follows ((?:erpnext|frappe)\/[\w/]+\.py) \((?:ERPNext|Frappe) [\d.]+\)/.exec(first);
    expect(match, first).not.toBeNull();
    if (match![1]!.startsWith("erpnext/"))
      expect(match![1]).toBe(`erpnext/${file.replace(/\.ts$/, ".py")}`);
  });
});
