import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TrialPruned, ValueError } from "../../core/errors.js";
import type { JsonValue } from "../../core/records.js";
import { type CrossValidationTrial, crossValidate } from "../../learn/cross-validate.js";
import { loadArrays } from "../../learn/datasets.js";
import { makeScorer } from "../../learn/metrics/index.js";
import { GaussianNB } from "../../learn/models/gaussian-nb.js";
import { KNNClassifier } from "../../learn/models/knn.js";
import { RandomForestClassifier } from "../../learn/models/random-forest.js";
import { Ridge } from "../../learn/models/ridge.js";
import { makePipeline } from "../../learn/pipeline.js";
import { type RawFeatures, StandardScaler } from "../../learn/preprocessing.js";
import { GroupKFold, KFold, StratifiedKFold } from "../../learn/splitters/index.js";
import { extraVectors } from "./vectors.js";

const references = extraVectors<{ models: Record<string, number[]> }>("sklearn-models.json").models;

/** A scaler that remembers which rows it was fitted on (each row's first value is its row id). */
class RecordingScaler extends StandardScaler {
  static fits: number[][] = [];
  override fit(X: RawFeatures): void {
    RecordingScaler.fits.push(X.map((row) => row[0] as number));
    super.fit(X);
  }
}

class FakeTrial implements CrossValidationTrial {
  reports: [number, number][] = [];
  attrs: Record<string, JsonValue> = {};
  pruneChecks = 0;
  constructor(private readonly pruneAfter = Infinity) {}
  report(value: number, step: number): void {
    this.reports.push([value, step]);
  }
  shouldPrune(): boolean {
    this.pruneChecks++;
    return this.reports.length >= this.pruneAfter;
  }
  setUserAttr(key: string, value: JsonValue): void {
    this.attrs[key] = value;
  }
}

