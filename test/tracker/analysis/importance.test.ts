import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import type { DistributionJson, ParamValue, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { decomposeTree } from "../../../tracker/analysis/forest/fanova.js";
import { growForest } from "../../../tracker/analysis/forest/forest.js";
import { growTree, presort, RegressionTree, type TreeData } from "../../../tracker/analysis/forest/tree.js";
import { type ImportanceResult, paramImportances } from "../../../tracker/analysis/importance.js";
import { CASES, categoricalCase, linearCase, mixedCase, trial } from "./importance-cases.js";

const order = (r: ImportanceResult) => r.importances.map((p) => p.name);
const byName = (r: ImportanceResult) => Object.fromEntries(r.importances.map((p) => [p.name, p]));

test("a tree splits halfway between neighbouring values and predicts leaf means", () => {
  const x = Float64Array.from([0.1, 0.2, 0.3, 0.7, 0.8, 0.9]);
  const y = Float64Array.from([1, 1, 1, 5, 5, 5]);
  const data: TreeData = { n: 6, columns: [x], categories: new Int32Array(1), y };
  const tree = growTree(
    data,
    presort(data),
    new Float64Array(6).fill(1),
    { maxDepth: 10, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
    new Rng(0),
  );
  assert.equal(tree.nodeCount, 3);
  assert.equal(tree.feature[0], 0);
  assert.ok(Math.abs(tree.threshold[0] - 0.5) < 1e-15, `failed: Math.abs(tree.threshold[0] - 0.5) < 1e-15`);
  assert.equal(tree.predict([0.45]), 1);
  assert.equal(tree.predict([0.55]), 5);
  // squared-error decrease of the split: 6 samples, variance 4 → 24
  assert.ok(Math.abs(tree.decrease[0] - 24) < 1e-9, `failed: Math.abs(tree.decrease[0] - 24) < 1e-9`);
});

test("a categorical split groups the categories by their mean target", () => {
  // categories 0 and 2 share a mean, 1 and 3 another: one split separates them.
  const c = Float64Array.from([0, 2, 1, 3, 0, 2, 1, 3]);
  const y = Float64Array.from([0, 0, 10, 10, 0, 0, 10, 10]);
  const data: TreeData = { n: 8, columns: [c], categories: Int32Array.from([5]), y };
  const tree = growTree(
    data,
    presort(data),
    new Float64Array(8).fill(1),
    { maxDepth: 10, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
    new Rng(0),
  );
  assert.equal(tree.nodeCount, 3);
  assert.deepEqual(
    [0, 1, 2, 3].map((k) => tree.predict([k])),
    [0, 10, 0, 10],
  );
  // category 4 never appeared: it follows the heavier side (a tie here: left)
  assert.equal(tree.predict([4]), tree.value[tree.left[0]]);
});

test("bootstrap weights count repeated samples", () => {
  const data: TreeData = { n: 3, columns: [Float64Array.from([0, 1, 2])], categories: new Int32Array(1), y: Float64Array.from([0, 3, 6]) };
  const tree = growTree(
    data,
    presort(data),
    Float64Array.from([2, 0, 1]),
    { maxDepth: 0, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
    new Rng(0),
  );
  assert.equal(tree.nodeCount, 1);
  assert.equal(tree.value[0], 2); // (0 + 0 + 6) / 3
  assert.equal(tree.weight[0], 3);
});

test("the decomposition of a hand-built additive tree is exact", () => {
  // f(x1, x2) = [x1 > 0.25] * 4 + [x2 > 0.5] * 2 on [0,1]^2, as a tree splitting x1 then x2.
  // Var of main effects: x1: 16 * 0.25 * 0.75 = 3, x2: 4 * 0.25 = 1; no interaction, total 4.
  const feature = Int32Array.from([0, 1, 1, -1, -1, -1, -1]);
  const threshold = Float64Array.from([0.25, 0.5, 0.5, 0, 0, 0, 0]);
  const left = Int32Array.from([1, 3, 5, -1, -1, -1, -1]);
  const right = Int32Array.from([2, 4, 6, -1, -1, -1, -1]);
  const value = Float64Array.from([0, 0, 0, 0, 2, 4, 6]);
  const z = new Float64Array(7);
  const tree = new RegressionTree(7, feature, threshold, left, right, value, z, z, new Int32Array(7).fill(-1), new Uint8Array(0));
  const space = { low: Float64Array.from([0, 0]), high: Float64Array.from([1, 1]), categories: new Int32Array(2) };
  const { variance, marginalVariance } = decomposeTree(tree, space);
  assert.ok(Math.abs(variance - 4) < 1e-12, `variance ${variance}`);
  assert.ok(Math.abs(marginalVariance[0] - 3) < 1e-12, `x1 ${marginalVariance[0]}`);
  assert.ok(Math.abs(marginalVariance[1] - 1) < 1e-12, `x2 ${marginalVariance[1]}`);
});

test("the decomposition of a categorical split weighs each category equally", () => {
  // 3 categories; {0} → 0, {1, 2} → 3: marginal values 0, 3, 3 → variance 2
  const tree = new RegressionTree(
    3,
    Int32Array.from([0, -1, -1]),
    new Float64Array(3),
    Int32Array.from([1, -1, -1]),
    Int32Array.from([2, -1, -1]),
    Float64Array.from([0, 0, 3]),
    new Float64Array(3),
    new Float64Array(3),
    Int32Array.from([0, -1, -1]),
    Uint8Array.from([1, 0, 0]),
  );
  const { variance, marginalVariance } = decomposeTree(tree, {
    low: new Float64Array(1),
    high: new Float64Array(1),
    categories: Int32Array.from([3]),
  });
  assert.ok(Math.abs(variance - 2) < 1e-12, `failed: Math.abs(variance - 2) < 1e-12`);
  assert.ok(Math.abs(marginalVariance[0] - 2) < 1e-12, `failed: Math.abs(marginalVariance[0] - 2) < 1e-12`);
});

test("an interaction shows in the tree's variance but in no main effect", () => {
  // XOR on [0,1]^2: f = 1 when exactly one of x1, x2 exceeds 0.5.
  const rng = new Rng(5);
  const n = 400;
  const x1 = new Float64Array(n),
    x2 = new Float64Array(n),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.random();
    x2[i] = rng.random();
    y[i] = x1[i] > 0.5 !== x2[i] > 0.5 ? 1 : 0;
  }
  const data: TreeData = { n, columns: [x1, x2], categories: new Int32Array(2), y };
  const [tree] = growForest(data, { nTrees: 1, bootstrap: false }, new Rng(0));
  const { variance, marginalVariance } = decomposeTree(tree, {
    low: new Float64Array(2),
    high: Float64Array.from([1, 1]),
    categories: new Int32Array(2),
  });
  assert.ok(variance > 0.2, `variance ${variance}`);
  assert.ok(marginalVariance[0] < 0.02 * variance && marginalVariance[1] < 0.02 * variance, `${marginalVariance}`);
});

for (const make of CASES) {
  test(`fANOVA and MDI rank the ${make().name} case's parameters in the known order`, () => {
    const c = make();
    const fanova = paramImportances(c.trials);
    assert.deepEqual(order(fanova), c.expectedOrder);
    assert.equal(fanova.nTrials, c.trials.length);
    const sum = fanova.importances.reduce((a, p) => a + p.importance, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12, `failed: Math.abs(sum - 1) < 1e-12`);
    for (const p of fanova.importances) assert.ok(p.std >= 0 && Number.isFinite(p.std), `failed: p.std >= 0 && Number.isFinite(p.std)`);
    const top = fanova.importances[0];
    assert.ok(top.std > 0 && top.std < 0.1 * top.importance, `spread of ${top.name}: ${top.std}`);
    assert.deepEqual(order(paramImportances(c.trials, { method: "mdi" })), c.expectedOrder);
  });
}

test("maximising instead of minimising changes no importance", () => {
  for (const make of CASES) {
    const c = make();
    const negated = c.trials.map((t) => ({ ...t, value: -(t.value as number) }));
    for (const method of ["fanova", "mdi"] as const) {
      const a = byName(paramImportances(c.trials, { method }));
      const b = byName(paramImportances(negated, { method }));
      for (const name of Object.keys(a)) {
        assert.ok(
          Math.abs(a[name].importance - b[name].importance) < 1e-12,
          `${c.name}/${method}/${name}: ${a[name].importance} vs ${b[name].importance}`,
        );
        assert.ok(Math.abs(a[name].std - b[name].std) < 1e-12, `${c.name}/${method}/${name} std: ${a[name].std} vs ${b[name].std}`);
      }
    }
    // a positive affine change of scale keeps them too, up to rounding (which may flip a tied split)
    const scaled = byName(paramImportances(c.trials.map((t) => ({ ...t, value: 1000 + 3 * (t.value as number) }))));
    const plain = byName(paramImportances(c.trials));
    for (const name of Object.keys(plain)) {
      assert.ok(
        Math.abs(plain[name].importance - scaled[name].importance) < 1e-3,
        `${c.name}/${name}: ${plain[name].importance} vs ${scaled[name].importance}`,
      );
    }
  }
});

test("the same seed gives the same importances; another seed close ones", () => {
  const c = linearCase();
  assert.deepEqual(paramImportances(c.trials, { seed: 7 }), paramImportances(c.trials, { seed: 7 }));
  const a = byName(paramImportances(c.trials, { seed: 7 }));
  const b = byName(paramImportances(c.trials, { seed: 8 }));
  assert.notEqual(a.x.importance, b.x.importance);
  assert.ok(Math.abs(a.x.importance - b.x.importance) < 0.05, `failed: Math.abs(a.x.importance - b.x.importance) < 0.05`);
  // an Rng instance is accepted too
  assert.deepEqual(paramImportances(c.trials, { seed: new Rng(7) }), paramImportances(c.trials, { seed: 7 }));
});

test("conditional parameters are skipped by default and analysed on their branch when named", () => {
  const rng = new Rng(11);
  const model: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["svm", "tree"] } };
  const c: DistributionJson = { name: "FloatDistribution", attributes: { low: 1e-3, high: 1e3, log: true, step: null } };
  const depth: DistributionJson = { name: "IntDistribution", attributes: { low: 1, high: 12, log: false, step: 1 } };
  const noise: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
  const trials: TrialRecord[] = [];
  for (let i = 0; i < 300; i++) {
    const kind = rng.choice(["svm", "tree"]);
    const u = rng.random();
    if (kind === "svm") {
      const cv = Math.exp(rng.uniform(Math.log(1e-3), Math.log(1e3)));
      trials.push(trial(i, { model: kind, c: cv, u }, { model, c, u: noise }, 2 + Math.abs(Math.log10(cv))));
    } else {
      const dv = rng.integer(1, 12);
      trials.push(trial(i, { model: kind, depth: dv, u }, { model, depth, u: noise }, 0.1 * dv));
    }
  }
  trials.push(trial(300, { model: "svm" }, { model }, null, "FAIL"));
  const all = paramImportances(trials);
  assert.deepEqual(order(all), ["model", "u"]);
  assert.deepEqual(all.skipped.map((s) => s.name).sort(), ["c", "depth"]);
  assert.match(all.skipped[0].reason, /conditional/);
  const svm = paramImportances(trials, { params: ["c", "u"] });
  assert.ok(svm.nTrials > 100 && svm.nTrials < 200, `svm trials ${svm.nTrials}`);
  assert.deepEqual(order(svm), ["c", "u"]);
  assert.ok(svm.importances[0].importance > 0.9, `failed: svm.importances[0].importance > 0.9`);
  assert.throws(() => paramImportances(trials, { params: ["c", "depth"] }), ValueError);
});

test("a numeric range widened between trials is analysed over the union", () => {
  const c = mixedCase();
  const narrow: DistributionJson = { name: "FloatDistribution", attributes: { low: -1, high: 1, log: false, step: null } };
  const trials = c.trials.map((t, i) =>
    i % 2 === 0 && Math.abs(t.params.w as number) <= 1 ? { ...t, distributions: { ...t.distributions, w: narrow } } : t,
  );
  const r = paramImportances(trials);
  assert.deepEqual(order(r), c.expectedOrder);
  assert.deepEqual(r.skipped, []);
});

test("categorical choices that changed between trials leave the parameter out", () => {
  const c = categoricalCase();
  const other: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["rbf", "linear", "poly", "sigmoid"] } };
  const trials = c.trials.map((t, i) => (i === 0 ? { ...t, distributions: { ...t.distributions, kernel: other } } : t));
  const r = paramImportances(trials);
  assert.deepEqual(
    r.skipped.map((s) => s.name),
    ["kernel"],
  );
  assert.match(r.skipped[0].reason, /changed/);
});

