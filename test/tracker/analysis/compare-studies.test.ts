import assert from "node:assert/strict";
import { test } from "node:test";
import { compareAlgorithms, correctedTTest } from "../../../tracker/analysis/compare.js";
import { compareStudies } from "../../../tracker/analysis/compare-studies.js";
import { rec, summary } from "../charts/helpers.js";

const withFolds = (number: number, scores: number[]) =>
  rec(number, "COMPLETE", scores.reduce((a, b) => a + b) / scores.length, {}, { userAttrs: { fold_scores: scores } });

test("studies ranked by their best trial, with the paired tests between the best two", () => {
  const rf = [withFolds(0, [0.8, 0.82, 0.79, 0.81, 0.8]), withFolds(1, [0.9, 0.93, 0.91, 0.92, 0.94])];
  const knn = [withFolds(0, [0.85, 0.86, 0.84, 0.88, 0.87])];
  const lr = [rec(0, "FAIL", null)];
  const result = compareStudies([
    { summary: summary("knn"), trials: knn },
    { summary: summary("lr"), trials: lr },
    { summary: summary("rf"), trials: rf },
  ]);
  assert.deepEqual(
    result.standings.map((s) => [s.name, s.bestTrialNumber, s.nComplete]),
    [
      ["rf", 1, 2],
      ["knn", 0, 1],
      ["lr", null, 0],
    ],
  );
  assert.deepEqual(result.standings[0].foldScores, [0.9, 0.93, 0.91, 0.92, 0.94]);
  assert.ok(Math.abs(result.standings[0].foldSummary!.mean - 0.92) < 1e-12, "mean of rf's folds");
  assert.ok(result.test !== null, "a test between rf and knn");
  assert.equal(result.test.better, "rf");
  const expected = compareAlgorithms(
    { name: "rf", scores: [0.9, 0.93, 0.91, 0.92, 0.94] },
    { name: "knn", scores: [0.85, 0.86, 0.84, 0.88, 0.87] },
  );
  assert.equal(result.test.tTest.pValue, expected.tTest.pValue);
  assert.equal(result.test.wilcoxon.pValue, expected.wilcoxon.pValue);
  assert.equal(result.test.tTest.pValue, correctedTTest([0.9, 0.93, 0.91, 0.92, 0.94], [0.85, 0.86, 0.84, 0.88, 0.87]).pValue);
});

test("no test without comparable fold scores, and why", () => {
  const noFolds = compareStudies([
    { summary: summary("a", "minimize"), trials: [rec(0, "COMPLETE", 1)] },
    { summary: summary("b", "minimize"), trials: [rec(0, "COMPLETE", 2)] },
  ]);
  assert.equal(noFolds.test, null);
  assert.match(noFolds.noTestReason!, /fold_scores/);
  assert.deepEqual(
    noFolds.standings.map((s) => s.name),
    ["a", "b"],
  );
  const mismatched = compareStudies([
    { summary: summary("a"), trials: [withFolds(0, [1, 2, 3])] },
    { summary: summary("b"), trials: [withFolds(0, [1, 2])] },
  ]);
  assert.match(mismatched.noTestReason!, /same folds/);
  assert.equal(compareStudies([{ summary: summary("a"), trials: [] }]).noTestReason, "only one study");
});
