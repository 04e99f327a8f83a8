import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../core/errors.js";
import { checkDatetime, checkName, checkStep, MAX_NAME_LENGTH, MAX_STEP, MIN_STEP, nameProblem } from "../../core/limits.js";

const refuses =
  (...patterns: RegExp[]) =>
  (e: Error) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e.name}: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };

describe("the schema's limits", () => {
  test("the bounds are Optuna's columns: VARCHAR(512) names, 32-bit INTEGER steps", () => {
    assert.equal(MAX_NAME_LENGTH, 512);
    assert.deepEqual([MIN_STEP, MAX_STEP], [-2147483648, 2147483647]);
  });

  test("names: any Unicode text up to 512 characters (code points, as PostgreSQL counts)", () => {
    for (const name of ["", "x", "βeta 学習 🚀", "n".repeat(512), "🎯".repeat(512), "__proto__"]) {
      assert.equal(nameProblem(name), null, name);
      checkName("A parameter name", name);
    }
  });

  test("a NUL, a lone surrogate, more than 512 characters or a non-string is a ValueError naming the value and the fix", () => {
    assert.throws(() => checkName("A study name", "a\u0000b"), refuses(/^A study name "a\\u0000b" contains a NUL character/, /remove it/));
    assert.throws(() => checkName("An attribute key", "x\ud800y"), refuses(/"x\\ud800y"/, /lone surrogate/, /index 1/));
    assert.throws(() => checkName("A parameter name", "\udc00"), refuses(/lone surrogate/, /index 0/));
    assert.throws(
      () => checkName("A study name", "n".repeat(513)),
      refuses(/^A study name "n{20,}"\.\.\. is 513 characters long; at most 512 fit/, /shorter/),
    );
    assert.throws(() => checkName("A study name", "🎯".repeat(600)), refuses(/is 600 characters long/));
    assert.throws(() => checkName("A claim key", 7), refuses(/^A claim key must be a string, got 7\.$/));
  });

  test("steps: integers from -2147483648 to 2147483647", () => {
    for (const step of [0, 1, MIN_STEP, MAX_STEP]) checkStep("step", step);
    for (const bad of [MAX_STEP + 1, MIN_STEP - 1, 2 ** 53, 0.5, Number.NaN, Infinity, "3"]) {
      assert.throws(
        () => checkStep("trial.report: step", bad),
        refuses(/^trial\.report: step must be an integer from -2147483648 to 2147483647/, /got/),
        String(bad),
      );
    }
    assert.throws(() => checkStep("step", 2147483648), /got 2147483648/);
  });

  test("datetimes: valid Dates in the years 1 to 9999 (Python's datetime, which Optuna reads them with)", () => {
    const first = new Date(2000, 0, 1);
    first.setFullYear(1);
    for (const date of [new Date(), first, new Date(9999, 11, 31, 23, 59, 59)]) checkDatetime("datetimeStart", date);
    const beyond = new Date(2000, 0, 1);
    beyond.setFullYear(10000);
    assert.throws(
      () => checkDatetime("datetimeStart", beyond),
      refuses(/^datetimeStart must be a Date in the years 1 to 9999, got \+010000-/),
    );
    assert.throws(() => checkDatetime("datetimeComplete", new Date(Number.NaN)), refuses(/got Invalid Date/));
    assert.throws(() => checkDatetime("datetimeStart", "2024-01-01"), refuses(/got "2024-01-01"/));
  });
});
