import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../core/errors.js";
import { MAX_SEED } from "../../core/rng.js";
import {
  type Fold,
  GroupKFold,
  KFold,
  LeaveOneGroupOut,
  LeaveOneOut,
  RepeatedKFold,
  RepeatedStratifiedKFold,
  ShuffleSplit,
  type Splitter,
  StratifiedKFold,
  StratifiedShuffleSplit,
  TimeSeriesSplit,
  trainTestSplit,
} from "../../learn/splitters/index.js";
import { extraVectors, type SplitVector, sklearnVectors } from "./vectors.js";

/** Any valid seed: an integer from 0 to 2^32 - 1. */
const seedArb = fc.integer({ min: 0, max: MAX_SEED });

function camel(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), v]));
}

const constructors: Record<string, new (options: Record<string, unknown>) => Splitter> = {
  KFold,
  StratifiedKFold,
  GroupKFold,
  TimeSeriesSplit,
  LeaveOneOut,
  LeaveOneGroupOut,
} as unknown as Record<string, new (options: Record<string, unknown>) => Splitter>;

function splitFromVector(v: SplitVector): Fold[] {
  const options = camel(v.args);
  if (v.splitter === "trainTestSplit") return [trainTestSplit(v.n!, options)];
  if (v.splitter === "StratifiedKFold") options.allowSmallClasses = true;
  return new constructors[v.splitter](options).split({ n: v.n, y: v.y, groups: v.groups });
}

describe("splitters agree with scikit-learn", () => {
  const extra = extraVectors<{ splits: SplitVector[] }>("sklearn-extra.json");
  for (const [source, vectors] of [
    ["shared", sklearnVectors.splits],
    ["extra", extra.splits],
  ] as const) {
    for (const v of vectors) {
      it(`${source}: ${v.splitter}(${JSON.stringify(v.args)})`, () => {
        assert.deepEqual(splitFromVector(v), v.folds);
      });
    }
  }
});

/** Each row is in exactly one test fold, and each fold's train set is the complement of its test set. */
function assertPartition(folds: Fold[], n: number): void {
  const seen = new Array<number>(n).fill(0);
  for (const { train, test } of folds) {
    for (const i of test) seen[i]++;
    assert.deepEqual(
      [...train, ...test].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
  }
  assert.deepEqual(seen, new Array<number>(n).fill(1));
}

const labelsArb = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 80 });

