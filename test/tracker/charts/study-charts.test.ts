import assert from "node:assert/strict";
import { test } from "node:test";
import type { ImportanceResult } from "../../../tracker/analysis/importance.js";
import {
  contourData,
  contourSpec,
  edfData,
  edfSpec,
  historyData,
  historySpec,
  importanceData,
  importanceSpec,
  intermediateData,
  intermediateSpec,
  parallelData,
  parallelSpec,
  sliceData,
  sliceSpec,
  timelineData,
  timelineSpec,
} from "../../../tracker/charts/index.js";
import { cat, checkSpec, countMarks, float, int, rec } from "./helpers.js";

const X = float(0.001, 1, true);
const N = int(1, 4);
const K = cat("rbf", "linear");

/** Five trials: three complete, one pruned, one failed. */
const trials = [
  rec(
    0,
    "COMPLETE",
    0.5,
    { lr: [X, 0.01], n: [N, 2], kernel: [K, "rbf"] },
    {
      intermediateValues: { 0: 0.9, 1: 0.7, 2: 0.5 },
      datetimeStart: new Date(1_000),
      datetimeComplete: new Date(4_000),
    },
  ),
  rec(
    1,
    "PRUNED",
    null,
    { lr: [X, 0.1], n: [N, 1], kernel: [K, "linear"] },
    { intermediateValues: { 0: 1.2 }, datetimeStart: new Date(4_000), datetimeComplete: new Date(5_000) },
  ),
  rec(
    2,
    "COMPLETE",
    0.3,
    { lr: [X, 0.001], n: [N, 4], kernel: [K, "linear"] },
    { datetimeStart: new Date(5_000), datetimeComplete: new Date(9_000) },
  ),
  rec(3, "FAIL", null, { lr: [X, 1] }, { datetimeStart: new Date(9_000), datetimeComplete: new Date(9_500) }),
  rec(4, "COMPLETE", 0.4, { lr: [X, 1], n: [N, 3], kernel: [K, "rbf"] }, { datetimeStart: new Date(9_500), datetimeComplete: null }),
];

test("optimization history: values and best so far, direction-aware", async () => {
  const rows = historyData(trials, "minimize");
  assert.deepEqual(rows, [
    { number: 0, value: 0.5, best: 0.5, feasible: true },
    { number: 2, value: 0.3, best: 0.3, feasible: true },
    { number: 4, value: 0.4, best: 0.3, feasible: true },
  ]);
  assert.deepEqual(
    historyData(trials, "maximize").map((r) => r.best),
    [0.5, 0.5, 0.5],
  );
  const spec = historySpec(rows, { direction: "minimize", study: "demo" });
  assert.ok(!JSON.stringify(spec).includes("Infeasible"), "no infeasible series without constraints");
  const svg = await checkSpec(spec);
  assert.equal(countMarks(svg, "point"), 3);
  assert.equal(countMarks(svg, "line mark"), 1);
});

test("optimization history with constraints: infeasible trials in grey with a legend entry, never the best", async () => {
  const constrained = trials.map((t) => (t.number === 2 ? { ...t, systemAttrs: { constraints: [0.2] } } : t));
  const rows = historyData(constrained, "minimize");
  assert.deepEqual(
    rows.map((r) => [r.number, r.best, r.feasible]),
    [
      [0, 0.5, true],
      [2, 0.5, false],
      [4, 0.4, true],
    ],
  );
  const svg = await checkSpec(historySpec(rows, { direction: "minimize", study: "demo" }));
  assert.match(svg, /Infeasible trial/);
  assert.equal(countMarks(svg, "point"), 3);
});

