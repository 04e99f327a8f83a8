/** FixedTrial (tune/fixed-trial.ts): the replay of chosen parameters that nested cross-validation refits with. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { crossValidate } from "../../learn/cross-validate.js";
import { loadArrays } from "../../learn/datasets.js";
import { KNNClassifier } from "../../learn/models/knn.js";
import { createStudy } from "../../tune/create-study.js";
import { FixedTrial, type SuggestingTrial } from "../../tune/fixed-trial.js";
import { setVerbosity } from "../../tune/log.js";

setVerbosity("silent");

const space = (trial: SuggestingTrial) => ({
  lr: trial.suggestFloat("lr", 1e-4, 1, { log: true }),
  depth: trial.suggestInt("depth", 2, 10, { step: 2 }),
  kernel: trial.suggestCategorical("kernel", ["rbf", "linear", null]),
  ratio: trial.suggestFloat("ratio", 0, 1, { step: 0.25 }),
});

const throwsValue = (fn: () => unknown, ...parts: RegExp[]) =>
  assert.throws(fn, (e: unknown) => e instanceof ValueError && parts.every((p) => p.test(e.message)));

describe("FixedTrial", () => {
  it("replays a study's best parameters: the same values, and the same distributions", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 2 });
    await study.optimize(
      (trial) => {
        const p = space(trial);
        return p.lr * p.depth;
      },
      { nTrials: 5 },
    );
    const best = await study.best();
    const fixed = new FixedTrial(best.params, best.number);
    assert.deepEqual(space(fixed), best.params);
    assert.deepEqual(fixed.params, best.params);
    assert.equal(fixed.number, best.number);
    assert.deepEqual(Object.fromEntries(Object.entries(fixed.distributions).map(([name, d]) => [name, d.toJson()])), best.distributions);
    assert.deepEqual(fixed.unusedParams, []);
  });

  it("names a parameter without a value, and the ones given", () => {
    throwsValue(() => space(new FixedTrial({ lr: 0.1 })), /parameter "depth" has no fixed value/, /given: "lr"/);
    throwsValue(() => new FixedTrial({}).suggestInt("k", 1, 3), /given: none/);
  });

  it("refuses values outside the range asked for, or of another kind", () => {
    const base = { lr: 0.1, depth: 4, kernel: "rbf", ratio: 0.5 };
    throwsValue(() => space(new FixedTrial({ ...base, lr: 2 })), /"lr" is fixed to 2/, /FloatDistribution/);
    throwsValue(() => space(new FixedTrial({ ...base, depth: 5 })), /"depth" is fixed to 5/, /step/);
    throwsValue(() => space(new FixedTrial({ ...base, depth: 4.5 })), /"depth" is fixed to 4.5/);
    throwsValue(() => space(new FixedTrial({ ...base, depth: "4" })), /"depth" is fixed to "4"/);
    throwsValue(() => space(new FixedTrial({ ...base, kernel: "poly" })), /"kernel" is fixed to "poly"/, /CategoricalDistribution/);
    throwsValue(() => space(new FixedTrial({ ...base, ratio: 0.3 })), /"ratio" is fixed to 0.3/);
    assert.equal(space(new FixedTrial({ ...base, kernel: null })).kernel, null);
  });

  it("checks the ranges themselves, and one name asked twice", () => {
    throwsValue(() => new FixedTrial({ x: 1 }).suggestFloat("x", 2, 1), /Parameter "x"/, /low \(2\)/);
    const trial = new FixedTrial({ x: 1 });
    assert.equal(trial.suggestInt("x", 0, 3), 1);
    assert.equal(trial.suggestInt("x", 0, 3), 1);
    throwsValue(() => trial.suggestInt("x", 0, 4), /already suggested/);
    throwsValue(() => trial.suggestInt("x", 0, 3, { lg: true } as never), /Did you mean "log"/);
  });

  it("lists the given parameters not asked for", () => {
    const trial = new FixedTrial({ a: 1, b: 2 });
    trial.suggestInt("a", 0, 2);
    assert.deepEqual(trial.unusedParams, ["b"]);
  });

  it("refuses params that are not an object of values, and a bad number", () => {
    throwsValue(() => new FixedTrial(null as never), /params must be an object/);
    throwsValue(() => new FixedTrial({ a: [1] } as never), /parameter "a" is \[1\]/);
    throwsValue(() => new FixedTrial({}, -1), /number must be an integer >= 0/);
  });

  it("takes crossValidate's reports: fold scores kept, never pruned", async () => {
    const { X, y } = loadArrays("iris");
    const trial = new FixedTrial({ k: 7 });
    const k = trial.suggestInt("k", 1, 20);
    const cv = await crossValidate(() => new KNNClassifier({ k }), X, y, { cv: 3, trial });
    assert.deepEqual(trial.userAttrs.fold_scores, cv.testScores);
    assert.deepEqual(Object.values(trial.intermediateValues), cv.testScores);
    assert.equal(trial.shouldPrune(), false);
  });
});
