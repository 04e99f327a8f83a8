import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { crossValidate } from "../../../../learn/cross-validate.js";
import { loadArrays } from "../../../../learn/datasets.js";
import { NotFittedError } from "../../../../learn/estimator.js";
import { resolveComponents } from "../../../../learn/models/decomposition/pca-components.js";
import { KNNClassifier, PCA } from "../../../../learn/models/index.js";
import { makePipeline, type Pipeline } from "../../../../learn/pipeline.js";
import { type RawFeatures, StandardScaler, type Transformer } from "../../../../learn/preprocessing.js";
import { StratifiedKFold } from "../../../../learn/splitters/index.js";
import { throwsValue } from "../../value-errors.js";

/** One PCA fit by fixtures/pca_reference.py: scikit-learn 1.2's attributes and outputs. */
interface PCACase {
  name: string;
  data: string;
  nComponents: number | "mle" | null;
  whiten: boolean;
  fit: number[];
  probe: number[] | null;
  probeData: string | null;
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  ratioCumsum: number[];
  singularValues: number[];
  mean: number[];
  noiseVariance: number;
  nComponentsFitted: number;
  nFeaturesIn: number;
  nSamples: number;
  fitTransform: number[][];
  transform: number[][];
  inverseTransform: number[][];
  covariance: number[][] | null;
  precision: number[][] | null;
  scoreSamples: number[] | null;
  score: number | null;
}

const file = fileURLToPath(new URL("./fixtures/pca_reference.json", import.meta.url));
const reference = JSON.parse(readFileSync(file, "utf8")) as { data: Record<string, number[][]>; cases: PCACase[] };

function matrix(name: string): number[][] {
  if (name === "iris" || name === "wine" || name === "digits") return loadArrays(name).X;
  const X = reference.data[name];
  assert.ok(X, `no stored data named ${name}`);
  return X;
}

function inputs(c: PCACase): { fitRows: number[][]; probeRows: number[][] } {
  const X = matrix(c.data);
  return {
    fitRows: c.fit.map((i) => X[i]),
    probeRows: c.probeData ? matrix(c.probeData) : c.probe!.map((i) => X[i]),
  };
}

const RELATIVE = 1e-9;

/** Each value within 1e-9 of the reference, relative to it, or to `scale` for values at round-off level beside it. */
function assertClose(actual: readonly number[], expected: readonly number[], scale: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => {
    const bound = RELATIVE * Math.abs(e) + 1e-12 * scale;
    assert.ok(Math.abs(actual[i] - e) <= bound, `${what}[${i}]: ${actual[i]} vs scikit-learn's ${e}`);
  });
}

/** Matrices within 1e-9 of the reference relative to its largest entry, in the given columns. */
function assertMatrixClose(actual: readonly (readonly number[])[], expected: number[][], what: string, columns?: number[]): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  const scale = Math.max(...expected.flat().map(Math.abs));
  expected.forEach((row, i) => {
    (columns ?? row.map((_, j) => j)).forEach((j) => {
      assert.ok(Math.abs(actual[i][j] - row[j]) <= RELATIVE * scale, `${what}[${i}][${j}]: ${actual[i][j]} vs scikit-learn's ${row[j]}`);
    });
  });
}

/** The kept axes with singular values above round-off: those are unique up to sign (the others are any completion). */
function determinedAxes(c: PCACase): number[] {
  return c.singularValues.flatMap((s, k) => (s > 1e-8 * c.singularValues[0] ? [k] : []));
}

function fitCase(c: PCACase): PCA {
  const model = new PCA({ nComponents: c.nComponents ?? undefined, whiten: c.whiten });
  model.fit(inputs(c).fitRows);
  return model;
}

