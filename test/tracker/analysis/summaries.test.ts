import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import {
  bestSoFar,
  completedWithValue,
  countByState,
  downsample,
  downsampleIndices,
  ecdf,
  gridMeans,
  histogram,
} from "../../../tracker/analysis/summaries.js";
import { rec } from "../charts/helpers.js";

const trials = [
  rec(0, "COMPLETE", 5),
  rec(1, "PRUNED", null),
  rec(3, "COMPLETE", 3),
  rec(2, "COMPLETE", 7),
  rec(4, "FAIL", null),
  rec(5, "COMPLETE", 3),
  rec(6, "COMPLETE", Infinity),
  rec(7, "RUNNING", null),
];

test("counts by state and completed trials in number order", () => {
  assert.deepEqual(countByState(trials), { COMPLETE: 5, PRUNED: 1, FAIL: 1, RUNNING: 1, WAITING: 0 });
  assert.deepEqual(
    completedWithValue(trials).map((t) => t.number),
    [0, 2, 3, 5],
  );
});

test("best so far, both directions", () => {
  assert.deepEqual(bestSoFar(trials, "minimize"), [
    { number: 0, value: 5, best: 5, improved: true, feasible: true },
    { number: 2, value: 7, best: 5, improved: false, feasible: true },
    { number: 3, value: 3, best: 3, improved: true, feasible: true },
    { number: 5, value: 3, best: 3, improved: false, feasible: true },
  ]);
  assert.deepEqual(
    bestSoFar(trials, "maximize").map((p) => [p.best, p.improved]),
    [
      [5, true],
      [7, true],
      [7, false],
      [7, false],
    ],
  );
});

test("best so far with constraints: infeasible trials never set it, and it is null before the first feasible one", () => {
  const constrained = (number: number, value: number, constraints: number[]) =>
    rec(number, "COMPLETE", value, {}, { systemAttrs: { constraints } });
  const points = bestSoFar(
    [
      constrained(0, 1, [0.5]),
      constrained(1, 4, [-1, 0]),
      constrained(2, 2, [Number.NaN]),
      rec(3, "COMPLETE", 3),
      constrained(4, 0, [0, 2]),
    ],
    "minimize",
  );
  assert.deepEqual(
    points.map((p) => [p.number, p.best, p.improved, p.feasible]),
    [
      [0, null, false, false],
      [1, 4, true, true],
      [2, 4, false, false],
      [3, 3, true, true],
      [4, 3, false, false],
    ],
  );
});

test("downsampling keeps the cap, the ends, the must-keep items and an even spread", () => {
  assert.deepEqual(downsampleIndices(4, 10), [0, 1, 2, 3]);
  assert.deepEqual(downsampleIndices(10, 5), [0, 2, 5, 7, 9]);
  const kept = downsampleIndices(10_000, 100, (i) => i % 997 === 5);
  assert.equal(kept.length, 100);
  assert.equal(kept[0], 0);
  assert.equal(kept[kept.length - 1], 9999);
  for (let i = 5; i < 10_000; i += 997) assert.ok(kept.includes(i), `keeps ${i}`);
  assert.deepEqual([...new Set(kept)], kept, "no duplicates, sorted");
  // evenly spread: no gap much wider than n / cap
  const gaps = kept.slice(1).map((v, i) => v - kept[i]);
  assert.ok(Math.max(...gaps) <= 2 * (10_000 / 100), `largest gap ${Math.max(...gaps)}`);
  // when everything is a must-keep, the first ones win (plus the ends)
  assert.deepEqual(
    downsampleIndices(10, 4, () => true),
    [0, 1, 2, 9],
  );
  assert.deepEqual(downsample(["a", "b", "c", "d", "e"], 3), ["a", "c", "e"]);
  assert.throws(() => downsampleIndices(10, 0), ValueError);
});

test("histogram bins", () => {
  assert.deepEqual(histogram([0, 1, 2, 3, 4, 4, NaN], { bins: 2 }), [
    { start: 0, end: 2, count: 2 },
    { start: 2, end: 4, count: 4 },
  ]);
  assert.deepEqual(histogram([5, 5], { bins: 1 }), [{ start: 4.5, end: 5.5, count: 2 }]);
  assert.deepEqual(histogram([1, 9], { bins: 2, domain: [0, 4] }), [
    { start: 0, end: 2, count: 1 },
    { start: 2, end: 4, count: 0 },
  ]);
  assert.deepEqual(histogram([]), []);
  assert.throws(() => histogram([1], { bins: 0 }), ValueError);
});

test("empirical distribution: one step per distinct value, capped", () => {
  assert.deepEqual(ecdf([3, 1, 2, 2]), [
    { value: 1, p: 0.25 },
    { value: 2, p: 0.75 },
    { value: 3, p: 1 },
  ]);
  const many = ecdf(
    Array.from({ length: 10_000 }, (_, i) => i),
    50,
  );
  assert.equal(many.length, 50);
  assert.deepEqual(many[0], { value: 0, p: 1e-4 });
  assert.deepEqual(many[49], { value: 9999, p: 1 });
});

test("grid means", () => {
  assert.deepEqual(gridMeans([0, 1, 0, 0], [0, 0, 1, 0], [2, 5, 7, 4]), [
    { i: 0, j: 0, count: 2, mean: 3, min: 2, max: 4 },
    { i: 1, j: 0, count: 1, mean: 5, min: 5, max: 5 },
    { i: 0, j: 1, count: 1, mean: 7, min: 7, max: 7 },
  ]);
});