test("slice plot: one panel per parameter, log axis for log parameters", async () => {
  const data = sliceData(trials);
  assert.deepEqual(data.params, [
    { name: "kernel", axis: "categorical", choices: ["rbf", "linear"] },
    { name: "lr", axis: "log" },
    { name: "n", axis: "linear" },
  ]);
  assert.deepEqual(data.rows, [
    { param: "kernel", number: 0, value: 0.5, x: null, label: "rbf" },
    { param: "kernel", number: 2, value: 0.3, x: null, label: "linear" },
    { param: "kernel", number: 4, value: 0.4, x: null, label: "rbf" },
    { param: "lr", number: 0, value: 0.5, x: 0.01, label: null },
    { param: "lr", number: 2, value: 0.3, x: 0.001, label: null },
    { param: "lr", number: 4, value: 0.4, x: 1, label: null },
    { param: "n", number: 0, value: 0.5, x: 2, label: null },
    { param: "n", number: 2, value: 0.3, x: 4, label: null },
    { param: "n", number: 4, value: 0.4, x: 3, label: null },
  ]);
  const spec = sliceSpec(data);
  const panels = (spec as { concat: { encoding: { x: { scale?: { type?: string } } } }[] }).concat;
  assert.equal(panels.length, 3);
  assert.equal(panels[1].encoding.x.scale?.type, "log");
  const svg = await checkSpec(spec);
  assert.equal(countMarks(svg, "point"), 9);
  assert.deepEqual(
    sliceData(trials, { params: ["n"] }).params.map((p) => p.name),
    ["n"],
  );
});

test("parallel coordinates: normalised axes, raw values kept, objective last", async () => {
  const data = parallelData(trials);
  assert.deepEqual(
    data.axes.map((a) => [a.key, a.name, a.axis, a.order]),
    [
      ["p0", "kernel", "categorical", 0],
      ["p1", "lr", "log", 1],
      ["p2", "n", "linear", 2],
      ["p3", "Objective value", "linear", 3],
    ],
  );
  assert.deepEqual(data.axes[1].ticks, [
    { norm: 0, text: "0.001" },
    { norm: 1, text: "1" },
  ]);
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;
  assert.deepEqual(
    data.rows.map((r) => r.number),
    [0, 2, 4],
  );
  const first = data.rows[0];
  assert.equal(first.p0, 0); // rbf is the first choice
  assert.ok(close(first.p1 as number, 1 / 3), `log position of 0.01 in [0.001, 1]: ${first.p1}`);
  assert.ok(close(first.p2 as number, 0), "n = 2 is the lowest n seen");
  assert.ok(close(first.p3 as number, 1), "0.5 is the highest value");
  assert.deepEqual([first.r0, first.r1, first.r2, first.r3], ["rbf", 0.01, 2, 0.5]);
  const svg = await checkSpec(parallelSpec(data, { direction: "minimize" }));
  assert.equal(countMarks(svg, "line mark"), 3);
  assert.equal(countMarks(svg, "rule mark"), 4);
});