describe("splitter properties", () => {
  it("KFold folds partition the rows, shuffled or not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 2, max: 10 }), fc.boolean(), seedArb, (n, k, shuffle, seed) => {
        fc.pre(k <= n);
        const folds = new KFold({ nSplits: k, shuffle, seed: shuffle ? seed : undefined }).split({ n });
        assert.equal(folds.length, k);
        assertPartition(folds, n);
        const sizes = folds.map((f) => f.test.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
      }),
    );
  });

  it("StratifiedKFold partitions the rows and keeps each class's count per fold within one of its share", () => {
    fc.assert(
      fc.property(labelsArb, fc.integer({ min: 2, max: 6 }), fc.boolean(), seedArb, (y, k, shuffle, seed) => {
        const counts = new Map<number, number>();
        for (const label of y) counts.set(label, (counts.get(label) ?? 0) + 1);
        fc.pre(Math.min(...counts.values()) >= k);
        const folds = new StratifiedKFold({ nSplits: k, shuffle, seed: shuffle ? seed : undefined }).split({ y });
        assertPartition(folds, y.length);
        for (const { test } of folds) {
          for (const [label, count] of counts) {
            const inFold = test.filter((i) => y[i] === label).length;
            assert.ok(Math.abs(inFold - count / k) < 1, `class ${label}: ${inFold} vs ${count}/${k}`);
          }
        }
      }),
    );
  });

  it("GroupKFold and LeaveOneGroupOut never put a group on both sides", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 2, max: 5 }),
        (groups, k) => {
          const distinct = new Set(groups).size;
          fc.pre(distinct >= Math.max(k, 2));
          for (const folds of [new GroupKFold({ nSplits: k }).split({ groups }), new LeaveOneGroupOut().split({ groups })]) {
            assertPartition(folds, groups.length);
            for (const { train, test } of folds) {
              const trainGroups = new Set(train.map((i) => groups[i]));
              assert.ok(test.every((i) => !trainGroups.has(groups[i])));
            }
          }
        },
      ),
    );
  });

  it("TimeSeriesSplit test rows come after train rows, with the gap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 80 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        (n, k, gap, maxTrainSize) => {
          const splitter = new TimeSeriesSplit({ nSplits: k, gap, maxTrainSize });
          let folds: Fold[];
          try {
            folds = splitter.split({ n });
          } catch (error) {
            assert.ok(error instanceof ValueError);
            return;
          }
          assert.equal(folds.length, k);
          for (const { train, test } of folds) {
            assert.ok(train.length > 0 && test.length > 0);
            assert.ok(Math.max(...train) + gap < Math.min(...test));
            if (maxTrainSize !== undefined) assert.ok(train.length <= maxTrainSize);
          }
          // The test blocks tile the end of the series.
          assert.equal(folds[k - 1].test.at(-1), n - 1);
        },
      ),
    );
  });

  it("ShuffleSplit and StratifiedShuffleSplit keep train and test disjoint with the asked sizes", () => {
    fc.assert(
      fc.property(labelsArb, fc.double({ min: 0.1, max: 0.5, noNaN: true }), seedArb, (y, testSize, seed) => {
        const counts = new Map<number, number>();
        for (const label of y) counts.set(label, (counts.get(label) ?? 0) + 1);
        const nTest = Math.ceil(testSize * y.length);
        fc.pre(Math.min(...counts.values()) >= 2 && nTest >= counts.size && y.length - nTest >= counts.size);
        for (const splitter of [
          new ShuffleSplit({ nSplits: 3, testSize, seed }),
          new StratifiedShuffleSplit({ nSplits: 3, testSize, seed }),
        ]) {
          for (const { train, test } of splitter.split({ y })) {
            assert.equal(test.length, nTest);
            assert.equal(train.length, y.length - nTest);
            const inTest = new Set(test);
            assert.ok(train.every((i) => !inTest.has(i)));
          }
        }
        for (const { test } of new StratifiedShuffleSplit({ nSplits: 3, testSize, seed }).split({ y })) {
          for (const [label, count] of counts) {
            const inTest = test.filter((i) => y[i] === label).length;
            assert.ok(Math.abs(inTest - (count * nTest) / y.length) < 1 + 1e-9, `class ${label}`);
          }
        }
      }),
    );
  });

  it("seeded shuffles repeat, and different seeds differ", () => {
    const a = new KFold({ nSplits: 4, shuffle: true, seed: 3 }).split({ n: 40 });
    assert.deepEqual(new KFold({ nSplits: 4, shuffle: true, seed: 3 }).split({ n: 40 }), a);
    assert.notDeepEqual(new KFold({ nSplits: 4, shuffle: true, seed: 4 }).split({ n: 40 }), a);
  });

  it("RepeatedKFold and RepeatedStratifiedKFold give nRepeats partitions, each shuffled differently", () => {
    const y = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? "a" : "b"));
    const repeated = new RepeatedKFold({ nSplits: 3, nRepeats: 4, seed: 1 }).split({ n: 30 });
    const stratified = new RepeatedStratifiedKFold({ nSplits: 3, nRepeats: 4, seed: 1 }).split({ y });
    for (const folds of [repeated, stratified]) {
      assert.equal(folds.length, 12);
      for (let r = 0; r < 4; r++) assertPartition(folds.slice(3 * r, 3 * r + 3), 30);
      assert.notDeepEqual(folds.slice(0, 3), folds.slice(3, 6));
    }
    // 10 rows of "a" over 3 folds: 3 or 4 in each.
    for (const { test } of stratified) assert.ok([3, 4].includes(test.filter((i) => y[i] === "a").length));
  });

  it("LeaveOneOut tests each row once", () => {
    const folds = new LeaveOneOut().split({ n: 5 });
    assert.deepEqual(
      folds.map((f) => f.test),
      [[0], [1], [2], [3], [4]],
    );
    assertPartition(folds, 5);
  });
});

describe("trainTestSplit", () => {
  it("splits arrays along with the rows, stratified", () => {
    const X = Array.from({ length: 20 }, (_, i) => [i, i * 2]);
    const y = Array.from({ length: 20 }, (_, i) => (i < 15 ? "no" : "yes"));
    const split = trainTestSplit([X, y], { testSize: 0.2, stratify: y, seed: 5 });
    const [Xtest, ytest] = split.testParts;
    assert.equal(Xtest.length, 4);
    assert.deepEqual(
      Xtest,
      split.test.map((i) => X[i]),
    );
    assert.deepEqual(ytest.filter((v) => v === "yes").length, 1);
    assert.deepEqual(
      split.trainParts[1],
      split.train.map((i) => y[i]),
    );
    assert.deepEqual(trainTestSplit(20, { testSize: 0.2, stratify: y, seed: 5 }).test, split.test);
  });

  it("defaults to a quarter of the rows for testing, rounding the test share up", () => {
    const { train, test } = trainTestSplit(10, { seed: 1 });
    assert.equal(test.length, 3);
    assert.equal(train.length, 7);
    assert.equal(trainTestSplit(10, { trainSize: 6, seed: 1 }).test.length, 4);
  });
});

