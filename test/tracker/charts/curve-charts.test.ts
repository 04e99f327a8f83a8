/** Validation and learning curve charts, and training against validation score per trial. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { Rng } from "../../../core/rng.js";
import { crossValidate } from "../../../learn/cross-validate.js";
import { learningCurve, validationCurve } from "../../../learn/curves.js";
import { DecisionTreeClassifier } from "../../../learn/models/decision-tree.js";
import { GaussianNB } from "../../../learn/models/gaussian-nb.js";
import { KNNClassifier } from "../../../learn/models/knn.js";
import { curveChart, curveSpec } from "../../../tracker/charts/curve-spec.js";
import { type CurveResult, curveData, curveSummary, isCurveResult, recordedCurves } from "../../../tracker/charts/curves.js";
import { kindsFor, studyChart } from "../../../tracker/charts/study-charts.js";
import { trainValidationGapData, trainValidationGapSpec } from "../../../tracker/charts/train-validation-gap.js";
import { createStudy } from "../../../tune/create-study.js";
import { checkSpec, countMarks, rec } from "./helpers.js";

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: readonly number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** A crafted validation curve of k: k = 1 fits its training rows perfectly, k = 100 scores low on both, k = 10 is best. */
function crafted(greaterIsBetter = true): CurveResult {
  const flip = (rows: number[][]) => (greaterIsBetter ? rows : rows.map((r) => r.map((s) => 1 - s)));
  return {
    kind: "validation-curve",
    param: "k",
    values: [1, 3, 10, 30, 100],
    trainScores: flip([
      [1, 1, 1, 1],
      [0.95, 0.93, 0.94, 0.96],
      [0.9, 0.91, 0.89, 0.9],
      [0.88, 0.9, 0.89, 0.87],
      [0.7, 0.72, 0.71, 0.69],
    ]),
    testScores: flip([
      [0.72, 0.76, 0.74, 0.7],
      [0.86, 0.88, 0.84, 0.86],
      [0.89, 0.9, 0.87, 0.9],
      [0.88, 0.87, 0.89, 0.88],
      [0.69, 0.7, 0.71, 0.68],
    ]),
    scoring: greaterIsBetter ? { name: "accuracy", greaterIsBetter } : { name: "error rate", greaterIsBetter },
    cv: "KFold(nSplits=4)",
  };
}

/** Labels that flip with x in four stripes, a tenth of them flipped at random: a stump cannot follow them. */
function stripes(n: number, seed: number): { X: number[][]; y: string[] } {
  const rng = new Rng(seed);
  const X: number[][] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [rng.random(), rng.random()];
    const label = (Math.floor(4 * a) % 2 === 1) !== rng.random() < 0.1;
    X.push([a, b]);
    y.push(label ? "x" : "o");
  }
  return { X, y };
}

/** Two quadrants against the other two, a fifth of the labels flipped: k = 1 learns the noise. */
function noisyXor(n: number, seed: number): { X: number[][]; y: string[] } {
  const rng = new Rng(seed);
  const X: number[][] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [rng.random(), rng.random()];
    const label = (a > 0.5 !== b > 0.5) !== rng.random() < 0.2;
    X.push([a, b]);
    y.push(label ? "x" : "o");
  }
  return { X, y };
}

