import assert from "node:assert/strict";
import { test } from "node:test";
import { comparisonCharts, studyCharts } from "../../../tracker/charts/index.js";
import { mixedCase } from "../analysis/importance-cases.js";
import { checkSpec, rec, summary } from "./helpers.js";

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
    await checkSpec(charts[key]);
  }
});

test("a study too young for importance still gets all its charts", async () => {
  const charts = studyCharts(summary("new"), [rec(0, "RUNNING", null, {}, { datetimeStart: new Date(0) })], { now: new Date(1000) });
  assert.equal(charts.importanceResult, null);
  await checkSpec(charts.importance, { tooltips: false });
  await checkSpec(charts.timeline);
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
