import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonValue } from "../../../core/records.js";
import { OBJECTIVE_NAMES_ATTR } from "../../../tracker/analysis/objectives.js";
import {
  comparisonCharts,
  isStudyChartKind,
  kindsFor,
  STUDY_CHART_KINDS,
  STUDY_PALETTE,
  studyChart,
  studyCharts,
  studyImportance,
} from "../../../tracker/charts/index.js";
import { mixedCase } from "../analysis/importance-cases.js";
import { checkSpec, float, rec, summary } from "./helpers.js";

/** A validation curve as `validationCurve(..., { param: "k", record: study })` keeps it. */
const CURVE = {
  kind: "validation-curve",
  param: "k",
  values: [1, 5, 25],
  trainScores: [
    [1, 1, 1],
    [0.92, 0.9, 0.94],
    [0.8, 0.82, 0.78],
  ],
  testScores: [
    [0.7, 0.72, 0.68],
    [0.9, 0.88, 0.92],
    [0.79, 0.81, 0.77],
  ],
  scoring: { name: "accuracy", greaterIsBetter: true },
  cv: "StratifiedKFold(nSplits=3)",
};

const ONE_OBJECTIVE = ["history", "slice", "parallel", "contour", "intermediate", "edf", "timeline", "importance"];

test("one builder per chart kind; kindsFor says which a study with one objective or several offers", () => {
  assert.deepEqual(STUDY_CHART_KINDS, [
    ...ONE_OBJECTIVE,
    "pareto-front",
    "hypervolume",
    "objective-importance",
    "cluster-quality",
    "convergence",
    "lockbox",
    "train-validation-gap",
    "curves",
  ]);
  assert.deepEqual(kindsFor({ directions: ["minimize"] }), ONE_OBJECTIVE);
  const converged = {
    directions: ["minimize" as const],
    systemAttrs: { "tunebook:convergence": [{ trial: 20, regretBound: 0.1, error: 0.2 }] },
  };
  assert.deepEqual(kindsFor(converged, []), [...ONE_OBJECTIVE, "convergence"], "a study stopped by convergence offers its chart");
  assert.deepEqual(kindsFor(converged), ONE_OBJECTIVE, "not without its trials, as every chart of what was recorded");
  const looked = {
    directions: ["maximize" as const],
    systemAttrs: {
      "tunebook:lockbox": {
        testRows: 30,
        fingerprint: "0123456789abcdef",
        looks: [{ at: "2024-01-01T00:00:00Z", trialNumber: 3, validation: 0.9, test: 0.88 }],
      },
    },
  };
  assert.deepEqual(kindsFor(looked, []), [...ONE_OBJECTIVE, "lockbox"], "a study whose locked test set was looked at offers its chart");
  const locked = { ...looked, systemAttrs: { "tunebook:lockbox": { testRows: 30, fingerprint: "0123456789abcdef", looks: [] } } };
  assert.deepEqual(kindsFor(locked, []), ONE_OBJECTIVE, "not before the first look");
  const trained = [rec(0, "COMPLETE", 0.8, {}, { userAttrs: { fold_scores: [0.8, 0.8], fold_scores_train: [0.9, 0.95] } })];
  assert.deepEqual(
    kindsFor({ directions: ["maximize"] }, trained),
    [...ONE_OBJECTIVE, "train-validation-gap"],
    "trials with training scores",
  );
  const keeping = {
    directions: ["maximize" as const],
    userAttrs: { "curve:k": CURVE as unknown as JsonValue, "curve:note": "not a curve" },
  };
  assert.deepEqual(kindsFor(keeping, []), [...ONE_OBJECTIVE, "curves"], "a study that keeps a curve");
  assert.deepEqual(
    kindsFor({ ...keeping, userAttrs: { "curve:k": "not a curve" } }, []),
    ONE_OBJECTIVE,
    "an attribute that holds no curve",
  );
  assert.deepEqual(
    kindsFor({ directions: ["maximize", "minimize"], userAttrs: keeping.userAttrs }, trained),
    ["history", "slice", "parallel", "contour", "edf", "timeline", "pareto-front", "hypervolume", "objective-importance", "curves"],
    "curves with any objectives; training scores against validation with one",
  );
  assert.deepEqual(kindsFor({ directions: ["maximize", "minimize"] }), [
    "history",
    "slice",
    "parallel",
    "contour",
    "edf",
    "timeline",
    "pareto-front",
    "hypervolume",
    "objective-importance",
  ]);
  for (const kind of STUDY_CHART_KINDS) assert.ok(isStudyChartKind(kind));
  for (const name of ["pie", "constructor", "__proto__", "toString", ""]) assert.equal(isStudyChartKind(name), false, name);
});