describe("crossValidate", () => {
  it("fits preprocessing on the training rows of each fold only", async () => {
    const iris = loadArrays("iris");
    const X = iris.X.map((row, i) => [i, ...row]);
    const cv = new StratifiedKFold({ nSplits: 5, shuffle: true, seed: 7 });
    RecordingScaler.fits = [];
    await crossValidate(() => makePipeline(new RecordingScaler(), new KNNClassifier({ k: 5 })), X, iris.y, { cv });
    const folds = cv.split({ y: iris.y });
    assert.equal(RecordingScaler.fits.length, 5);
    RecordingScaler.fits.forEach((rows, f) => {
      assert.deepEqual(rows, folds[f].train);
    });
  });

  it("reports each fold to the trial and stores the fold scores", async () => {
    const wine = loadArrays("wine");
    const trial = new FakeTrial();
    const result = await crossValidate(() => new GaussianNB(), wine.X, wine.y, { cv: 5, trial, returnTrainScore: true });
    assert.deepEqual(
      trial.reports,
      result.testScores.map((score, f) => [score, f]),
    );
    assert.deepEqual(trial.attrs.fold_scores, result.testScores);
    assert.deepEqual(trial.attrs.fold_scores_train, result.trainScores);
    assert.equal(trial.pruneChecks, 4);
    // Same folds as scikit-learn's cross_val_score(GaussianNB(), X, y, cv=5).
    assert.deepEqual(result.testScores, references.gaussian_nb_wine_cv5);
    assert.ok(result.trainScores!.every((s) => s >= 0.95));
    assert.equal(result.fitTimes.length, 5);
    assert.ok(result.scoreTimes.every((t) => t >= 0));
    assert.equal(result.cv, "StratifiedKFold(nSplits=5)");
    assert.deepEqual(result.scoring, { name: "accuracy", greaterIsBetter: true });
  });

  it("stops with TrialPruned when the pruner says so, keeping the scores so far", async () => {
    const wine = loadArrays("wine");
    const trial = new FakeTrial(2);
    let fits = 0;
    const make = () => {
      fits++;
      return new GaussianNB();
    };
    await assert.rejects(crossValidate(make, wine.X, wine.y, { cv: 5, trial }), TrialPruned);
    assert.equal(fits, 2);
    assert.equal(trial.reports.length, 2);
    assert.equal((trial.attrs.fold_scores as number[]).length, 2);
  });

  it("uses KFold for regressors, r2 by default, and any scorer", async () => {
    const diabetes = loadArrays("diabetes");
    const result = await crossValidate(() => new Ridge({ alpha: 0.1 }), diabetes.X, diabetes.y, { cv: 3 });
    assert.equal(result.cv, "KFold(nSplits=3)");
    assert.equal(result.scoring.name, "r2");
    assert.ok(result.mean > 0.4 && result.mean < 0.6, String(result.mean));
    const mse = await crossValidate(() => new Ridge({ alpha: 0.1 }), diabetes.X, diabetes.y, { cv: 3, scoring: "mse" });
    assert.equal(mse.scoring.greaterIsBetter, false);
    const neg = await crossValidate(() => new Ridge({ alpha: 0.1 }), diabetes.X, diabetes.y, { cv: 3, scoring: "neg_mean_squared_error" });
    assert.deepEqual(
      neg.testScores,
      mse.testScores.map((s) => -s),
    );
    const groups = diabetes.y.map((_, i) => i % 4);
    const grouped = await crossValidate(() => new Ridge(), diabetes.X, diabetes.y, { cv: new GroupKFold({ nSplits: 4 }), groups });
    assert.equal(grouped.testScores.length, 4);
    const custom = makeScorer("within10", (t, p) => t.filter((v, i) => Math.abs((v as number) - (p[i] as number)) < 10).length / t.length);
    const hits = await crossValidate(() => new Ridge(), diabetes.X, diabetes.y, { cv: new KFold({ nSplits: 3 }), scoring: custom });
    assert.ok(hits.mean > 0 && hits.mean < 1);
  });

  it("scores probabilities for ROC AUC", async () => {
    const cancer = loadArrays("breast_cancer");
    const result = await crossValidate(() => new GaussianNB(), cancer.X, cancer.y, { cv: 5, scoring: "rocAuc" });
    assert.ok(result.mean > 0.97, String(result.mean));
  });

  it("random forest on breast_cancer reaches 0.94 accuracy", async () => {
    const cancer = loadArrays("breast_cancer");
    const result = await crossValidate(() => new RandomForestClassifier({ nEstimators: 20, seed: 1 }), cancer.X, cancer.y, { cv: 5 });
    assert.ok(result.mean >= 0.94, `mean accuracy ${result.mean}`);
  });

  it("scaled 5-NN on iris reaches 0.93 accuracy, fold for fold as scikit-learn", async () => {
    const iris = loadArrays("iris");
    const result = await crossValidate(() => makePipeline(new StandardScaler(), new KNNClassifier({ k: 5 })), iris.X, iris.y, { cv: 5 });
    assert.ok(result.mean >= 0.93, `mean accuracy ${result.mean}`);
    assert.deepEqual(result.testScores, references.knn5_scaled_iris_cv5);
  });

  it("bad arguments name the value", async () => {
    const iris = loadArrays("iris");
    const nb = () => new GaussianNB();
    const rejects = (promise: Promise<unknown>, ...fragments: string[]) =>
      assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof ValueError, String(error));
        for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
        return true;
      });
    await rejects(crossValidate(nb, iris.X, iris.y.slice(1)), "150 rows", "149");
    await rejects(crossValidate(nb, iris.X, iris.y, { cv: 1 }), "cv", "1");
    await rejects(crossValidate(nb, iris.X, iris.y, { cv: {} as never }), "splitter");
    await rejects(crossValidate(nb, iris.X, iris.y, { scoring: "acc" as never }), '"acc"');
    await rejects(crossValidate(nb, iris.X, iris.y, { folds: 3 } as never), '"folds"');
    await rejects(crossValidate(new GaussianNB() as never, iris.X, iris.y), "function");
    const labelsOnly = () => ({ kind: "classifier" as const, fit() {}, predict: (X: RawFeatures) => X.map(() => "setosa") });
    await rejects(crossValidate(labelsOnly, iris.X, iris.y, { scoring: "rocAuc" }), '"rocAuc"', "predictProba");
    await rejects(crossValidate(nb, iris.X, iris.y, { cv: new GroupKFold({ nSplits: 3 }) }), "groups");
  });
});
