import { describe, expect, it } from "vitest";
import { parsePyJson, pyFloatRepr, pyJsonDumps } from "../src/webhooks/pyjson.js";

// Values printed by CPython 3.11: repr(float) and json.dumps(json.loads(text)).
describe("Python's float repr", () => {
  it.each([
    [1e-5, "1e-05"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [0.0001, "0.0001"],
    [123.456, "123.456"],
    [5, "5.0"],
    [1e15, "1000000000000000.0"],
    [1.2345678901234567e19, "1.2345678901234567e+19"],
    [-2.5e-7, "-2.5e-07"],
    [0.1, "0.1"],
  ])("%d is %s", (v, text) => expect(pyFloatRepr(v)).toBe(text));

  it("a body re-serialised as Frappe sends it", () => {
    expect(
      pyJsonDumps(parsePyJson('{"a": 0.00001, "b": 10000000000000000.0, "c": 7, "d": 2.50}')),
    ).toBe('{"a": 1e-05, "b": 1e+16, "c": 7, "d": 2.5}');
  });
});