test("contour: binned means of two parameters, the two most important by default", async () => {
  const importance: ImportanceResult = {
    method: "fanova",
    importances: [
      { name: "n", importance: 0.6, std: 0.1 },
      { name: "lr", importance: 0.3, std: 0.1 },
      { name: "kernel", importance: 0.1, std: 0.05 },
    ],
    skipped: [],
    nTrials: 3,
    nEligible: 3,
    nTrees: 64,
  };
  const data = contourData(trials, { importance, bins: 3 });
  assert.equal(data.x?.name, "n");
  assert.equal(data.y?.name, "lr");
  assert.deepEqual(data.x?.edges, [1.5, 2.5, 3.5, 4.5]); // one cell per integer seen (2 … 4)
  const e = data.y!.edges!;
  assert.equal(e.length, 4);
  assert.ok(Math.abs(e[0] - 0.001) < 1e-15 && Math.abs(e[3] - 1) < 1e-12 && Math.abs(e[1] - 0.01) < 1e-12, `log edges ${e}`);
  assert.deepEqual(
    data.cells.map((c) => [c.x0, c.x1, c.mean, c.count]),
    [
      [3.5, 4.5, 0.3, 1],
      [1.5, 2.5, 0.5, 1],
      [2.5, 3.5, 0.4, 1],
    ],
  );
  assert.deepEqual(
    data.points.map((p) => [p.number, p.x, p.y]),
    [
      [0, 2, 0.01],
      [2, 4, 0.001],
      [4, 3, 1],
    ],
  );
  const svg = await checkSpec(contourSpec(data, {}));
  assert.equal(countMarks(svg, "rect mark"), 3);
  assert.equal(countMarks(svg, "point"), 3);
  // a categorical axis uses its choices
  const byKernel = contourData(trials, { params: ["kernel", "n"] });
  assert.deepEqual(byKernel.x?.choices, ["rbf", "linear"]);
  // cells run row by row (n = 2, 3, 4)
  assert.deepEqual(
    byKernel.cells.map((c) => [c.xLabel, c.y0, c.y1]),
    [
      ["rbf", 1.5, 2.5],
      ["rbf", 2.5, 3.5],
      ["linear", 3.5, 4.5],
    ],
  );
  await checkSpec(contourSpec(byKernel));
  // fewer than two parameters: an explanatory chart
  const none = contourData(trials, { params: ["lr", "lr"] });
  assert.equal(none.x, null);
  await checkSpec(contourSpec(none), { tooltips: false });
});

test("intermediate values: learning curves with their trial's state", async () => {
  const rows = intermediateData(trials);
  assert.deepEqual(rows, [
    { number: 0, step: 0, value: 0.9, state: "COMPLETE" },
    { number: 0, step: 1, value: 0.7, state: "COMPLETE" },
    { number: 0, step: 2, value: 0.5, state: "COMPLETE" },
    { number: 1, step: 0, value: 1.2, state: "PRUNED" },
  ]);
  const svg = await checkSpec(intermediateSpec(rows));
  assert.equal(countMarks(svg, "line mark"), 2);
});

test("intermediate values: steps on integer ticks; the folds of a cross-validation read fold 1…k", async () => {
  type X = { field: string; title: string; axis: { values?: number[]; labelExpr?: string; tickMinStep?: number; format?: string } };
  const xOf = (spec: unknown) => (spec as { encoding: { x: X } }).encoding.x;
  const steps = xOf(intermediateSpec(intermediateData(trials)));
  assert.deepEqual([steps.field, steps.title, steps.axis.tickMinStep, steps.axis.format], ["step", "Step", 1, "d"]);
  // As crossValidate stores them: fold i reported at step i, and the scores so far in fold_scores.
  const scores = [0.8, 0.9, 0.85];
  const folded = [
    rec(0, "COMPLETE", 0.85, {}, { intermediateValues: { 0: 0.8, 1: 0.9, 2: 0.85 }, userAttrs: { fold_scores: scores } }),
    rec(1, "PRUNED", null, {}, { intermediateValues: { 0: 0.5 }, userAttrs: { fold_scores: [0.5] } }),
  ];
  const rows = intermediateData(folded);
  assert.deepEqual(
    rows.map((r) => [r.number, r.step, r.fold]),
    [
      [0, 0, 1],
      [0, 1, 2],
      [0, 2, 3],
      [1, 0, 1],
    ],
  );
  const x = xOf(intermediateSpec(rows));
  assert.deepEqual(
    [x.field, x.title, x.axis.values, x.axis.labelExpr],
    ["fold", "Cross-validation fold", [1, 2, 3], "'fold ' + datum.value"],
  );
  await checkSpec(intermediateSpec(rows));
  // Scores that are not what the steps reported: plain steps.
  const unrelated = rec(2, "COMPLETE", 1, {}, { intermediateValues: { 0: 3, 1: 2 }, userAttrs: { fold_scores: [1, 1] } });
  assert.equal(xOf(intermediateSpec(intermediateData([...folded, unrelated]))).field, "step");
});

