import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { compareAlgorithms, correctedTTest, foldScores, summarizeScores, wilcoxonSignedRank } from "../../../tracker/analysis/compare.js";
import { trial } from "./importance-cases.js";

/** Reference values from scipy 1.10; see the generator script's docstring for how. */
const fixture = JSON.parse(readFileSync(new URL("./fixtures/scipy-stats.json", import.meta.url), "utf8")) as {
  pairs: { name: string; a: number[]; b: number[] }[];
  tTests: { name: string; testTrainRatio: number; t: number; df: number; "two-sided": number; greater: number; less: number }[];
};

function close(actual: number, expected: number, rel: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300);
  assert.ok(ok, `${what}: got ${actual}, scipy ${expected} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`);
}

test("corrected resampled t-test matches the formula evaluated with scipy", () => {
  assert.ok(fixture.tTests.length >= 15, "fixture has t-tests");
  for (const r of fixture.tTests) {
    const c = fixture.pairs.find((w) => w.name === r.name)!;
    for (const alternative of ["two-sided", "greater", "less"] as const) {
      const ours = correctedTTest(c.a, c.b, { testTrainRatio: r.testTrainRatio, alternative });
      close(ours.t, r.t, 1e-12, `${r.name} ratio ${r.testTrainRatio} t`);
      assert.equal(ours.df, r.df);
      close(ours.pValue, r[alternative], 1e-10, `${r.name} ratio ${r.testTrainRatio} ${alternative} p`);
    }
  }
  // the default ratio is 1 / (k - 1) for k scores; nTrain / nTest set it too
  const c = fixture.pairs[0];
  assert.equal(correctedTTest(c.a, c.b).testTrainRatio, 1 / (c.a.length - 1));
  assert.equal(correctedTTest(c.a, c.b, { nTrain: 400, nTest: 100 }).testTrainRatio, 0.25);
  // the correction widens the interval: p grows with the ratio
  assert.ok(
    correctedTTest(c.a, c.b, { testTrainRatio: 0.25 }).pValue > correctedTTest(c.a, c.b, { testTrainRatio: 0 }).pValue,
    "correction is conservative",
  );
});

test("corrected t-test edge cases", () => {
  assert.equal(correctedTTest([1, 2, 3], [1, 2, 3]).pValue, 1);
  const shifted = correctedTTest([2, 3, 4], [1, 2, 3]);
  assert.equal(shifted.t, Infinity);
  assert.equal(shifted.pValue, 0);
  assert.throws(
    () => correctedTTest([1], [2]),
    (e: unknown) => e instanceof ValueError && /at least 2/.test(e.message),
  );
  assert.throws(() => correctedTTest([1, 2], [2, 3], { testTrainRatio: -1 }), ValueError);
  assert.throws(
    () => correctedTTest([1, 2], [2, 3], { testTrainRatio: 0.2, nTrain: 4, nTest: 1 }),
    (e: unknown) => e instanceof ValueError && /not both/.test(e.message),
  );
  assert.throws(() => correctedTTest([1, 2], [2, 3], { nTrain: 4 }), ValueError);
});

test("summaries and the two-algorithm comparison", () => {
  const s = summarizeScores([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-15, `std ${s.std}`);
  assert.deepEqual([s.min, s.max, s.n], [1, 4, 4]);
  assert.equal(summarizeScores([7]).std, 0);
  assert.throws(() => summarizeScores([]), ValueError);

  const c = fixture.pairs.find((w) => w.name === "all-better")!;
  const cmp = compareAlgorithms({ name: "rf", scores: c.a }, { name: "knn", scores: c.b });
  assert.equal(cmp.better, "rf");
  assert.equal(cmp.tTest.pValue, correctedTTest(c.a, c.b).pValue);
  assert.equal(cmp.wilcoxon.pValue, wilcoxonSignedRank(c.a, c.b).pValue);
  assert.equal(cmp.significant.wilcoxon, cmp.wilcoxon.pValue < 0.05);
  assert.equal(cmp.a.mean, summarizeScores(c.a).mean);
  // for a loss, lower is better
  assert.equal(compareAlgorithms({ name: "rf", scores: c.a }, { name: "knn", scores: c.b }, { direction: "minimize" }).better, "knn");
  assert.equal(compareAlgorithms({ name: "x", scores: [1, 2] }, { name: "y", scores: [2, 1] }).better, null);
  assert.throws(() => compareAlgorithms({ name: "x", scores: [1, 2] }, { name: "y", scores: [2, 1] }, { alpha: 5 }), ValueError);
});

test("fold scores are read from the trial's user attributes", () => {
  const t = trial(0, {}, {}, 0.9);
  assert.equal(foldScores(t), null);
  assert.deepEqual(foldScores({ ...t, userAttrs: { fold_scores: [0.9, 0.8] } }), [0.9, 0.8]);
  assert.equal(foldScores({ ...t, userAttrs: { fold_scores: [0.9, "x"] } }), null);
});