test("one chart at a time is the chart of the whole page, with its note", () => {
  const c = mixedCase(40);
  const now = new Date(1e12);
  const study = summary("mlp", "minimize");
  const all = studyCharts(study, c.trials, { now, maxPoints: 300 });
  assert.deepEqual(
    Object.keys(all).filter((k) => k !== "notes" && k !== "importanceResult"),
    kindsFor(study),
  );
  for (const kind of kindsFor(study)) {
    const one = studyChart(kind, study, c.trials, { now, maxPoints: 300 });
    assert.deepEqual(one.spec, all[kind], kind);
    assert.equal(one.note, all.notes[kind], kind);
  }
  assert.deepEqual(all.importanceResult, studyImportance(c.trials).result);
});

test("charts ask for importance only when they draw it, and once per studyCharts call", () => {
  const c = mixedCase(30);
  let asked = 0;
  const importance = () => {
    asked++;
    return studyImportance(c.trials);
  };
  for (const kind of ["history", "slice", "parallel", "intermediate", "edf", "timeline"] as const)
    studyChart(kind, summary("s"), c.trials, { importance });
  assert.equal(asked, 0);
  studyChart("contour", summary("s"), c.trials, { importance });
  studyChart("importance", summary("s"), c.trials, { importance });
  assert.equal(asked, 2);
});

test("the importance chart carries the importance's note; too few trials draws the empty chart and says why", async () => {
  const X = float(0, 1);
  const young = [rec(0, "COMPLETE", 1, { x: [X, 0.5] })];
  const chart = studyChart("importance", summary("young"), young);
  assert.equal(chart.note, studyImportance(young).note);
  assert.match(chart.note ?? "", /at least 2 COMPLETE trials/);
  const svg = await checkSpec(chart.spec, { tooltips: false });
  assert.match(svg, /Not enough completed trials to assess importance/);
});

test("the contour falls back to the first two parameters by name when importance ranks fewer than two", () => {
  const X = float(0, 1);
  // b is conditional: importance assesses a only, yet a × b can still be drawn.
  const trials = Array.from({ length: 12 }, (_, i) =>
    rec(i, "COMPLETE", i, i % 2 ? { a: [X, i / 12], b: [X, 1 - i / 12] } : { a: [X, i / 12] }),
  );
  assert.deepEqual(
    studyImportance(trials).result?.importances.map((p) => p.name),
    ["a"],
  );
  assert.match(String((studyChart("contour", summary("cond"), trials).spec as { title?: unknown }).title), /: a × b$/);
});

test("every chart of a study page compiles and renders", async () => {
  const c = mixedCase(60);
  const trials = c.trials.map((t, i) => ({
    ...t,
    intermediateValues: { 0: (t.value as number) + 1, 1: t.value as number },
    datetimeStart: new Date(i * 1000),
    datetimeComplete: new Date(i * 1000 + 500),
  }));
  const charts = studyCharts(summary("mlp", "minimize"), trials);
  assert.deepEqual(
    charts.importanceResult?.importances.map((p) => p.name),
    c.expectedOrder,
  );
  // the contour shows the two most important parameters
  assert.match(String((charts.contour as { title?: unknown }).title), /w × depth/);
  for (const key of ["history", "slice", "parallel", "contour", "intermediate", "edf", "timeline", "importance"] as const) {
    await checkSpec(charts[key]!);
  }
});

test("a study too young for importance still gets all its charts", async () => {
  const charts = studyCharts(summary("new"), [rec(0, "RUNNING", null, {}, { datetimeStart: new Date(0) })], { now: new Date(1000) });
  assert.equal(charts.importanceResult, null);
  await checkSpec(charts.importance!, { tooltips: false });
  await checkSpec(charts.timeline!);
});

