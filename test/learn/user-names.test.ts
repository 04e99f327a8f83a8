/**
 * Names that come from the user (scorer and dataset names, option keys, class
 * labels) are looked up among tunebook's own names only, never on
 * Object.prototype: "constructor" is an unknown name, not a crash.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crossValidate } from "../../learn/cross-validate.js";
import { loadArrays, loadDataset } from "../../learn/datasets.js";
import { uniqueLabels } from "../../learn/labels.js";
import { makeScorer, metrics, scorer } from "../../learn/metrics/index.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GaussianNB,
  KNNClassifier,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../learn/models/index.js";
import { OneHotEncoder, SimpleImputer, StandardScaler } from "../../learn/preprocessing.js";
import { GroupKFold, KFold, ShuffleSplit, StratifiedKFold, TimeSeriesSplit, trainTestSplit } from "../../learn/splitters/index.js";
import { rejectsValue, throwsValue } from "./value-errors.js";

const HOSTILE = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];

/** `{ [name]: 1 }` as JSON.parse makes it, so that even "__proto__" is an own key. */
function optionsNamed(name: string): Record<string, unknown> {
  return JSON.parse(`{${JSON.stringify(name)}: 1}`) as Record<string, unknown>;
}

describe("names from the user are never looked up on Object.prototype", () => {
  it("scorer: an unknown scorer, with the known ones listed", async () => {
    for (const name of HOSTILE) {
      throwsValue(() => scorer(name as never), `unknown scoring ${JSON.stringify(name)}`, "accuracy", "makeScorer");
      await rejectsValue(
        crossValidate(() => new KNNClassifier({ k: 1 }), [[0], [1], [2], [3]], ["a", "b", "a", "b"], { cv: 2, scoring: name as never }),
        `unknown scoring ${JSON.stringify(name)}`,
      );
    }
  });

  it("makeScorer: its options are checked, its name is any non-empty string", () => {
    for (const name of HOSTILE) {
      throwsValue(() => makeScorer("mine", () => 1, optionsNamed(name)), `unknown option ${JSON.stringify(name)}`);
      assert.equal(makeScorer(name, () => 1).name, name);
    }
    throwsValue(() => makeScorer("mine", () => 1, { greaterIsbetter: false } as never), '"greaterIsbetter"', '"greaterIsBetter"');
    throwsValue(() => makeScorer("mine", () => 1, { greaterIsBetter: "no" as never }), "greaterIsBetter", '"no"');
    throwsValue(() => makeScorer("mine", () => 1, { input: "proba" as never }), "input", '"proba"', '"probabilities"');
    throwsValue(() => makeScorer("", () => 1), "name", '""');
    throwsValue(() => makeScorer(3 as never, () => 1), "name", "3");
  });

  it("loadDataset and loadArrays: an unknown dataset", async () => {
    for (const name of HOSTILE) {
      await rejectsValue(loadDataset(name as never), `unknown dataset ${JSON.stringify(name)}`, "iris");
      throwsValue(() => loadArrays(name as never), `unknown dataset ${JSON.stringify(name)}`, "iris");
    }
  });

  it("model options: an unknown option, named", () => {
    const models = [
      DecisionTreeClassifier,
      DecisionTreeRegressor,
      RandomForestClassifier,
      RandomForestRegressor,
      KNNClassifier,
      GaussianNB,
    ];
    for (const Model of models) {
      for (const name of HOSTILE) {
        throwsValue(() => new Model(optionsNamed(name) as never), `unknown option ${JSON.stringify(name)}`);
      }
    }
    // A removed option still names its replacement.
    throwsValue(() => new DecisionTreeClassifier({ minGain: 0.1 } as never), "minGain", "minImpurityDecrease");
  });

  it("splitter and preprocessing options: an unknown option, named", () => {
    const makers: ((options: never) => unknown)[] = [
      (o) => new KFold(o),
      (o) => new StratifiedKFold(o),
      (o) => new GroupKFold(o),
      (o) => new ShuffleSplit(o),
      (o) => new TimeSeriesSplit(o),
      (o) => trainTestSplit(10, o),
      (o) => new StandardScaler(o),
      (o) => new SimpleImputer(o),
      (o) => new OneHotEncoder({ columns: [0], ...(o as object) }),
    ];
    for (const make of makers) {
      for (const name of HOSTILE) throwsValue(() => make(optionsNamed(name) as never), `unknown option ${JSON.stringify(name)}`);
    }
  });

  it("class labels named like Object.prototype's members are ordinary labels", async () => {
    const y = ["constructor", "__proto__", "toString", "constructor", "__proto__", "toString"];
    assert.deepEqual(uniqueLabels("test", y), ["__proto__", "constructor", "toString"]);
    assert.equal(metrics.accuracy(y, y), 1);
    assert.equal(metrics.f1(y, y, { average: "macro" }), 1);
    const X = [[0], [1], [2], [0.1], [1.1], [2.1]];
    const model = new KNNClassifier({ k: 1 });
    model.fit(X, y);
    assert.deepEqual(model.predict([[0], [1], [2]]), ["constructor", "__proto__", "toString"]);
    const result = await crossValidate(() => new GaussianNB(), X, y, { cv: new KFold({ nSplits: 2 }), scoring: "accuracy" });
    assert.equal(result.testScores.length, 2);
  });
});
