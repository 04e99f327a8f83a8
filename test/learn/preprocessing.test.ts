import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { loadArrays } from "../../learn/datasets.js";
import { NotFittedError } from "../../learn/estimator.js";
import { GaussianNB } from "../../learn/models/gaussian-nb.js";
import { KNNClassifier } from "../../learn/models/knn.js";
import { makePipeline } from "../../learn/pipeline.js";
import { MinMaxScaler, OneHotEncoder, SimpleImputer, StandardScaler } from "../../learn/preprocessing.js";
import { extraVectors } from "./vectors.js";

const reference = extraVectors<{
  models: { scalers_wine: { mean: number[]; scale: number[]; minmax_first_row: number[] } };
}>("sklearn-models.json").models.scalers_wine;

function close(a: readonly (number | null)[], b: readonly number[], tolerance = 1e-12): void {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => {
    assert.ok(Math.abs((v as number) - b[i]) <= tolerance * Math.max(1, Math.abs(b[i])), `${i}: ${v} vs ${b[i]}`);
  });
}

function throwsValue(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("scalers", () => {
  const wine = loadArrays("wine");

  it("StandardScaler learns scikit-learn's means and scales", () => {
    const scaler = new StandardScaler();
    scaler.fit(wine.X);
    close(scaler.statistics.mean, reference.mean);
    close(scaler.statistics.scale, reference.scale);
    const scaled = scaler.transform(wine.X);
    const column = scaled.map((row) => row[4] as number);
    const mean = column.reduce((a, b) => a + b) / column.length;
    assert.ok(Math.abs(mean) < 1e-12);
    assert.ok(Math.abs(column.reduce((acc, v) => acc + v * v, 0) / column.length - 1) < 1e-12);
  });

  it("StandardScaler leaves constant columns unscaled and missing cells missing", () => {
    const scaler = new StandardScaler();
    scaler.fit([
      [1, 5],
      [3, 5],
      [null, 5],
    ]);
    assert.deepEqual(scaler.statistics, { mean: [2, 5], scale: [1, 1] });
    assert.deepEqual(
      scaler.transform([
        [2, 6],
        [Number.NaN, 5],
      ]),
      [
        [0, 1],
        [Number.NaN, 0],
      ],
    );
  });

  it("MinMaxScaler maps the training range onto featureRange", () => {
    const scaler = new MinMaxScaler({ featureRange: [-1, 2] });
    scaler.fit(wine.X);
    close(scaler.transform([wine.X[0]])[0], reference.minmax_first_row);
    const clipped = new MinMaxScaler({ clip: true });
    clipped.fit([[0], [10]]);
    assert.deepEqual(clipped.transform([[-5], [5], [20]]), [[0], [0.5], [1]]);
  });
});

describe("OneHotEncoder and SimpleImputer", () => {
  it("one-hot encodes the given columns in place", () => {
    const encoder = new OneHotEncoder({ columns: [1] });
    encoder.fit([
      [0.5, 2, 7],
      [1.5, 1, 8],
      [2.5, 2, 9],
    ]);
    assert.deepEqual([...encoder.categories.get(1)!], [1, 2]);
    assert.deepEqual(
      encoder.transform([
        [3, 1, 0],
        [4, 2, 1],
      ]),
      [
        [3, 1, 0, 0],
        [4, 0, 1, 1],
      ],
    );
    const lenient = new OneHotEncoder({ columns: [0], handleUnknown: "ignore" });
    lenient.fit([[1], [2]]);
    assert.deepEqual(lenient.transform([[3]]), [[0, 0]]);
  });

  it("imputes the mean, median, most frequent value or a constant", () => {
    const X = [
      [1, null],
      [2, 4],
      [Number.NaN, 4],
      [9, 1],
    ];
    const filled = (strategy: "mean" | "median" | "most_frequent" | "constant") => {
      const imputer = new SimpleImputer({ strategy, fillValue: -1 });
      imputer.fit(X);
      return imputer.transform([[null, Number.NaN]])[0];
    };
    assert.deepEqual(filled("mean"), [4, 3]);
    assert.deepEqual(filled("median"), [2, 4]);
    assert.deepEqual(filled("most_frequent"), [1, 4]);
    assert.deepEqual(filled("constant"), [-1, -1]);
  });

  it("bad inputs name the value", () => {
    throwsValue(() => new OneHotEncoder({ columns: [] }), "columns");
    throwsValue(() => new OneHotEncoder({ columns: [-1] }), "-1");
    const encoder = new OneHotEncoder({ columns: [0] });
    encoder.fit([[1], [2]]);
    throwsValue(() => encoder.transform([[3]]), "X[0][0] = 3", "[1,2]", "handleUnknown");
    throwsValue(() => new OneHotEncoder({ columns: [5] }).fit([[1, 2]]), "column 5", "2 columns");
    throwsValue(() => new SimpleImputer({ strategy: "mode" as never }), '"mode"');
    throwsValue(
      () =>
        new SimpleImputer().fit([
          [null, 1],
          [null, 2],
        ]),
      "column 0",
      "no observed values",
    );
    throwsValue(() => new MinMaxScaler({ featureRange: [1, 0] }), "[1,0]");
    throwsValue(() => new StandardScaler({ withMeans: true } as never), '"withMeans"', '"withMean"');
    const scaler = new StandardScaler();
    assert.throws(() => scaler.transform([[1]]), NotFittedError);
    scaler.fit([[1, 2]]);
    throwsValue(() => scaler.transform([[1, 2, 3]]), "3 features", "expected 2");
    throwsValue(() => scaler.fit([[1, "a" as never]]), '"a"');
  });
});

describe("pipelines", () => {
  it("impute, scale and classify; missing cells without an imputer are named", async () => {
    const iris = loadArrays("iris");
    const X = iris.X.map((row, i) => (i % 10 === 3 ? [null, ...row.slice(1)] : row));
    const pipeline = makePipeline(new SimpleImputer(), new StandardScaler(), new KNNClassifier({ k: 5 }));
    await pipeline.fit(X, iris.y);
    assert.deepEqual(pipeline.classes, iris.classes);
    assert.equal(pipeline.kind, "classifier");
    const accuracy = pipeline.predict(X).filter((label, i) => label === iris.y[i]).length / X.length;
    assert.ok(accuracy > 0.9, String(accuracy));
    assert.equal(pipeline.predictProba!(X.slice(0, 2)).length, 2);
    const bare = makePipeline(new StandardScaler(), new GaussianNB());
    assert.throws(
      () => bare.fit(X, iris.y),
      (error: unknown) => error instanceof ValueError && /X\[3\]\[0\].*SimpleImputer/.test(error.message),
    );
  });

  it("refuse steps that are not transformers", () => {
    throwsValue(() => makePipeline({} as never, new GaussianNB()), "step 0");
    throwsValue(() => makePipeline(new StandardScaler() as never), "last step");
  });
});
