import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { loadArrays } from "../../../learn/datasets.js";
import { NotFittedError } from "../../../learn/estimator.js";
import * as models from "../../../learn/models/index.js";
import {
  AgglomerativeClustering,
  DBSCAN,
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GaussianMixture,
  GaussianNB,
  KMeans,
  KNNClassifier,
  KNNRegressor,
  LogisticRegression,
  MiniBatchKMeans,
  MLPClassifier,
  MLPRegressor,
  MODEL_FORMAT_VERSION,
  MODEL_KINDS,
  modelFromJSON,
  PCA,
  RandomForestClassifier,
  RandomForestRegressor,
  Ridge,
} from "../../../learn/models/index.js";
import { decodeValue, encodeValue, type ModelJSON } from "../../../learn/models/serial.js";
import * as pipelines from "../../../learn/pipeline.js";
import { makePipeline, Pipeline } from "../../../learn/pipeline.js";
import * as preprocessing from "../../../learn/preprocessing.js";
import { MinMaxScaler, OneHotEncoder, SimpleImputer, StandardScaler } from "../../../learn/preprocessing.js";

const iris = loadArrays("iris");
const wine = loadArrays("wine");
const diabetes = loadArrays("diabetes");

type Data = { X: number[][]; y: (number | string)[] };
// biome-ignore lint/suspicious/noExplicitAny: each case's model is a different class
type AnyModel = any;

/** Wine with its features scaled, for the MLP and the clusterers. */
const wineScaled: Data = (() => {
  const scaler = new StandardScaler();
  scaler.fit(wine.X);
  return { X: scaler.transform(wine.X) as number[][], y: wine.y };
})();
/** Iris with a category column (0, 1, 2 from the petal length) for the one-hot encoder. */
const irisCategorical: Data = {
  X: iris.X.map((row) => [...row, row[2] < 2 ? 0 : row[2] < 5 ? 1 : 2]),
  y: iris.y,
};
/** Iris with a few cells missing, for the imputer. */
const irisMissing: Data = { X: iris.X.map((row, i) => row.map((v, j) => ((i + j) % 17 === 0 ? (null as never) : v))), y: iris.y };

interface Case {
  make: () => AnyModel;
  data: Data;
}

/** One case per class exported from learn/models, learn/preprocessing and learn/pipeline. */
const CASES: Record<string, Case> = {
  DecisionTreeClassifier: { make: () => new DecisionTreeClassifier({ maxDepth: 4, seed: 3 }), data: iris },
  DecisionTreeRegressor: { make: () => new DecisionTreeRegressor({ minSamplesLeaf: 5, seed: 3 }), data: diabetes },
  RandomForestClassifier: { make: () => new RandomForestClassifier({ nEstimators: 12, criterion: "entropy", seed: 4 }), data: wine },
  RandomForestRegressor: { make: () => new RandomForestRegressor({ nEstimators: 8, maxFeatures: 0.5, seed: 4 }), data: diabetes },
  KNNClassifier: { make: () => new KNNClassifier({ k: 7 }), data: iris },
  KNNRegressor: { make: () => new KNNRegressor({ k: 4 }), data: diabetes },
  LogisticRegression: { make: () => new LogisticRegression({ C: 0.5, maxIter: 200 }), data: wineScaled },
  GaussianNB: { make: () => new GaussianNB(), data: wine },
  Ridge: { make: () => new Ridge({ alpha: 0.3 }), data: diabetes },
  MLPClassifier: { make: () => new MLPClassifier({ hiddenUnits: [8, 6], epochs: 4, learningRate: 0.02, seed: 5 }), data: wineScaled },
  MLPRegressor: { make: () => new MLPRegressor({ hiddenUnits: [8], epochs: 3, activation: "tanh", seed: 5 }), data: diabetes },
  KMeans: { make: () => new KMeans({ nClusters: 3, nInit: 3, seed: 6 }), data: wineScaled },
  MiniBatchKMeans: { make: () => new MiniBatchKMeans({ nClusters: 3, batchSize: 40, maxNoImprovement: null, seed: 6 }), data: wineScaled },
  DBSCAN: { make: () => new DBSCAN({ eps: 2.2, minSamples: 4 }), data: wineScaled },
  AgglomerativeClustering: { make: () => new AgglomerativeClustering({ nClusters: null, distanceThreshold: 12 }), data: wineScaled },
  GaussianMixture: { make: () => new GaussianMixture({ nComponents: 3, covarianceType: "diag", seed: 7 }), data: wineScaled },
  PCA: { make: () => new PCA({ nComponents: 0.8, whiten: true }), data: wine },
  StandardScaler: { make: () => new StandardScaler({ withMean: false }), data: diabetes },
  MinMaxScaler: { make: () => new MinMaxScaler({ featureRange: [-1, 2], clip: true }), data: wine },
  OneHotEncoder: { make: () => new OneHotEncoder({ columns: [4], handleUnknown: "ignore" }), data: irisCategorical },
  SimpleImputer: { make: () => new SimpleImputer({ strategy: "median" }), data: irisMissing },
  Pipeline: {
    make: () => makePipeline(new SimpleImputer(), new StandardScaler(), new PCA({ nComponents: 3 }), new LogisticRegression()),
    data: irisMissing,
  },
};