test("degenerate inputs: too few trials, equal values, single-valued and unknown options", () => {
  const c = linearCase(10);
  assert.throws(
    () => paramImportances(c.trials.slice(0, 1)),
    (e: unknown) => e instanceof ValueError && /at least 2/.test(e.message),
  );
  assert.throws(() => paramImportances(c.trials.map((t) => ({ ...t, state: "PRUNED" as const }))), ValueError);
  const flat = paramImportances(c.trials.map((t) => ({ ...t, value: 1 })));
  assert.ok(flat.warning && /constant/.test(flat.warning), `failed: flat.warning && /constant/.test(flat.warning)`);
  assert.ok(
    flat.importances.every((p) => p.importance === 0),
    `failed: flat.importances.every((p) => p.importance === 0)`,
  );
  const single: DistributionJson = { name: "IntDistribution", attributes: { low: 3, high: 3, log: false, step: 1 } };
  const withSingle = c.trials.map((t) => ({
    ...t,
    params: { ...t.params, k: 3 as ParamValue },
    distributions: { ...t.distributions, k: single },
  }));
  assert.deepEqual(paramImportances(withSingle).skipped, [{ name: "k", reason: "a single possible value" }]);
  // non-finite values are left out, as Optuna does
  const withInf = [...c.trials, trial(10, c.trials[0].params, c.trials[0].distributions, Infinity)];
  assert.equal(paramImportances(withInf).nTrials, 10);
  assert.throws(
    () => paramImportances(c.trials, { nTree: 3 } as never),
    (e: unknown) => e instanceof ValueError && /Did you mean "nTrees"/.test(e.message),
  );
  assert.throws(() => paramImportances(c.trials, { method: "permutation" as never }), ValueError);
  assert.throws(() => paramImportances(c.trials, { maxFeatures: 0 }), ValueError);
});