test("comparison charts: best-so-far overlay and fold scores of the best trials", async () => {
  const folds = (n: number, s: number[]) => rec(n, "COMPLETE", s.reduce((a, b) => a + b) / s.length, {}, { userAttrs: { fold_scores: s } });
  const result = comparisonCharts([
    { summary: summary("knn"), trials: [folds(0, [0.8, 0.82, 0.81])] },
    { summary: summary("rf"), trials: [folds(0, [0.7, 0.72, 0.7]), folds(1, [0.9, 0.91, 0.93])] },
  ]);
  assert.equal(result.comparison.test?.better, "rf");
  await checkSpec(result.bestSoFar);
  await checkSpec(result.foldScores);
});

test("the objective's axis says its name, its direction and, for a cross-validated study, the k-fold mean", () => {
  const cv = (n: number, s: number[], value = s.reduce((a, b) => a + b) / s.length) =>
    rec(n, "COMPLETE", value, { x: [float(0, 1), n / 4] }, { userAttrs: { fold_scores: s } });
  const named = { ...summary("named"), userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["accuracy"] } };
  const yTitle = (spec: unknown) => (spec as { layer: { encoding: { y: { title: string } } }[] }).layer[0].encoding.y.title;
  const folded = [cv(0, [0.8, 0.9, 0.7]), cv(1, [0.6, 0.7, 0.8])];
  assert.equal(yTitle(studyChart("history", named, folded).spec), "accuracy (maximize, 3-fold mean)");
  assert.equal(yTitle(studyChart("history", summary("plain", "minimize"), folded).spec), "Objective value (minimize, 3-fold mean)");
  // A value that is not the mean of its folds (say their median) is not called one.
  assert.equal(yTitle(studyChart("history", named, [cv(0, [0.8, 0.9, 0.4], 0.8), folded[1]]).spec), "accuracy (maximize)");
  assert.equal(yTitle(studyChart("history", named, [cv(0, [0.8, 0.9]), folded[1]]).spec), "accuracy (maximize)", "fold counts differ");
});

test("comparison charts: each study keeps one colour on both charts, in the order the studies are given", () => {
  const folds = (s: number[]) => rec(0, "COMPLETE", s.reduce((a, b) => a + b) / s.length, {}, { userAttrs: { fold_scores: s } });
  const order = ["worse but first", "no folds", "best"];
  const result = comparisonCharts([
    { summary: summary(order[0]), trials: [folds([0.6, 0.62, 0.61])] },
    { summary: summary(order[1]), trials: [rec(0, "COMPLETE", 0.7)] },
    { summary: summary(order[2]), trials: [folds([0.9, 0.91, 0.93])] },
  ]);
  const expected = { domain: order, range: STUDY_PALETTE.slice(0, 3) };
  const history = result.bestSoFar as unknown as { encoding: { color: { scale: unknown } } };
  assert.deepEqual(history.encoding.color.scale, expected);
  const foldChart = result.foldScores as unknown as { layer: { encoding: { color?: { scale: unknown } } }[] };
  for (const layer of foldChart.layer.filter((l) => l.encoding.color)) assert.deepEqual(layer.encoding.color!.scale, expected);
});

test("the charts of what a study keeps and its trials recorded: training against validation, and the curves, each with its note", async () => {
  const trials = [0.7, 0.9, 0.8].map((v, i) =>
    rec(
      i,
      "COMPLETE",
      v,
      { x: [float(0, 1), i / 3] },
      { userAttrs: { fold_scores: [v - 0.01, v + 0.01], fold_scores_train: [v + 0.1, v + 0.12] } },
    ),
  );
  const study = { ...summary("knn"), userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["accuracy"], "curve:k": CURVE as unknown as JsonValue } };
  const all = studyCharts(study, trials);
  const gap = await checkSpec(all["train-validation-gap"]!);
  for (const text of ["Training score (mean over folds)", "Validation score (mean over folds)", "accuracy (mean over folds)", "Trial"])
    assert.ok(gap.includes(text), text);
  const curves = await checkSpec(all.curves!);
  for (const text of ["Validation curve of k — knn", "Training score", "Validation score", "Best validation score", "overfitting"])
    assert.ok(curves.includes(text), text);
  assert.match(all.notes.curves ?? "", /^Validation curve of k: Best validation accuracy 0\.9 ± 0\.0163 at k = 5\. Overfitting at k = 1\./);
  const none = studyChart("curves", summary("plain"), trials);
  assert.match(none.note ?? "", /keeps none/);
});