for (const c of reference.cases) {
  describe(`PCA agrees with scikit-learn: ${c.name}`, () => {
    const model = fitCase(c);
    const { fitRows, probeRows } = inputs(c);
    const axes = determinedAxes(c);
    const largestVariance = c.explainedVariance[0];

    it("resolves the number of components and keeps the fitted attributes", () => {
      assert.equal(model.nComponentsFitted, c.nComponentsFitted);
      assert.equal(model.nFeaturesIn, c.nFeaturesIn);
      assert.equal(model.nSamples, c.nSamples);
      assertClose(model.mean!, c.mean, Math.max(...c.mean.map(Math.abs)), "mean");
      assertClose(model.explainedVariance!, c.explainedVariance, largestVariance, "explainedVariance");
      assertClose(model.explainedVarianceRatio!, c.explainedVarianceRatio, 1, "explainedVarianceRatio");
      assertClose(model.singularValues!, c.singularValues, c.singularValues[0], "singularValues");
      assertClose([model.noiseVariance!], [c.noiseVariance], largestVariance, "noiseVariance");
    });

    it("finds the principal axes up to sign", () => {
      assert.equal(model.components!.length, c.components.length);
      for (const k of axes) {
        const row = model.components![k];
        const same = Math.max(...row.map((v, j) => Math.abs(v - c.components[k][j])));
        const flipped = Math.max(...row.map((v, j) => Math.abs(v + c.components[k][j])));
        assert.ok(Math.min(same, flipped) <= RELATIVE, `axis ${k} differs from scikit-learn's by ${Math.min(same, flipped)}`);
      }
    });

    it("signs each axis as scikit-learn's svd_flip does", () => {
      for (const k of axes) assertClose(model.components![k], c.components[k], 1, `components[${k}] (sign convention)`);
    });

    it("transforms, fitTransforms and inverse-transforms rows", () => {
      assertMatrixClose(model.transform(probeRows), c.transform, "transform", axes);
      assertMatrixClose(
        new PCA({ nComponents: c.nComponents ?? undefined, whiten: c.whiten }).fitTransform(fitRows).slice(0, 8),
        c.fitTransform,
        "fitTransform",
        axes,
      );
      // The reconstruction is unique when every kept axis is, or when all of feature space is kept.
      if (axes.length === c.nComponentsFitted || c.nComponentsFitted === c.nFeaturesIn) {
        assertMatrixClose(model.inverseTransform(model.transform(probeRows)), c.inverseTransform, "inverseTransform");
      }
    });

    if (c.covariance) {
      it("gives the model's covariance", () => assertMatrixClose(model.getCovariance(), c.covariance!, "getCovariance"));
    }

    if (c.precision) {
      it("gives the precision and the log-likelihood of held-out rows", () => {
        assertMatrixClose(model.getPrecision(), c.precision!, "getPrecision");
        const samples = model.scoreSamples(probeRows);
        assertClose(samples, c.scoreSamples!, 0, "scoreSamples");
        assertClose([model.score(probeRows)], [c.score!], 0, "score");
      });
    }
  });
}

