import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mutualInfoClassif } from "../../learn/analysis/association.js";
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  MLPClassifier,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../learn/models/index.js";
import { KFold, RepeatedKFold, ShuffleSplit, StratifiedKFold, trainTestSplit } from "../../learn/splitters/index.js";
import { BAD_SEEDS, refusedSeed } from "../core/seed-cases.js";

const X = [
  [0, 1],
  [1, 0],
  [1, 1],
  [0, 0],
];
const y = [0, 1, 1, 0];

/** Every entry point of learn/ that takes a seed, with the name its errors carry. */
const ENTRY_POINTS: [string, (seed: unknown) => unknown][] = [
  ["KFold", (seed) => new KFold({ nSplits: 2, shuffle: true, seed } as never)],
  ["StratifiedKFold", (seed) => new StratifiedKFold({ nSplits: 2, shuffle: true, seed } as never)],
  ["RepeatedKFold", (seed) => new RepeatedKFold({ nSplits: 2, seed } as never)],
  ["ShuffleSplit", (seed) => new ShuffleSplit({ nSplits: 2, seed } as never)],
  ["trainTestSplit", (seed) => trainTestSplit(10, { seed } as never)],
  ["DecisionTreeClassifier", (seed) => new DecisionTreeClassifier({ seed } as never)],
  ["DecisionTreeRegressor", (seed) => new DecisionTreeRegressor({ seed } as never)],
  ["RandomForestClassifier", (seed) => new RandomForestClassifier({ seed } as never)],
  ["RandomForestRegressor", (seed) => new RandomForestRegressor({ seed } as never)],
  ["MLPClassifier", (seed) => new MLPClassifier({ seed } as never)],
  ["mutualInfoClassif", (seed) => mutualInfoClassif(X, y, { seed } as never)],
];

describe("learn/ refuses seeds that are not integers from 0 to 2^32 - 1, by name", () => {
  for (const [shown, seed] of BAD_SEEDS) {
    it(`seed ${shown}`, () => {
      for (const [name, build] of ENTRY_POINTS) {
        assert.throws(() => build(seed), refusedSeed(name, shown), name);
      }
    });
  }
});
