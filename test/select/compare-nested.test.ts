import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { wilcoxonSignedRank } from "../../core/math/wilcoxon.js";
import { loadArrays } from "../../learn/datasets.js";
import type { Estimator } from "../../learn/estimator.js";
import { GaussianNB } from "../../learn/models/gaussian-nb.js";
import { KNNClassifier } from "../../learn/models/knn.js";
import { makePipeline } from "../../learn/pipeline.js";
import { StandardScaler } from "../../learn/preprocessing.js";
import { KFold } from "../../learn/splitters/index.js";
import { compareNested } from "../../select/compare-nested.js";
import { type NestedCrossValidateResult, nestedCrossValidate } from "../../select/nested-cv.js";
import { setVerbosity } from "../../tune/log.js";
import { GridSampler } from "../../tune/samplers/grid.js";

setVerbosity("silent");

interface Comparison {
  knnValues: number[];
  nbValues: number[];
  knn: number[];
  nb: number[];
  tTest: { t: number; pValue: number; meanDifference: number };
  wilcoxon: number;
}

// scikit-learn 1.2's nested runs and scipy's tests of them, made by fixtures/make_sklearn_nested.py.
const reference = (
  JSON.parse(readFileSync(new URL("./fixtures/sklearn-nested.json", import.meta.url), "utf8")) as { comparison: Comparison }
).comparison;

const cancer = loadArrays("breast_cancer");

const grid = (name: string, values: number[], make: (value: number) => Estimator) =>
  nestedCrossValidate(
    {
      space: (trial) => {
        const value = trial.suggestCategorical(name, values);
        return () => make(value);
      },
    },
    cancer.X,
    cancer.y,
    { outer: 5, inner: 3, nTrials: values.length, sampler: () => new GridSampler({ [name]: values }), name: name },
  );

function close(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${label}: ${actual} vs ${expected}`);
}

describe("compareNested", async () => {
  const knn = await grid("k", reference.knnValues, (k) => makePipeline(new StandardScaler(), new KNNClassifier({ k })) as Estimator);
  const nb = await grid("varSmoothing", reference.nbValues, (varSmoothing) => new GaussianNB({ varSmoothing }));

  it("pairs the outer scores, which equal scikit-learn's", () => {
    for (const [i, score] of reference.knn.entries()) close(knn.outerScores[i], score, `k-NN, outer fold ${i + 1}`);
    for (const [i, score] of reference.nb.entries()) close(nb.outerScores[i], score, `naive Bayes, outer fold ${i + 1}`);
  });

  it("tests them as scipy does: the corrected resampled t-test and the Wilcoxon signed-rank test", () => {
    const result = compareNested(knn, nb);
    close(result.tTest.t, reference.tTest.t, "t");
    close(result.tTest.pValue, reference.tTest.pValue, "t-test p-value");
    close(result.meanDifference, reference.tTest.meanDifference, "mean difference");
    assert.equal(result.tTest.df, 4);
    close(result.tTest.testTrainRatio, 113.8 / 455.2, "n_test / n_train of the outer folds");
    close(result.wilcoxon.pValue, reference.wilcoxon, "Wilcoxon p-value");
    assert.equal(result.better, knn.mean > nb.mean ? "a" : "b");
    assert.deepEqual(result.a.outerScores, knn.outerScores);
    assert.equal(result.b.name, "varSmoothing");
    assert.deepEqual(result.significant, { tTest: result.tTest.pValue < 0.05, wilcoxon: result.wilcoxon.pValue < 0.05 });
  });

  it("is symmetric, and follows the scorer's direction", () => {
    const there = compareNested(knn, nb, { alpha: 0.5 });
    const back = compareNested(nb, knn, { alpha: 0.5 });
    assert.equal(back.meanDifference, -there.meanDifference);
    assert.equal(back.tTest.pValue, there.tTest.pValue);
    assert.equal(back.wilcoxon.pValue, wilcoxonSignedRank(nb.outerScores, knn.outerScores).pValue);
    assert.equal(back.better, there.better === "a" ? "b" : "a");
    const asErrors = (r: NestedCrossValidateResult): NestedCrossValidateResult => ({
      ...r,
      outerScores: r.outerScores.map((s) => 1 - s),
      mean: 1 - r.mean,
      scoring: { name: "error", greaterIsBetter: false },
    });
    assert.equal(compareNested(asErrors(knn), asErrors(nb)).better, there.better, "a lower error is better");
  });

  it("refuses results on other folds, other rows or another scorer, saying which", async () => {
    const kfold = await nestedCrossValidate(
      {
        space: (trial) =>
          (
            (v) => () =>
              new GaussianNB({ varSmoothing: v })
          )(trial.suggestFloat("v", 1e-9, 1e-3, { log: true })),
      },
      cancer.X,
      cancer.y,
      { outer: new KFold({ nSplits: 5 }), inner: 2, nTrials: 1, seed: 0 },
    );
    assert.throws(
      () => compareNested(knn, kfold),
      (e: unknown) =>
        e instanceof ValueError &&
        /different outer folds \(outer fold 1 tests other rows\)/.test(e.message) &&
        /same outer splitter/.test(e.message),
    );
    assert.throws(() => compareNested(knn, { ...nb, nRows: 500 }), /different data \(569 and 500 rows\)/);
    assert.throws(() => compareNested(knn, { ...nb, outerTestRows: nb.outerTestRows.slice(1) }), /5 and 4 outer folds/);
    assert.throws(
      () => compareNested(knn, { ...nb, scoring: { name: "f1Macro", greaterIsBetter: true } }),
      /different scorers \("accuracy" and "f1Macro"\)/,
    );
    assert.throws(() => compareNested(knn, nb, { alpha: 1 }), /alpha must be in \(0, 1\)/);
    assert.throws(() => compareNested(knn, nb, { alfa: 0.1 } as never), /Did you mean "alpha"/);
    assert.throws(() => compareNested(knn, null as never), /b must be a result of nestedCrossValidate/);
  });
});