test("timeline: seconds since the start for a short study, the time of day for a longer one; states as drawn", () => {
  type Enc = { x: { field: string; type: string; title: string; axis: { format: string } }; color: { scale: { domain: string[] } } };
  const enc = (spec: unknown) => (spec as { encoding: Enc }).encoding;
  const short = enc(timelineSpec(timelineData(trials, { now: new Date(12_000) })));
  assert.deepEqual([short.x.field, short.x.type, short.x.title], ["fromStart", "quantitative", "Seconds since the study started"]);
  assert.deepEqual(short.color.scale.domain, ["COMPLETE", "PRUNED", "FAIL"], "only the states drawn, in their usual order");
  const hours = trials.map((t, i) => ({
    ...t,
    datetimeStart: new Date(i * 3_600_000),
    datetimeComplete: new Date(i * 3_600_000 + 60_000),
  }));
  const long = enc(timelineSpec(timelineData(hours)));
  assert.deepEqual([long.x.field, long.x.type, long.x.title, long.x.axis.format], ["start", "temporal", "Time of day", "%H:%M"]);
  const days = hours.map((t, i) => ({ ...t, datetimeStart: new Date(i * 86_400_000), datetimeComplete: new Date(i * 86_400_000 + 1) }));
  assert.equal(enc(timelineSpec(timelineData(days))).x.axis.format, "%b %d %H:%M");
});

test("empirical distribution of values per study", async () => {
  const rows = edfData([
    { name: "a", trials },
    { name: "b", trials: trials.slice(0, 1) },
  ]);
  assert.deepEqual(rows, [
    { study: "a", value: 0.3, p: 1 / 3 },
    { study: "a", value: 0.4, p: 2 / 3 },
    { study: "a", value: 0.5, p: 1 },
    { study: "b", value: 0.5, p: 1 },
  ]);
  await checkSpec(edfSpec(rows));
});

test("timeline: start and end of every started trial; running ones end now", async () => {
  const rows = timelineData(trials, { now: new Date(12_000) });
  assert.deepEqual(rows, [
    { number: 0, state: "COMPLETE", start: 1000, end: 4000, seconds: 3, running: false },
    { number: 1, state: "PRUNED", start: 4000, end: 5000, seconds: 1, running: false },
    { number: 2, state: "COMPLETE", start: 5000, end: 9000, seconds: 4, running: false },
    { number: 3, state: "FAIL", start: 9000, end: 9500, seconds: 0.5, running: false },
    { number: 4, state: "COMPLETE", start: 9500, end: 12000, seconds: 2.5, running: true },
  ]);
  const svg = await checkSpec(timelineSpec(rows));
  assert.equal(countMarks(svg, "rule mark"), 5);
});

test("importance bars with error bars clipped to [0, 1]", async () => {
  const result: ImportanceResult = {
    method: "fanova",
    importances: [
      { name: "lr", importance: 0.95, std: 0.1 },
      { name: "n", importance: 0.05, std: 0.08 },
    ],
    skipped: [],
    nTrials: 10,
    nEligible: 10,
    nTrees: 64,
  };
  const rows = importanceData(result);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], { param: "lr", importance: 0.95, std: 0.1, low: 0.85, high: 1 });
  assert.equal(rows[1].low, 0);
  assert.ok(Math.abs(rows[1].high - 0.13) < 1e-15, `${rows[1].high}`);
  const svg = await checkSpec(importanceSpec(rows, { study: "s", method: "fanova" }));
  assert.equal(countMarks(svg, "bar"), 2);
  assert.equal(countMarks(svg, "rule mark"), 2);
});

test("charts of an empty study explain themselves instead of failing", async () => {
  for (const spec of [
    historySpec(historyData([], "minimize"), { direction: "minimize" }),
    parallelSpec(parallelData([])),
    contourSpec(contourData([])),
    intermediateSpec(intermediateData([])),
    edfSpec(edfData([])),
    timelineSpec(timelineData([])),
    importanceSpec([]),
  ]) {
    await checkSpec(spec, { tooltips: false });
  }
});