describe("curve data", () => {
  it("gives each point the mean and population std over folds of both scores, two rows a point", () => {
    const result = crafted();
    const data = curveData(result);
    assert.equal(data.points.length, 5);
    data.points.forEach((p, i) => {
      assert.equal(p.x, (result as { values: number[] }).values[i]);
      assert.ok(Math.abs(p.trainMean - mean(result.trainScores[i])) < 1e-12);
      assert.ok(Math.abs(p.trainStd - std(result.trainScores[i])) < 1e-12);
      assert.ok(Math.abs(p.validationMean - mean(result.testScores[i])) < 1e-12);
      assert.ok(Math.abs(p.validationStd - std(result.testScores[i])) < 1e-12);
      assert.equal(p.folds, 4);
    });
    assert.deepEqual(
      data.rows.map((r) => r.series),
      data.points.flatMap(() => ["Training score", "Validation score"]),
    );
    const [train1, val1] = data.rows;
    assert.ok(Math.abs(val1.low - (val1.mean - val1.std)) < 1e-15 && Math.abs(val1.high - (val1.mean + val1.std)) < 1e-15);
    assert.equal(train1.std, 0);
  });

  it("marks overfitting where the gap exceeds twice the folds' spread, underfitting where both scores sit below the best, the best point", () => {
    const data = curveData(crafted());
    assert.deepEqual(
      data.points.map((p) => p.region),
      ["overfitting", "overfitting", null, null, "underfitting"],
    );
    assert.deepEqual(
      data.points.map((p) => p.best),
      [false, false, true, false, false],
    );
    // k = 30: 0.01 behind the best, inside twice the folds' spread (0.02); k = 3: a gap of 0.085, beyond twice its spread (0.026).
    const range = 1 - 0.695;
    assert.ok(Math.abs(data.floor - 0.02 * range) < 1e-12);
    assert.equal(curveSummary(data), "Best validation accuracy 0.89 ± 0.0122 at k = 10. Overfitting at k = 1, 3. Underfitting at k = 100.");
  });

  it("turns the gap for a score where lower is better: an error rate lower on the training rows is overfitting", () => {
    const data = curveData(crafted(false));
    assert.deepEqual(
      data.points.map((p) => p.region),
      ["overfitting", "overfitting", null, null, "underfitting"],
    );
    assert.ok(data.points[0].gap > 0, "positive: training is the better one");
    assert.equal(data.points.find((p) => p.best)?.x, 10, "the lowest validation error");
  });

  it("needs the gap to beat 2% of the chart's range when folds agree exactly, and twice the spread otherwise", () => {
    const base = (train: number[][], test: number[][]): CurveResult => ({
      kind: "validation-curve",
      values: [1, 2, 3],
      trainScores: train,
      testScores: test,
      scoring: { name: "r2", greaterIsBetter: true },
      cv: "KFold(nSplits=2)",
    });
    // Exact folds, range 0.5 → floor 0.01: a gap of 0.005 is nothing, 0.02 is overfitting.
    const exact = curveData(
      base(
        [
          [0.505, 0.505],
          [0.52, 0.52],
          [1, 1],
        ],
        [
          [0.5, 0.5],
          [0.5, 0.5],
          [0.995, 0.995],
        ],
      ),
    );
    assert.deepEqual(
      exact.points.map((p) => p.region),
      ["underfitting", "overfitting", null],
    );
    // The same means with folds spread ±0.05: no gap counts.
    const spread = curveData(
      base(
        [
          [0.455, 0.555],
          [0.47, 0.57],
          [0.95, 1.05],
        ],
        [
          [0.45, 0.55],
          [0.45, 0.55],
          [0.94, 1.04],
        ],
      ),
    );
    assert.deepEqual(
      spread.points.map((p) => p.region),
      ["underfitting", "underfitting", null],
    );
  });

  it("groups neighbouring points into regions with edges half-way between points (geometric on a log axis)", () => {
    const linear = curveData({ ...crafted(), values: [1, 3, 10, 30, 50] } as CurveResult, { logX: false });
    assert.equal(linear.axis, "linear");
    assert.deepEqual(
      linear.regions.map(({ kind, from, to }) => ({ kind, from, to })),
      [
        { kind: "overfitting", from: 1, to: 6.5 },
        { kind: "underfitting", from: 40, to: 50 },
      ],
    );
    const log = curveData(crafted());
    assert.equal(log.axis, "log", "1 to 100 spans two decades");
    assert.deepEqual(
      log.regions.map(({ kind, from, to }) => ({ kind, from, to })),
      [
        { kind: "overfitting", from: 1, to: Math.sqrt(30) },
        { kind: "underfitting", from: Math.sqrt(3000), to: 100 },
      ],
    );
  });

  it("chooses the axis: log from two decades, linear below, categorical for text, in the given order", () => {
    const at = (values: unknown[]) => curveData({ ...crafted(), values } as CurveResult);
    assert.equal(at([1, 3, 10, 30, 100]).axis, "log");
    assert.equal(at([1, 3, 10, 30, 99]).axis, "linear");
    const words = at(["rbf", "linear", "poly", "sigmoid", null]);
    assert.equal(words.axis, "categorical");
    assert.deepEqual(
      words.points.map((p) => p.x),
      ["rbf", "linear", "poly", "sigmoid", "null"],
    );
    assert.deepEqual(words.regions[0], { kind: "overfitting", from: "rbf", to: "linear", center: "rbf", points: ["rbf", "linear"] });
    const unsorted = at([30, 1, 10, 3, 50]);
    assert.deepEqual(
      unsorted.points.map((p) => p.x),
      [1, 3, 10, 30, 50],
      "numbers drawn in order of value",
    );
    assert.throws(
      () => curveData({ ...crafted(), values: [0, 1, 2, 3, 4] } as CurveResult, { logX: true }),
      (e: Error) => e instanceof ValueError && /logX needs positive numeric values/.test(e.message),
    );
    assert.throws(() => curveData({ kind: "validation-curve" } as never), /expected what validationCurve or learningCurve returns/);
    assert.throws(() => curveData(crafted(), { log: true } as never), /unknown option "log"/);
  });

  it("reads curves back from JSON, where a NaN score was stored as null", () => {
    const stored = JSON.parse(
      JSON.stringify({ ...crafted(), testScores: [[Number.NaN, 0.7, 0.72, 0.74], ...crafted().testScores.slice(1)] }),
    );
    assert.ok(isCurveResult(stored));
    const first = curveData(stored).points[0];
    assert.equal(first.folds, 3);
    assert.ok(Math.abs(first.validationMean - 0.72) < 1e-12);
    for (const bad of [
      null,
      [],
      { kind: "learning-curve", trainSizes: [] },
      { ...crafted(), testScores: [[1]] },
      { ...crafted(), scoring: "accuracy" },
    ])
      assert.equal(isCurveResult(bad), false, JSON.stringify(bad));
    const attrs = {
      "curve:learning": { ...crafted(), kind: "learning-curve", trainSizes: [1, 2, 3, 4, 5] },
      "curve:k": crafted(),
      "curve:x": 3,
      other: crafted(),
    };
    assert.deepEqual(
      recordedCurves(attrs as never).map((c) => c.name),
      ["k", "learning"],
      "curves only, validation curves first",
    );
  });
});

