import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { userAttrs, userAttrValue } from "../../core/json.js";

/** A ValueError whose message has every one of `parts`. */
const refusal =
  (...parts: string[]) =>
  (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
    for (const part of parts) assert.ok(e.message.includes(part), `${JSON.stringify(e.message)} lacks ${JSON.stringify(part)}`);
    return true;
  };

describe("userAttrValue", () => {
  it("copies JSON values, Dates as ISO strings, and keeps NaN and ±Infinity as Optuna does", () => {
    const when = new Date("2024-05-01T12:00:00.000Z");
    const value = { a: [1, "two", null, true, { b: when }], n: NaN, big: Infinity, small: -Infinity };
    const copy = userAttrValue("where", "k", value);
    assert.deepEqual(copy, { a: [1, "two", null, true, { b: "2024-05-01T12:00:00.000Z" }], n: NaN, big: Infinity, small: -Infinity });
    assert.notEqual(copy, value);
    assert.equal(userAttrValue("where", "k", when), "2024-05-01T12:00:00.000Z");
    assert.deepEqual(userAttrValue("where", "k", Object.assign(Object.create(null), { x: 1 })), { x: 1 });
    const parsed = JSON.parse('{"__proto__": 1}') as object;
    assert.deepEqual(Object.keys(userAttrValue("where", "k", parsed) as object), ["__proto__"]);
  });

  it("takes a value shared twice (not a cycle)", () => {
    const shared = [1, 2];
    assert.deepEqual(userAttrValue("where", "k", { a: shared, b: shared }), { a: [1, 2], b: [1, 2] });
  });

  const refused: [string, unknown, string, string][] = [
    ["BigInt", 12n, "a BigInt (12n)", "Number("],
    ["Map", new Map([["a", 1]]), "a Map", "Object.fromEntries"],
    ["Set", new Set([1]), "a Set", "[...set]"],
    ["RegExp", /ab+/, "a RegExp", "String("],
    ["undefined", undefined, "undefined", "null"],
    ["function", () => 1, "a function", "JSON"],
    ["symbol", Symbol("s"), "a symbol", "JSON"],
    ["class instance", new (class Scaler {})(), "a Scaler object", "plain object"],
    ["typed array", new Float64Array(2), "a Float64Array", "Array.from"],
    ["invalid Date", new Date(Number.NaN), "an invalid Date", "valid"],
  ];
  for (const [name, value, kind, hint] of refused) {
    it(`refuses a ${name} naming the key, the kind and the fix, at the top and nested`, () => {
      assert.throws(() => userAttrValue("trial.setUserAttr", "cfg", value), refusal("trial.setUserAttr", '"cfg"', kind, hint));
      assert.throws(
        () => userAttrValue("trial.setUserAttr", "cfg", { layers: [1, { inner: value }] }),
        refusal("trial.setUserAttr", '"cfg"', "layers[1].inner", kind, hint),
      );
    });
  }

  it("refuses sparse arrays' holes like undefined", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    assert.throws(() => userAttrValue("w", "k", [1, , 3]), refusal('"k"', "[1]", "undefined"));
  });

  it("refuses cycles clearly", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.throws(() => userAttrValue("study.setUserAttr", "loop", cyclic), refusal("study.setUserAttr", '"loop"', ".self", "cycle"));
    const list: unknown[] = [];
    list.push({ back: list });
    assert.throws(() => userAttrValue("w", "loop", list), refusal('"loop"', "[0].back", "cycle"));
  });

  it("refuses keys that are not non-empty strings", () => {
    assert.throws(() => userAttrValue("study.setUserAttr", "", 1), refusal("study.setUserAttr", "key", '""'));
    assert.throws(() => userAttrValue("study.setUserAttr", 3 as never, 1), refusal("study.setUserAttr", "key", "3"));
    assert.throws(() => userAttrValue("trial.setUserAttr", "k".repeat(600), 1), refusal("trial.setUserAttr", "key", "600 characters"));
  });
});

describe("userAttrs", () => {
  it("copies a record of attributes, each by the same rule", () => {
    assert.deepEqual(userAttrs("addTrial", { a: 1, when: new Date(0) }), { a: 1, when: "1970-01-01T00:00:00.000Z" });
    assert.deepEqual(userAttrs("addTrial", undefined), {});
    assert.throws(() => userAttrs("addTrial", { a: 1, b: new Set() }), refusal("addTrial", '"b"', "a Set"));
  });

  it("refuses what is not an object of attributes", () => {
    for (const bad of [null, 3, "x", [1], new Map()]) {
      assert.throws(() => userAttrs("enqueueTrial", bad), refusal("enqueueTrial", "userAttrs must be an object"));
    }
  });
});