describe("PCA's number of components", () => {
  const exact = matrix("exact spectrum");

  it("takes exact singular values from orthogonal columns, so cumulative ratios are exact", () => {
    const model = new PCA();
    model.fit(exact);
    assert.deepEqual(model.singularValues, [18, 12, 6]);
    assert.deepEqual(model.explainedVariance, [324 / 5, 144 / 5, 36 / 5]);
  });

  it("keeps one component more when the fraction equals a cumulative ratio (numpy's searchsorted, side right)", () => {
    const full = new PCA();
    full.fit(exact);
    const [first, second] = full.explainedVarianceRatio!;
    const kept = (nComponents: number) => {
      const model = new PCA({ nComponents });
      model.fit(exact);
      return model.nComponentsFitted;
    };
    assert.equal(kept(first), 2);
    assert.equal(kept(first - 1e-12), 1);
    assert.equal(kept(first + second), 3);
    assert.equal(kept(first + second - 1e-12), 2);
  });

  it("keeps every axis, not one more than exist, for a fraction no cumulative ratio exceeds", () => {
    // Ratios whose sum falls an ulp short of 1: scikit-learn would report 3 of 2 components.
    const ratios = [0.25, 0.75 - 2 ** -53];
    assert.equal(ratios[0] + ratios[1], 1 - 2 ** -53);
    assert.equal(resolveComponents("PCA.fit", 1 - 2 ** -53, [1, 3], ratios, 10, 2), 2);
    assert.equal(resolveComponents("PCA.fit", 0.25, [1, 3], ratios, 10, 2), 2);
    assert.equal(resolveComponents("PCA.fit", 0.2499, [1, 3], ratios, 10, 2), 1);
  });

  it("treats 1 as one component, and defaults to min(nSamples, nFeatures)", () => {
    const one = new PCA({ nComponents: 1 });
    one.fit(exact);
    assert.equal(one.nComponentsFitted, 1);
    const wide = new PCA();
    wide.fit(matrix("wide"));
    assert.equal(wide.nComponentsFitted, 5);
    assert.equal(wide.noiseVariance, 0);
  });
});

describe("PCA", () => {
  const iris = loadArrays("iris").X;

  it("has no fitted attributes before fit, and its methods say to call fit", () => {
    const model = new PCA({ nComponents: 2 });
    assert.equal(model.components, undefined);
    assert.equal(model.explainedVariance, undefined);
    assert.equal(model.explainedVarianceRatio, undefined);
    assert.equal(model.singularValues, undefined);
    assert.equal(model.mean, undefined);
    assert.equal(model.noiseVariance, undefined);
    assert.equal(model.nComponentsFitted, undefined);
    assert.equal(model.nFeaturesIn, undefined);
    assert.equal(model.nSamples, undefined);
    for (const call of [
      () => model.transform(iris),
      () => model.inverseTransform([[0, 0]]),
      () => model.getCovariance(),
      () => model.getPrecision(),
      () => model.scoreSamples(iris),
      () => model.score(iris),
    ]) {
      assert.throws(call, (error: unknown) => error instanceof NotFittedError && /call fit\(X\)/.test(error.message));
    }
  });

  it("ignores y, and fitTransform is fit then transform", () => {
    const model = new PCA({ nComponents: 3, whiten: true });
    const scores = model.fitTransform(
      iris,
      iris.map((_, i) => i % 3),
    );
    assert.deepEqual(scores, model.transform(iris));
    // Whitened scores of the training rows have unit variance along every kept axis.
    for (let k = 0; k < 3; k++) {
      const variance = scores.reduce((acc, row) => acc + row[k] ** 2, 0) / (iris.length - 1);
      assert.ok(Math.abs(variance - 1) < 1e-12, `axis ${k}: variance ${variance}`);
    }
  });

  it("refuses bad options, naming them and the fix", () => {
    throwsValue(() => new PCA({ nComponents: 0 }), "nComponents = 0", "fraction", '"mle"');
    throwsValue(() => new PCA({ nComponents: -2 }), "nComponents = -2");
    throwsValue(() => new PCA({ nComponents: 2.5 }), "nComponents = 2.5", "whole number");
    throwsValue(() => new PCA({ nComponents: Number.NaN }), "nComponents = NaN");
    throwsValue(() => new PCA({ nComponents: "auto" as never }), 'nComponents = "auto"');
    throwsValue(() => new PCA({ whiten: "yes" as never }), "whiten", '"yes"');
    throwsValue(() => new PCA({ nComponent: 2 } as never), "nComponent", "nComponents");
  });

  it("refuses data it cannot decompose, saying why", () => {
    throwsValue(() => new PCA({ nComponents: 5 }).fit(iris), "nComponents = 5", "min(150, 4) = 4", "nComponents <= 4");
    throwsValue(() => new PCA({ nComponents: 6 }).fit(matrix("wide")), "min(5, 7) = 5");
    throwsValue(() => new PCA({ nComponents: "mle" }).fit(matrix("wide")), '"mle"', "nSamples >= nFeatures", "5 rows and 7 columns");
    throwsValue(() => new PCA().fit([[1, 2, 3]]), "1 row", "at least 2");
    throwsValue(
      () =>
        new PCA().fit([
          [1, 2],
          [1, 2],
        ]),
      "no variance",
    );
    throwsValue(
      () =>
        new PCA().fit([
          [1, null],
          [2, 3],
        ] as RawFeatures),
      "X[0][1]",
      "SimpleImputer",
    );
  });

  it("checks the width of new rows, and of the coordinates it inverts", () => {
    const model = new PCA({ nComponents: 2 });
    model.fit(iris);
    throwsValue(() => model.transform([[1, 2, 3]]), "PCA.transform", "3 features", "fitted on 4");
    throwsValue(() => model.scoreSamples([[1, 2, 3, 4, 5]]), "PCA.scoreSamples", "fitted on 4");
    throwsValue(() => model.inverseTransform([[1, 2, 3]]), "PCA.inverseTransform", "fitted on 2");
    throwsValue(() => model.transform([[1, Number.NaN, 3, 4]]), "X[0][1]", "SimpleImputer");
  });

  it("refuses a precision when its covariance is singular, and says how to get one", () => {
    const model = new PCA();
    model.fit(matrix("wide"));
    throwsValue(() => model.getPrecision(), "singular", "noiseVariance > 0");
    throwsValue(() => model.score(matrix("wide probe")), "PCA.scoreSamples", "singular");
  });
});

