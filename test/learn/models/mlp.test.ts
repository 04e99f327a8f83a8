import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TrialPruned, ValueError } from "../../../core/errors.js";
import { crossValidate } from "../../../learn/cross-validate.js";
import { loadArrays } from "../../../learn/datasets.js";
import { NotFittedError } from "../../../learn/estimator.js";
import { MLPClassifier, MLPRegressor, reportEpochs } from "../../../learn/models/mlp.js";
import { makePipeline } from "../../../learn/pipeline.js";
import { StandardScaler } from "../../../learn/preprocessing.js";

const iris = loadArrays("iris");
const scaler = new StandardScaler();
scaler.fit(iris.X);
const X = scaler.transform(iris.X) as number[][];

describe("MLP on TensorFlow.js", () => {
  it("learns iris in a few epochs, without printing tfjs's banner", async () => {
    const printed: unknown[] = [];
    const { log, warn, info } = console;
    console.log = console.warn = console.info = (...args: unknown[]) => void printed.push(args);
    const model = new MLPClassifier({ hiddenUnits: [16], epochs: 25, learningRate: 0.02, seed: 1 });
    try {
      await model.fit(X, iris.y);
    } finally {
      Object.assign(console, { log, warn, info });
    }
    assert.deepEqual(printed, []);
    assert.deepEqual(model.classes, iris.classes);
    const accuracy = model.predict(X).filter((label, i) => label === iris.y[i]).length / X.length;
    assert.ok(accuracy > 0.9, String(accuracy));
    const proba = model.predictProba(X.slice(0, 3));
    proba.forEach((row) => {
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    });
  });

  it("repeats with a seed", async () => {
    const run = async () => {
      const model = new MLPClassifier({ hiddenUnits: [8, 8], epochs: 3, seed: 9 });
      await model.fit(X, iris.y);
      return model.predictProba(X.slice(0, 5));
    };
    assert.deepEqual(await run(), await run());
  });

  it("counts its weights and biases once fitted", async () => {
    const model = new MLPClassifier({ hiddenUnits: [5, 3], epochs: 1, seed: 1 });
    assert.equal(model.parameterCount, undefined);
    await model.fit(X, iris.y);
    // 4 features → 5 → 3 → 3 classes: (4 + 1)·5 + (5 + 1)·3 + (3 + 1)·3.
    assert.equal(model.parameterCount, 25 + 18 + 12);
    model.dispose();
    assert.equal(model.parameterCount, undefined);
  });

  it("calls onEpochEnd with the validation score and stops when it returns true", async () => {
    const seen: [number, number][] = [];
    const model = new MLPClassifier({
      epochs: 20,
      seed: 2,
      onEpochEnd: (epoch, score) => {
        seen.push([epoch, score]);
        return epoch === 4;
      },
    });
    await model.fit(X, iris.y);
    assert.equal(model.epochsRun, 5);
    assert.deepEqual(
      seen.map(([epoch]) => epoch),
      [0, 1, 2, 3, 4],
    );
    // 15 held-out rows: scores are multiples of 1/15.
    for (const [, score] of seen) assert.ok(score >= 0 && score <= 1 && Math.abs(score * 15 - Math.round(score * 15)) < 1e-9);
  });

  it("reports epochs to a trial and is pruned when the pruner says so", async () => {
    const reports: [number, number][] = [];
    const trial = { report: (value: number, step: number) => void reports.push([value, step]), shouldPrune: () => reports.length >= 3 };
    const model = new MLPClassifier({ epochs: 50, seed: 3, onEpochEnd: reportEpochs(trial) });
    await assert.rejects(model.fit(X, iris.y), TrialPruned);
    assert.deepEqual(
      reports.map(([, step]) => step),
      [0, 1, 2],
    );
    assert.equal(model.epochsRun, 3);
  });

  it("regresses diabetes and cross-validates inside a pipeline", async () => {
    const diabetes = loadArrays("diabetes");
    const result = await crossValidate(
      () => makePipeline(new StandardScaler(), new MLPRegressor({ hiddenUnits: [16], epochs: 15, learningRate: 0.01, seed: 4 })),
      diabetes.X,
      diabetes.y,
      { cv: 3 },
    );
    assert.equal(result.testScores.length, 3);
    assert.ok(result.mean > 0.3, `mean R² ${result.mean}`);
  });

  it("bad hyperparameters and predict before fit", () => {
    const throwsValue = (fn: () => unknown, ...fragments: string[]) =>
      assert.throws(fn, (error: unknown) => {
        assert.ok(error instanceof ValueError, String(error));
        for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
        return true;
      });
    throwsValue(() => new MLPClassifier({ hiddenUnits: [16, 0] }), "hiddenUnits", "[16,0]");
    throwsValue(() => new MLPClassifier({ learningRate: 0 }), "learningRate", "0");
    throwsValue(() => new MLPClassifier({ epochs: 1.5 }), "epochs", "1.5");
    throwsValue(() => new MLPRegressor({ batchSize: -1 }), "batchSize", "-1");
    throwsValue(() => new MLPRegressor({ activation: "swish" as never }), '"swish"');
    throwsValue(() => new MLPRegressor({ validationFraction: 1 }), "validationFraction", "1");
    throwsValue(() => new MLPRegressor({ epoch: 3 } as never), '"epoch"', '"epochs"');
    assert.throws(() => new MLPClassifier().predict(X), NotFittedError);
  });
});
