import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { growForest, growOptions, growTree, prepareData, type TreeData } from "../../../core/forest/index.js";
import { Rng } from "../../../core/rng.js";

function noisyData(n: number, seed: number): TreeData {
  const rng = new Rng(seed);
  const columns = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.random()));
  const y = Float64Array.from({ length: n }, (_, i) => 3 * columns[0][i] + Math.sin(6 * columns[1][i]) + 0.1 * rng.normal());
  return { n, columns, target: { kind: "regression", y } };
}

test("a seeded forest repeats tree for tree; another seed differs", () => {
  const data = prepareData(noisyData(200, 1));
  const options = growOptions("test", { maxFeatures: 0.5 }, "squared_error", 200, 3, 1);
  const bagging = { nEstimators: 5, bootstrap: true, draws: 200 };
  const a = growForest(data, options, bagging, new Rng(3));
  const b = growForest(data, options, bagging, new Rng(3));
  const c = growForest(data, options, bagging, new Rng(4));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("a fully grown tree on distinct rows reproduces its training targets", () => {
  const raw = noisyData(150, 2);
  const data = prepareData(raw);
  const tree = growTree(data, null, growOptions("test", {}, "squared_error", 150, 3, 1), new Rng(0));
  const y = Float64Array.from(raw.target.y);
  for (let i = 0; i < raw.n; i++) {
    const row = raw.columns.map((column) => column[i]);
    assert.equal(tree.predictValue(row), y[i]);
  }
  // Every node's value is the mean of the rows that reach it, and its weight their number.
  assert.equal(tree.weight[0], 150);
  assert.ok(Math.abs(tree.value[0] - y.reduce((s, v) => s + v, 0) / 150) < 1e-12);
});

test("bootstrap weights count repeated rows, and rows of weight 0 are left out", () => {
  const data = prepareData({
    n: 4,
    columns: [Float64Array.from([0, 1, 2, 3])],
    target: { kind: "classification", y: Int32Array.from([0, 0, 1, 1]), nClasses: 2 },
  });
  const tree = growTree(data, Float64Array.from([3, 0, 1, 2]), growOptions("test", {}, "gini", 4, 1, 1), new Rng(0));
  assert.equal(tree.samples[0], 3);
  assert.equal(tree.weight[0], 6);
  assert.deepEqual(Array.from(tree.value.subarray(0, 2)), [3, 3]);
  // the split lies between the rows present (0 and 2), row 1 being absent
  assert.equal(tree.threshold[0], 1);
});

test("bad data is refused with the row and the fix", () => {
  const throwsValue = (fn: () => unknown, fragment: string) =>
    assert.throws(fn, (e: unknown) => e instanceof ValueError && e.message.includes(fragment));
  const y = Float64Array.from([1, 2]);
  throwsValue(() => prepareData({ n: 2, columns: [Float64Array.from([0, Number.NaN])], target: { kind: "regression", y } }), "row 1");
  throwsValue(
    () => prepareData({ n: 2, columns: [Float64Array.from([0, 3])], categories: Int32Array.from([3]), target: { kind: "regression", y } }),
    "0..2",
  );
  throwsValue(
    () =>
      prepareData({
        n: 2,
        columns: [Float64Array.from([0, 1])],
        categories: Int32Array.from([2]),
        target: { kind: "classification", y: Int32Array.from([0, 1]), nClasses: 2 },
      }),
    "regression target",
  );
  throwsValue(
    () =>
      prepareData({
        n: 2,
        columns: [Float64Array.from([0, 1])],
        target: { kind: "classification", y: Int32Array.from([0, 2]), nClasses: 2 },
      }),
    "y[1] = 2",
  );
});