describe("PCA in a pipeline", () => {
  const { X, y } = loadArrays("iris");

  it("is a Transformer step, fitted on each fold's training rows only under crossValidate", async () => {
    const step: Transformer = new PCA({ nComponents: 2 });
    assert.equal(typeof step.fit, "function");
    const made: Pipeline[] = [];
    const makeModel = () => {
      const pipeline = makePipeline(new StandardScaler(), new PCA({ nComponents: 2 }), new KNNClassifier({ k: 5 }));
      made.push(pipeline);
      return pipeline;
    };
    const cv = new StratifiedKFold({ nSplits: 5 });
    const result = await crossValidate(makeModel, X, y, { cv });
    const folds = cv.split({ n: X.length, y });
    assert.equal(made.length, folds.length);
    folds.forEach(({ train, test }, f) => {
      const pca = made[f].steps[1] as PCA;
      const trainRows = train.map((i) => X[i]);
      const scaler = new StandardScaler();
      scaler.fit(trainRows);
      const own = new PCA({ nComponents: 2 });
      own.fit(scaler.transform(trainRows));
      assert.equal(pca.nSamples, train.length, `fold ${f}: rows seen`);
      assert.deepEqual(pca.mean, own.mean, `fold ${f}: mean`);
      assert.deepEqual(pca.components, own.components, `fold ${f}: components`);
      // The scaled training rows are centred, the test rows are not: the mean is not over all rows.
      const allScaled = scaler.transform(X) as number[][];
      const meanOfAll = allScaled[0].map((_, j) => allScaled.reduce((acc, row) => acc + row[j], 0) / X.length);
      assert.ok(
        meanOfAll.some((m, j) => Math.abs(m - pca.mean![j]) > 1e-6),
        `fold ${f}: the mean includes test rows`,
      );
      // The fold's score is the accuracy of k-NN on the fold's own projections.
      const knn = new KNNClassifier({ k: 5 });
      knn.fit(
        own.transform(scaler.transform(trainRows)),
        train.map((i) => y[i]),
      );
      const predicted = knn.predict(own.transform(scaler.transform(test.map((i) => X[i]))));
      const accuracy = predicted.filter((label, i) => label === y[test[i]]).length / test.length;
      assert.equal(result.testScores[f], accuracy, `fold ${f}: score`);
    });
  });
});