test("a custom target is analysed instead of the value", () => {
  const c = linearCase();
  const r = paramImportances(c.trials, { target: (t) => 10 * (t.params.z as number) });
  assert.equal(order(r)[0], "z");
});

test("timing: 1,000 trials × 10 parameters (printed, not asserted)", (t) => {
  const rng = new Rng(3);
  const distributions: Record<string, DistributionJson> = {};
  for (let j = 0; j < 10; j++)
    distributions[`p${j}`] = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
  const trials: TrialRecord[] = [];
  for (let i = 0; i < 1000; i++) {
    const params: Record<string, ParamValue> = {};
    for (let j = 0; j < 10; j++) params[`p${j}`] = rng.random();
    trials.push(
      trial(
        i,
        params,
        distributions,
        10 * (params.p0 as number) ** 2 + 3 * (params.p1 as number) + Math.sin(6 * (params.p2 as number)) + 0.1 * rng.normal(),
      ),
    );
  }
  const timings: string[] = [];
  for (const method of ["fanova", "mdi"] as const) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const r = paramImportances(trials, { method });
    const cpu = process.cpuUsage(cpuStart);
    const ms = performance.now() - start;
    assert.deepEqual(order(r).slice(0, 3), ["p0", "p1", "p2"]);
    // CPU time too: on a shared machine the wall clock says more about the neighbours
    timings.push(`${method} ${ms.toFixed(0)} ms wall / ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
  }
  const line = `importance of 1,000 trials × 10 params, 64 trees: ${timings.join(", ")}`;
  t.diagnostic(line);
  console.log(line);
});

test("large studies are assessed on a seeded sample of maxTrials trials", () => {
  const c = linearCase(600, 21);
  const sampled = paramImportances(c.trials, { maxTrials: 250 });
  assert.equal(sampled.nTrials, 250);
  assert.equal(sampled.nEligible, 600);
  assert.deepEqual(order(sampled), c.expectedOrder);
  assert.deepEqual(paramImportances(c.trials, { maxTrials: 250 }), sampled, "the same sample each time");
  const full = paramImportances(c.trials);
  assert.equal(full.nTrials, 600);
  assert.ok(Math.abs(byName(full).x.importance - byName(sampled).x.importance) < 0.05, "close to the full fit");
  assert.throws(() => paramImportances(c.trials, { maxTrials: 1 }), ValueError);
});