/** Rows the fitted and revived models are compared on: the training rows and rows outside their range. */
function queryRows(X: number[][]): number[][] {
  return [...X, X[0].map((v) => v * 3 + 1), X[1].map((v) => -v)];
}

/** What each model gives: predictions, probabilities, transforms, labels, scores, or the error it throws. */
function outputs(model: AnyModel, X: number[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attempt = (name: string, f: () => unknown) => {
    try {
      out[name] = f();
    } catch (error) {
      out[name] = `${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  for (const method of ["predict", "predictProba", "transform", "scoreSamples"]) {
    if (typeof model[method] === "function") attempt(method, () => model[method](X));
  }
  const properties = ["labels", "classes", "inertia", "coreSampleIndices", "children", "lowerBound", "nIter", "explainedVariance"];
  properties.push("statistics", "categories", "coef", "intercept", "featureImportances", "epochsRun", "converged");
  for (const property of properties) {
    if (property in model) attempt(property, () => model[property]);
  }
  return out;
}

async function fitted(name: string): Promise<{ model: AnyModel; X: number[][] }> {
  const { make, data } = CASES[name];
  const model = make();
  await model.fit(data.X, data.y);
  return { model, X: queryRows(data.X) };
}

/** Through a JSON string, as a file would carry it. */
function throughText(json: ModelJSON): unknown {
  return JSON.parse(JSON.stringify(json));
}

describe("saving and loading models", () => {
  for (const name of Object.keys(CASES)) {
    it(`${name}: a fitted model read back from JSON text gives identical outputs`, async () => {
      const { model, X } = await fitted(name);
      const json = model.toJSON();
      assert.equal(json.kind, name);
      assert.equal(json.version, MODEL_FORMAT_VERSION);
      const text = JSON.stringify(json);
      const byClass = await (name === "Pipeline" ? Pipeline : ((models as AnyModel)[name] ?? (preprocessing as AnyModel)[name])).fromJSON(
        JSON.parse(text),
      );
      const byKind: AnyModel = await modelFromJSON(text);
      const expected = outputs(model, X);
      assert.ok("predict" in expected || "transform" in expected, `${name} predicts or transforms`);
      assert.deepEqual(outputs(byClass, X), expected);
      assert.deepEqual(outputs(byKind, X), expected);
      assert.equal(byKind.constructor.name, name);
      // Saving the copy again gives the same text: nothing was lost or changed on the way.
      assert.equal(JSON.stringify(byKind.toJSON()), text);
    });

    it(`${name}: an unfitted model keeps its hyperparameters`, async () => {
      const { make, data } = CASES[name];
      const fresh = make();
      const json = throughText(fresh.toJSON()) as ModelJSON;
      assert.equal(json.state, null);
      const copy: AnyModel = await modelFromJSON(json);
      assert.deepEqual(copy.toJSON(), fresh.toJSON());
      if (typeof copy.predict === "function" && !(copy instanceof DBSCAN) && !(copy instanceof AgglomerativeClustering)) {
        assert.throws(() => copy.predict(data.X), NotFittedError);
      }
      // Fitted now, the copy is the model the original settings make.
      const { model, X } = await fitted(name);
      await copy.fit(data.X, data.y);
      assert.deepEqual(outputs(copy, X), outputs(model, X));
    });
  }

  it("a clustering pipeline and a pipeline inside a pipeline round-trip", async () => {
    const clustering = makePipeline(new StandardScaler(), new KMeans({ nClusters: 4, seed: 2 }));
    clustering.fitPredict!(wine.X);
    const inner = new Pipeline([new MinMaxScaler()], new Ridge());
    const outer = new Pipeline([new StandardScaler(), inner as never], new KNNRegressor({ k: 3 }));
    outer.fit(diabetes.X, diabetes.y);
    for (const [model, X] of [
      [clustering, wine.X],
      [outer, diabetes.X],
    ] as const) {
      const copy: AnyModel = await modelFromJSON(JSON.stringify(model.toJSON()));
      assert.deepEqual(outputs(copy, X), outputs(model, X));
    }
  });

  it("an MLP's network goes through TensorFlow.js's own format, weights in base64", async () => {
    const { model } = await fitted("MLPClassifier");
    const { network } = model.toJSON().state as {
      network: { modelTopology: unknown; weightSpecs: { shape: number[] }[]; weightData: string };
    };
    assert.equal(typeof network.modelTopology, "object");
    assert.deepEqual(
      network.weightSpecs.map((spec) => spec.shape),
      [[13, 8], [8], [8, 6], [6], [6, 3], [3]],
    );
    const floats = network.weightSpecs.reduce((n, spec) => n + spec.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(Buffer.from(network.weightData, "base64").length, floats * 4);
    // The callback is a function and is not saved.
    const withCallback = new MLPClassifier({ epochs: 1, onEpochEnd: () => {} });
    assert.equal("onEpochEnd" in withCallback.toJSON().params, false);
  });

  it("numbers JSON has no literal for keep their value, also inside typed arrays and maps", () => {
    const value = {
      a: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 0.1 + 0.2, Number.MIN_VALUE, -Number.MAX_VALUE],
      b: Float64Array.from([Number.NaN, -0, 1e-310, Math.PI]),
      c: Int32Array.from([-1, 2 ** 31 - 1]),
      d: Uint8Array.from([0, 255]),
      e: new Map([[3, [Number.NEGATIVE_INFINITY]]]),
    };
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(value))));
    assert.deepEqual(back, value);
    assert.ok(Object.is((back as typeof value).a[3], -0));
    assert.throws(() => encodeValue({ f: () => 1 }), ValueError);
  });

  it("an unknown kind names the known ones; another format version says which it reads", async () => {
    await assert.rejects(modelFromJSON({ kind: "SVC", version: MODEL_FORMAT_VERSION, params: {}, state: null }), (error: Error) => {
      assert.ok(error instanceof ValueError);
      assert.match(error.message, /unknown model kind "SVC"/);
      for (const kind of ["KMeans", "Pipeline", "RandomForestClassifier"]) assert.ok(error.message.includes(kind), kind);
      return true;
    });
    const saved = new Ridge().toJSON();
    await assert.rejects(modelFromJSON({ ...saved, version: 99 }), /format version 99.*reads version 1/);
    assert.throws(() => Ridge.fromJSON({ ...saved, version: 0 }), ValueError);
    assert.throws(() => Ridge.fromJSON(new GaussianNB().toJSON()), /saved "GaussianNB", not a Ridge/);
    await assert.rejects(modelFromJSON([1, 2]), /expected a saved model/);
  });

  it("every exported model and transformer class is covered here and can be saved", () => {
    const exported = Object.entries({ ...models, ...preprocessing, ...pipelines }).filter(
      ([, value]) => typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value)),
    );
    const names = exported.map(([name]) => name).sort();
    assert.deepEqual(names, Object.keys(CASES).sort());
    assert.deepEqual([...MODEL_KINDS].sort(), names);
    for (const [name, value] of exported) {
      assert.equal(typeof (value as AnyModel).fromJSON, "function", `${name}.fromJSON`);
      assert.equal(typeof (value as AnyModel).prototype.toJSON, "function", `${name}.prototype.toJSON`);
    }
  });
});
