import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { loadArrays } from "../../../learn/datasets.js";
import { type Estimator, NotFittedError } from "../../../learn/estimator.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../../../learn/models/decision-tree.js";
import { GaussianNB } from "../../../learn/models/gaussian-nb.js";
import { KNNClassifier, KNNRegressor } from "../../../learn/models/knn.js";
import { LogisticRegression } from "../../../learn/models/logistic-regression.js";
import { RandomForestClassifier, RandomForestRegressor } from "../../../learn/models/random-forest.js";
import { Ridge } from "../../../learn/models/ridge.js";
import { extraVectors } from "../vectors.js";

interface ModelVectors {
  gaussian_nb_iris: { proba: number[][]; rows: number[] };
  ridge_diabetes_1: { alpha: number; coef: number[]; intercept: number };
  "ridge_diabetes_0.01": { alpha: number; coef: number[]; intercept: number };
  logistic_iris: { C: number; coef: number[][]; intercept: number[]; proba: number[][] };
  logistic_iris_binary: { C: number; coef: number[][]; intercept: number[]; proba: number[][] };
}

const ref = extraVectors<{ models: ModelVectors }>("sklearn-models.json").models;
const iris = loadArrays("iris");
const diabetes = loadArrays("diabetes");

function maxDiff(a: readonly number[] | readonly (readonly number[])[], b: readonly number[] | readonly (readonly number[])[]): number {
  return Math.max(...a.map((v, i) => (Array.isArray(v) ? maxDiff(v, b[i] as number[]) : Math.abs((v as number) - (b[i] as number)))));
}

function accuracy(model: Estimator, X: number[][], y: readonly (string | number)[]): number {
  return model.predict(X).filter((label, i) => label === y[i]).length / y.length;
}

describe("models agree with scikit-learn", () => {
  it("GaussianNB probabilities", () => {
    const nb = new GaussianNB();
    nb.fit(iris.X, iris.y);
    assert.ok(maxDiff(nb.predictProba(ref.gaussian_nb_iris.rows.map((i) => iris.X[i])), ref.gaussian_nb_iris.proba) < 1e-12);
  });

  it("Ridge coefficients and intercept", () => {
    for (const key of ["ridge_diabetes_1", "ridge_diabetes_0.01"] as const) {
      const ridge = new Ridge({ alpha: ref[key].alpha });
      ridge.fit(diabetes.X, diabetes.y);
      assert.ok(maxDiff(ridge.coef, ref[key].coef) < 1e-8, key);
      assert.ok(Math.abs(ridge.intercept - ref[key].intercept) < 1e-8, key);
    }
  });

  it("multinomial logistic regression reaches scikit-learn's optimum", () => {
    const model = new LogisticRegression({ C: 1, tol: 1e-10, maxIter: 10000 });
    model.fit(iris.X, iris.y);
    assert.deepEqual(model.classes, ["setosa", "versicolor", "virginica"]);
    const rows = iris.X.filter((_, i) => i % 10 === 0);
    assert.ok(maxDiff(model.predictProba(rows), ref.logistic_iris.proba) < 1e-4);
    // Unscaled iris is ill-conditioned: the optimum is flat along some directions.
    assert.ok(maxDiff(model.coef, ref.logistic_iris.coef) < 2e-3);
  });

  it("binary logistic regression is one sigmoid, as in scikit-learn", () => {
    const keep = iris.y.map((label, i) => (label === "setosa" ? -1 : i)).filter((i) => i >= 0);
    const X = keep.map((i) => iris.X[i]);
    const y = keep.map((i) => iris.y[i]);
    const model = new LogisticRegression({ C: 0.5, tol: 1e-10, maxIter: 10000 });
    model.fit(X, y);
    assert.equal(model.coef.length, 1);
    assert.ok(maxDiff(model.coef, ref.logistic_iris_binary.coef) < 1e-4);
    assert.ok(maxDiff(model.intercept, ref.logistic_iris_binary.intercept) < 1e-4);
    assert.ok(maxDiff(model.predictProba(X.filter((_, i) => i % 10 === 0)), ref.logistic_iris_binary.proba) < 1e-5);
  });
});