describe("curves of real models", () => {
  it("k-NN with k = 1 on noisy labels over-fits: training accuracy 1, well above validation", async () => {
    const { X, y } = noisyXor(240, 7);
    const curve = await validationCurve((k: number) => new KNNClassifier({ k }), X, y, { values: [1, 3, 9, 21, 41], param: "k", cv: 5 });
    const data = curveData(curve);
    assert.equal(data.points[0].trainMean, 1);
    assert.equal(data.points[0].region, "overfitting");
    assert.ok(data.points.findIndex((p) => p.best) > 0, "a larger k validates better");
    assert.notEqual(data.points.at(-1)?.region, "overfitting", "k = 41 smooths the noise out");
  });

  it("a tree too shallow for four stripes under-fits: both scores low at depths 1 and 2", async () => {
    const { X, y } = stripes(300, 7);
    const curve = await validationCurve((d: number) => new DecisionTreeClassifier({ maxDepth: d, seed: 0 }), X, y, {
      values: [1, 2, 3, 4, 6],
      param: "maxDepth",
      cv: 5,
    });
    const data = curveData(curve);
    assert.deepEqual(
      data.points.slice(0, 2).map((p) => p.region),
      ["underfitting", "underfitting"],
    );
    assert.ok(data.points.slice(0, 2).every((p) => p.trainMean < 0.8 && p.validationMean < 0.8));
    assert.ok(data.points.slice(2).every((p) => p.region !== "underfitting"));
  });
});

