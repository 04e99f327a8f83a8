import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { confidenceBeta, foldError, regretBound } from "../../../tune/stopping/index.js";
import { topTrials } from "../../../tune/stopping/regret-bound.js";

/** A COMPLETE trial at (x, kernel) with this value. */
function trial(number: number, x: number, kernel: string, value: number): TrialRecord {
  return {
    trialId: number,
    number,
    state: "COMPLETE",
    params: { x, kernel, fixed: 1 },
    distributions: {
      x: { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } },
      kernel: { name: "CategoricalDistribution", attributes: { choices: ["rbf", "linear"] } },
      fixed: { name: "IntDistribution", attributes: { low: 1, high: 1, log: false, step: 1 } },
    },
    value,
    values: [value],
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/** 30 trials of a bumpy function of x with a categorical offset, mapped through `scale`. */
function trials(scale: (v: number) => number): TrialRecord[] {
  const rng = new Rng(4);
  return Array.from({ length: 30 }, (_, i) => {
    const x = rng.random();
    const kernel = i % 3 === 0 ? "linear" : "rbf";
    return trial(i, x, kernel, scale(Math.sin(6 * x) + (kernel === "rbf" ? 0.3 : 0) + 0.05 * rng.normal()));
  });
}

const bound = (list: readonly TrialRecord[], direction: StudyDirection, seed = 1) =>
  regretBound(list, direction, { minTrials: 10, topTrialsRatio: 0.5, rng: new Rng(seed) });

describe("the regret bound", () => {
  test("β and the statistical error are Optuna's formulas (values from numpy)", () => {
    assert.ok(Math.abs(confidenceBeta(2, 10) - 3.239441104805131) < 1e-12);
    assert.ok(Math.abs(confidenceBeta(1, 20) - 3.516699977029109) < 1e-12);
    assert.ok(Math.abs(foldError([0.81, 0.79, 0.84, 0.8, 0.77]) - 0.015530614926653733) < 1e-15);
    assert.ok(Math.abs(foldError([1, 2, 3, 4]) - 0.8539125638299665) < 1e-15);
  });

  test("top trials: the best max(minTrials, ⌊n·ratio⌋), with ties, or all when fewer", () => {
    const rows = ["a", "b", "c", "d", "e"];
    assert.deepEqual(topTrials(rows, [3, 1, 2, 2, 5], 2, 0.5), ["a", "e"]);
    assert.deepEqual(topTrials(rows, [3, 1, 2, 2, 5], 3, 0.5), ["a", "c", "d", "e"], "the third place is shared");
    assert.deepEqual(topTrials(rows, [3, 1, 2, 2, 5], 1, 0.2), ["e"]);
    assert.deepEqual(topTrials(rows, [3, 1, 2, 2, 5], 9, 0.5), rows);
    assert.deepEqual(topTrials(rows, [3, 1, 2, 2, 5], 1, 1), rows);
  });

  test("is on the objective's scale: it scales with the values and ignores a shift", () => {
    const base = bound(
      trials((v) => v),
      "maximize",
    );
    assert.ok(base > 0 && Number.isFinite(base), `bound ${base}`);
    const scaled = bound(
      trials((v) => 1000 * v - 7),
      "maximize",
    );
    assert.ok(Math.abs(scaled / base - 1000) < 1e-3 * 1000, `${scaled} vs 1000 × ${base}`);
  });

  test("minimising values is maximising their negatives", () => {
    const up = bound(
      trials((v) => v),
      "maximize",
    );
    const down = bound(
      trials((v) => -v),
      "minimize",
    );
    assert.ok(Math.abs(up - down) < 1e-9 * Math.abs(up), `${up} vs ${down}`);
  });

  test("the seed fixes it; another seed moves it only a little (2048 random points)", () => {
    const list = trials((v) => v);
    assert.equal(bound(list, "maximize", 3), bound(list, "maximize", 3));
    const a = bound(list, "maximize", 3);
    const b = bound(list, "maximize", 4);
    assert.ok(Math.abs(a - b) < 0.1 * a, `${a} vs ${b}`);
  });

  test("is small where more trials cannot help: a flat function sampled densely", () => {
    const rng = new Rng(2);
    const flat = Array.from({ length: 60 }, (_, i) => trial(i, rng.random(), i % 2 ? "rbf" : "linear", 1 + 1e-3 * rng.normal()));
    const bumpy = bound(
      trials((v) => v),
      "maximize",
    );
    const level = bound(flat, "maximize");
    assert.ok(level < 0.02 && level < bumpy / 20, `flat ${level}, bumpy ${bumpy}`);
  });
});