describe("model adapters", () => {
  it("classifiers learn iris, decode string labels, give probability rows", () => {
    const models: Estimator[] = [
      new RandomForestClassifier({ nEstimators: 10, seed: 3 }),
      new DecisionTreeClassifier(),
      new KNNClassifier({ k: 5 }),
      new LogisticRegression({ maxIter: 500 }),
      new GaussianNB(),
    ];
    for (const model of models) {
      model.fit(iris.X, iris.y);
      const name = model.constructor.name;
      assert.equal(model.kind, "classifier", name);
      assert.deepEqual(model.classes, iris.classes, name);
      assert.ok(accuracy(model, iris.X, iris.y) > 0.93, name);
      const proba = model.predictProba!(iris.X.slice(0, 60));
      for (const row of proba) {
        assert.equal(row.length, 3, name);
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9, name);
      }
      const predicted = model.predict(iris.X.slice(0, 60));
      proba.forEach((row, i) => {
        assert.equal(predicted[i], iris.classes[row.indexOf(Math.max(...row))], name);
      });
    }
  });

  it("regressors fit diabetes", () => {
    const models: Estimator<number>[] = [
      new RandomForestRegressor({ nEstimators: 5, seed: 1, maxDepth: 6 }),
      new DecisionTreeRegressor({ maxDepth: 4 }),
      new KNNRegressor({ k: 10 }),
      new Ridge(),
    ];
    for (const model of models) {
      model.fit(diabetes.X, diabetes.y);
      assert.equal(model.kind, "regressor");
      const predicted = model.predict(diabetes.X);
      const mean = diabetes.y.reduce((a, b) => a + b) / diabetes.y.length;
      const residual = predicted.reduce((acc, p, i) => acc + (diabetes.y[i] - p) ** 2, 0);
      const total = diabetes.y.reduce((acc, v) => acc + (v - mean) ** 2, 0);
      assert.ok(1 - residual / total > 0.3, `${model.constructor.name}: training R² ${1 - residual / total}`);
    }
  });

  it("k-NN averages or votes over exactly k neighbours", () => {
    const X = [[0], [1], [2], [10], [11]];
    const regressor = new KNNRegressor({ k: 2 });
    regressor.fit(X, [1, 2, 3, 10, 20]);
    assert.deepEqual(regressor.predict([[0.2], [10.6]]), [1.5, 15]);
    const classifier = new KNNClassifier({ k: 3 });
    classifier.fit(X, ["a", "a", "b", "b", "b"]);
    assert.deepEqual(classifier.predictProba([[0.4]]), [[2 / 3, 1 / 3]]);
  });

  it("seeded forests repeat; different seeds differ", () => {
    const fit = (seed: number) => {
      const forest = new RandomForestClassifier({ nEstimators: 5, seed, maxFeatures: 2 });
      forest.fit(iris.X, iris.y);
      return forest.predictProba(iris.X);
    };
    assert.deepEqual(fit(11), fit(11));
    assert.notDeepEqual(fit(11), fit(12));
  });
});

describe("model errors", () => {
  function throwsValue(fn: () => unknown, ...fragments: string[]): void {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
      for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
      return true;
    });
  }

  it("predict before fit", () => {
    for (const model of [new GaussianNB(), new Ridge(), new KNNClassifier(), new RandomForestClassifier(), new LogisticRegression()]) {
      assert.throws(() => model.predict([[1, 2, 3, 4]]), NotFittedError);
    }
  });

  it("bad X and y", () => {
    throwsValue(() => new GaussianNB().fit([[1, 2], [3]], ["a", "b"]), "X[1] has 1 features", "X[0] has 2");
    throwsValue(() => new GaussianNB().fit([[1], [Number.NaN]], ["a", "b"]), "X[1][0]", "SimpleImputer");
    throwsValue(() => new GaussianNB().fit([[1], [2]], ["a"]), "2 rows", "1 values");
    throwsValue(() => new Ridge().fit([[1], [2]], [1, "x" as never]), 'y[1] = "x"');
    throwsValue(() => new LogisticRegression().fit([[1], [2]], ["a", "a"]), '["a"]', "at least 2");
    throwsValue(() => new KNNClassifier({ k: 5 }).fit([[1], [2]], ["a", "b"]), "k=5", "2 training rows");
    const nb = new GaussianNB();
    nb.fit(iris.X, iris.y);
    throwsValue(() => nb.predict([[1, 2]]), "2 features", "fitted on 4");
    throwsValue(() => nb.fit([], []), "no rows");
  });

  it("bad options", () => {
    throwsValue(() => new RandomForestClassifier({ nEstimators: 0 }), "nEstimators", "0");
    throwsValue(() => new RandomForestClassifier({ maxFeatures: "half" as never }), '"half"');
    throwsValue(() => new RandomForestClassifier({ nTrees: 5 } as never), '"nTrees"');
    throwsValue(() => new DecisionTreeClassifier({ maxDepth: 0 }), "maxDepth", "0");
    throwsValue(() => new DecisionTreeRegressor({ minSamplesSplit: 1 }), "minSamplesSplit", "1");
    throwsValue(() => new KNNClassifier({ k: 2.5 }), "2.5");
    throwsValue(() => new LogisticRegression({ C: -1 }), "C", "-1");
    throwsValue(() => new Ridge({ alpha: -0.5 }), "alpha", "-0.5");
    throwsValue(() => new GaussianNB({ varSmoothing: -1 }), "varSmoothing", "-1");
    const forest = new RandomForestClassifier({ maxFeatures: 9 });
    throwsValue(() => forest.fit(iris.X, iris.y), "maxFeatures=9", "4 features");
  });
});