describe("curve chart", () => {
  it("compiles and renders: two lines with bands, the legend's three entries, both axis titles, the regions named", async () => {
    const spec = curveSpec(curveData(crafted()), { study: "knn" });
    const svg = await checkSpec(spec);
    assert.equal(countMarks(svg, "line mark"), 2);
    assert.equal(countMarks(svg, "point"), 10 + 1, "a point per score and point, and the ring of the best");
    for (const text of [
      "Validation curve of k — knn",
      "Training score",
      "Validation score",
      "Best validation score",
      "k",
      "accuracy (mean ± std over 4 folds)",
      "overfitting",
      "underfitting",
    ])
      assert.ok(svg.includes(`>${text}<`), `the SVG shows ${text}`);
    assert.match(svg, /aria-label="X-axis titled 'k' for a log scale/);
  });

  it("a learning curve: training rows on a count axis, no regions when nothing over- or under-fits", async () => {
    const flat: CurveResult = {
      kind: "learning-curve",
      trainSizes: [10, 20, 40],
      trainScores: [
        [0.8, 0.82],
        [0.81, 0.83],
        [0.8, 0.82],
      ],
      testScores: [
        [0.79, 0.83],
        [0.8, 0.82],
        [0.8, 0.82],
      ],
      scoring: { name: "accuracy", greaterIsBetter: true },
      cv: "KFold(nSplits=2)",
    };
    const svg = await checkSpec(curveChart(flat));
    for (const text of ["Learning curve", "Training rows", "accuracy (mean ± std over 2 folds)"])
      assert.ok(svg.includes(`>${text}<`), text);
    assert.ok(!svg.includes(">overfitting<") && !svg.includes(">underfitting<"));
    assert.equal(countMarks(svg, "rect mark"), 0);
  });

  it("a categorical hyperparameter gets a band per value, its names upright under them", async () => {
    const { X, y } = stripes(120, 3);
    const curve = await validationCurve((s: string) => new GaussianNB({ varSmoothing: Number(s) }), X, y, {
      values: ["1e-9", "0.01", "1", "100"],
      param: "varSmoothing",
      cv: 3,
    });
    const svg = await checkSpec(curveChart(curve));
    for (const label of ["1e-9", "0.01", "1", "100"]) assert.ok(svg.includes(`>${label}<`), label);
    assert.match(svg, /aria-label="X-axis titled 'varSmoothing' for a discrete scale/);
  });

  it("draws any name as text: a hyperparameter called constructor, values named like Object's properties", async () => {
    const curve = { ...crafted(), param: "constructor", values: ["__proto__", "toString", "if", "a.b", "[0]"] } as CurveResult;
    const svg = await checkSpec(curveChart(curve));
    for (const text of ["Validation curve of constructor", "__proto__", "toString", "a.b", "[0]"])
      assert.ok(svg.includes(`>${text}<`), text);
    assert.ok(svg.includes(">constructor\u200B<"), "the axis title, made safe for Vega's parser");
  });
});

describe("curves kept with a study", () => {
  it("validationCurve and learningCurve with record: study keep their results, and the study page draws them", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 1 });
    const { X, y } = stripes(150, 5);
    const tree = (d: number) => new DecisionTreeClassifier({ maxDepth: d, seed: 0 });
    const kept = await validationCurve(tree, X, y, { values: [1, 3, 6], param: "maxDepth", cv: 3, record: study });
    const learning = await learningCurve(() => tree(3), X, y, { cv: 3, trainSizes: [0.3, 1], record: study });
    const summary = await study.summary();
    assert.deepEqual(summary.userAttrs["curve:maxDepth"], JSON.parse(JSON.stringify(kept)));
    assert.deepEqual(summary.userAttrs["curve:learning"], JSON.parse(JSON.stringify(learning)));
    assert.ok(kindsFor(summary, []).includes("curves"));
    const chart = studyChart("curves", summary, []);
    const svg = await checkSpec(chart.spec);
    for (const text of ["Validation curve of maxDepth", "Learning curve", "maxDepth", "Training rows"])
      assert.ok(svg.includes(`>${text}<`), text);
    assert.match(
      chart.note ?? "",
      /^Validation curve of maxDepth: Best validation accuracy .* Learning curve: Best validation accuracy .* Shaded: overfitting/,
    );
  });
});