function throwsValue(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("splitter errors", () => {
  it("more splits than samples", () => {
    throwsValue(() => new KFold({ nSplits: 5 }).split({ n: 3 }), "nSplits=5", "n=3");
    throwsValue(() => new StratifiedKFold({ nSplits: 5 }).split({ y: [0, 1, 0] }), "nSplits=5", "n=3");
    throwsValue(() => new TimeSeriesSplit({ nSplits: 5 }).split({ n: 4 }), "6", "n=4");
    throwsValue(() => new TimeSeriesSplit({ nSplits: 3, testSize: 4 }).split({ n: 12 }), "nSplits=3", "testSize=4");
  });

  it("nSplits below 2 or not an integer", () => {
    throwsValue(() => new KFold({ nSplits: 1 }), "nSplits=1");
    throwsValue(() => new StratifiedKFold({ nSplits: 2.5 }), "2.5");
    throwsValue(() => new GroupKFold({ nSplits: 0 }), "nSplits=0");
    throwsValue(() => new RepeatedKFold({ nRepeats: 0 }), "nRepeats", "0");
  });

  it("a class with fewer members than nSplits", () => {
    const y = ["a", "a", "a", "a", "b", "b", "a", "a"];
    throwsValue(() => new StratifiedKFold({ nSplits: 3 }).split({ y }), '"b"', "only 2 members", "nSplits=3");
    throwsValue(() => new StratifiedKFold({ nSplits: 3 }).split({ y: [0, 1, 2, 3] }), "nSplits=3", "each class");
    assert.equal(new StratifiedKFold({ nSplits: 3, allowSmallClasses: true }).split({ y }).length, 3);
    throwsValue(() => new StratifiedShuffleSplit({ testSize: 0.5 }).split({ y: ["a", "a", "b"] }), '"b"', "only 1 member");
  });

  it("missing or too few groups, missing labels, continuous labels", () => {
    throwsValue(() => new GroupKFold({ nSplits: 2 }).split({ n: 4 }), "groups");
    throwsValue(() => new LeaveOneGroupOut().split({ n: 4 }), "groups");
    throwsValue(() => new GroupKFold({ nSplits: 3 }).split({ groups: [1, 1, 2, 2] }), "nSplits=3", "number of groups: 2");
    throwsValue(() => new LeaveOneGroupOut().split({ groups: ["x", "x"] }), '["x"]');
    throwsValue(() => new StratifiedKFold({ nSplits: 2 }).split({ n: 4 }), "split({ y })");
    throwsValue(() => new StratifiedKFold({ nSplits: 2 }).split({ y: [0.5, 1.5, 0.5, 1.5] }), "0.5", "KFold");
  });

  it("inconsistent lengths and unknown options", () => {
    throwsValue(() => new KFold().split({ n: 4, y: [1, 2, 3] }), "n has 4", "y has 3");
    throwsValue(() => new KFold({ nSplit: 3 } as never), '"nSplit"', '"nSplits"');
    throwsValue(() => new KFold({ nSplits: 3, seed: 1 }), "seed=1", "shuffle");
    throwsValue(
      () =>
        trainTestSplit([
          [1, 2, 3],
          [1, 2],
        ]),
      "array 1 has 2",
    );
  });

  it("bad test sizes", () => {
    throwsValue(() => trainTestSplit(10, { testSize: 1.5 }), "testSize=1.5");
    throwsValue(() => trainTestSplit(10, { testSize: 0 }), "testSize=0");
    throwsValue(() => trainTestSplit(10, { testSize: 10 }), "testSize=10", "10");
    throwsValue(() => trainTestSplit(10, { testSize: 0.6, trainSize: 0.6 }), "1.2");
    throwsValue(() => new ShuffleSplit({ testSize: 6, trainSize: 6 }).split({ n: 10 }), "12", "10");
    throwsValue(() => new ShuffleSplit({ testSize: -0.2 }), "testSize=-0.2");
    throwsValue(() => new StratifiedShuffleSplit({ trainSize: 2.5 }), "trainSize=2.5");
    throwsValue(() => trainTestSplit(10, { shuffle: false, stratify: new Array(10).fill(0) }), "shuffle");
    throwsValue(() => new StratifiedShuffleSplit({ testSize: 2 }).split({ y: [0, 0, 1, 1, 2, 2] }), "test size 2", "3");
  });
});