describe("training against validation score", () => {
  const trial = (n: number, value: number | null, train: number[] | null, test: number[], state: "COMPLETE" | "PRUNED" = "COMPLETE") =>
    rec(n, state, value, {}, { userAttrs: { fold_scores: test, ...(train ? { fold_scores_train: train } : {}) } });

  it("takes each completed trial's mean scores and follows the best trial's gap", () => {
    const trials = [
      trial(0, 0.7, [0.9, 0.8], [0.7, 0.7]),
      trial(1, 0.6, [0.7, 0.7], [0.6, 0.6]),
      trial(2, null, [1, 1], [0.5], "PRUNED"),
      trial(3, 0.9, [1, 0.98], [0.9, 0.9]),
      trial(4, 0.95, null, [0.95, 0.95]),
      trial(5, 0.8, [0.8, 0.8], [0.8, 0.8]),
    ];
    const data = trainValidationGapData(trials, "maximize");
    assert.deepEqual(
      data.rows.map((r) => r.trial),
      [0, 1, 3, 5],
      "complete trials with both kinds of fold scores",
    );
    const gap = (r: { gap: number }) => Number(r.gap.toFixed(12));
    assert.deepEqual(
      data.rows.map((r) => [r.train, r.validation, r.gap].map((v) => Number(v.toFixed(12)))),
      [
        [0.85, 0.7, 0.15],
        [0.7, 0.6, 0.1],
        [0.99, 0.9, 0.09],
        [0.8, 0.8, 0],
      ],
    );
    assert.deepEqual(
      data.incumbent.map((r) => [r.trial, r.incumbent, gap(r), r.improved]),
      [
        [0, 0, 0.15, true],
        [1, 0, 0.15, false],
        [3, 3, 0.09, true],
        [5, 3, 0.09, false],
      ],
    );
    const minimised = trainValidationGapData([trial(0, 0.3, [0.1, 0.1], [0.3, 0.3])], "minimize");
    assert.ok(Math.abs(minimised.rows[0].gap - 0.2) < 1e-12, "a lower training loss is a positive gap");
  });

  it("keeps every change of the best trial under a cap on points", () => {
    const trials = Array.from({ length: 50 }, (_, i) => trial(i, i % 10 === 0 ? i : 0, [1, 1], [0.5, 0.5]));
    const data = trainValidationGapData(trials, "maximize", { maxPoints: 8 });
    assert.equal(data.rows.length, 8);
    for (const n of [0, 10, 20, 30, 40])
      assert.ok(
        data.rows.some((r) => r.trial === n),
        `trial ${n}`,
      );
  });

  it("renders two panels over the trial number with a legend naming both scores", async () => {
    const trials = [0.7, 0.8, 0.75].map((v, i) => trial(i, v, [v + 0.1, v + 0.12], [v, v]));
    const svg = await checkSpec(
      trainValidationGapSpec(trainValidationGapData(trials, "maximize"), { study: "tree", scoreName: "accuracy" }),
    );
    for (const text of [
      "Training against validation score — tree",
      "Training score (mean over folds)",
      "Validation score (mean over folds)",
      "accuracy (mean over folds)",
      "Trial",
      "Best trial's gap",
      "(training − validation)",
    ])
      assert.ok(svg.includes(`>${text}<`), text);
    assert.equal(countMarks(svg, "line mark"), 1);
    const empty = await checkSpec(trainValidationGapSpec(trainValidationGapData([], "maximize")), { tooltips: false });
    assert.match(empty, /returnTrainScore: true/);
  });

  it("charts what crossValidate records with returnTrainScore and a trial", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 4 });
    const { X, y } = stripes(90, 2);
    await study.optimize(
      async (t) => {
        const maxDepth = t.suggestInt("maxDepth", 1, 6);
        return (
          await crossValidate(() => new DecisionTreeClassifier({ maxDepth, seed: 0 }), X, y, { cv: 3, returnTrainScore: true, trial: t })
        ).mean;
      },
      { nTrials: 6 },
    );
    const [summary, trials] = [await study.summary(), await study.trials()];
    assert.ok(kindsFor(summary, trials).includes("train-validation-gap"));
    const data = trainValidationGapData(trials, "maximize");
    assert.equal(data.rows.length, 6);
    for (const r of data.rows) {
      const t = trials.find((x) => x.number === r.trial)!;
      assert.ok(Math.abs(r.validation - (t.value as number)) < 1e-12, "the validation mean is the objective");
    }
    await checkSpec(studyChart("train-validation-gap", summary, trials).spec);
  });
});
