import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import type { TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { paramImportances } from "../../../tracker/analysis/importance.js";
import {
  type ChartSpec,
  compareHistoryData,
  contourData,
  contourSpec,
  edfData,
  escapeField,
  historyData,
  historySpec,
  importanceData,
  importanceSpec,
  intermediateData,
  parallelData,
  parallelSpec,
  renderSvg,
  sliceData,
  sliceSpec,
  timelineData,
  VEGA_LITE_SCHEMA,
} from "../../../tracker/charts/index.js";
import { cat, checkSpec, countMarks, float, int, rec } from "./helpers.js";

const DOTTED = "a.b[0]";
const PROBE = "<img src=x onerror=alert(1)>";

function awkwardTrials(n: number): TrialRecord[] {
  const rng = new Rng(9);
  const X = float(0.01, 10, true);
  const Y = int(0, 5);
  const C = cat("x", PROBE);
  return Array.from({ length: n }, (_, i) => {
    const a = Math.exp(rng.uniform(Math.log(0.01), Math.log(10)));
    const b = rng.integer(0, 5);
    const c = rng.choice(["x", PROBE]);
    return rec(i, "COMPLETE", Math.log(a) ** 2 + b + (c === "x" ? 0 : 3), { [DOTTED]: [X, a], "x\\y": [Y, b], [PROBE]: [C, c] });
  });
}

test("parameter names with dots, brackets, backslashes and markup are shown as text and read correctly", async () => {
  const trials = awkwardTrials(40);
  const importance = paramImportances(trials);
  const charts: [string, ChartSpec, number][] = [
    ["slice", sliceSpec(sliceData(trials), { study: PROBE }), 3 * 40],
    ["parallel", parallelSpec(parallelData(trials)), 40],
    ["contour", contourSpec(contourData(trials, { params: [DOTTED, "x\\y"] })), 40],
    ["importance", importanceSpec(importanceData(importance), { study: PROBE }), 3],
  ];
  for (const [name, spec, marks] of charts) {
    const svg = await checkSpec(spec);
    assert.ok(svg.includes(DOTTED), `${name}: shows ${DOTTED}`);
    assert.ok(!svg.includes("<img"), `${name}: markup in names is escaped`);
    const counted =
      name === "parallel" ? countMarks(svg, "line mark") : name === "importance" ? countMarks(svg, "bar") : countMarks(svg, "point");
    assert.equal(counted, marks, `${name}: every trial is drawn (no value lost to nested-field access)`);
  }
  const slice = await renderSvg(sliceSpec(sliceData(trials), { study: PROBE }));
  assert.ok(slice.includes("&lt;img src=x onerror=alert(1)&gt;"), "the probe appears as text");
});

test("escapeField makes a user name usable as a field", async () => {
  assert.equal(escapeField("a.b[0]"), "a\\.b\\[0\\]");
  assert.equal(escapeField("x\\y"), "x\\\\y");
  assert.equal(escapeField("plain"), "plain");
  const values = [
    { [DOTTED]: 1, v: 1 },
    { [DOTTED]: 2, v: 4 },
    { [DOTTED]: 3, v: 9 },
  ];
  const spec = (field: string): ChartSpec => ({
    $schema: VEGA_LITE_SCHEMA,
    title: "t",
    width: 100,
    height: 100,
    data: { values },
    mark: "point",
    encoding: { x: { field, type: "quantitative", title: DOTTED }, y: { field: "v", type: "quantitative" } },
  });
  assert.equal(countMarks(await renderSvg(spec(escapeField(DOTTED))), "point"), 3);
  // unescaped, Vega-Lite reads datum.a.b[0], which does not exist: the points are lost
  assert.equal(countMarks(await renderSvg(spec(DOTTED)), "point"), 0);
});

test("no chart ships more than 5,000 points, however large the study", () => {
  const rng = new Rng(1);
  const X = float(0, 1);
  const Y = float(1e-3, 1, true);
  const trials: TrialRecord[] = Array.from({ length: 20_000 }, (_, i) => {
    const x = rng.random();
    const y = Math.exp(rng.uniform(Math.log(1e-3), 0));
    const pruned = i % 3 === 0;
    const intermediateValues = Object.fromEntries(Array.from({ length: pruned ? 5 : 30 }, (_, s) => [s, x + 1 / (s + 1)]));
    return rec(
      i,
      pruned ? "PRUNED" : "COMPLETE",
      pruned ? null : x + y + 0.01 * rng.normal(),
      { x: [X, x], y: [Y, y] },
      {
        intermediateValues,
        datetimeStart: new Date(i * 1000),
        datetimeComplete: new Date(i * 1000 + 900),
      },
    );
  });
  const cap = 5000;
  const history = historyData(trials, "minimize");
  assert.ok(history.length <= cap && history.length > cap - 10, `history ${history.length}`);
  // every improvement survives downsampling, so the best-so-far line is exact
  const improvements = history.filter((r, i) => i === 0 || r.best! < history[i - 1].best!);
  assert.equal(
    improvements[improvements.length - 1].best,
    Math.min(...trials.filter((t) => t.value !== null).map((t) => t.value as number)),
  );
  assert.ok(sliceData(trials).rows.length <= cap);
  const parallel = parallelData(trials);
  assert.ok(parallel.rows.length * parallel.axes.length <= cap, `parallel ${parallel.rows.length} × ${parallel.axes.length}`);
  const contour = contourData(trials, { params: ["x", "y"] });
  assert.ok(contour.cells.length + contour.points.length <= cap, `contour ${contour.cells.length} + ${contour.points.length}`);
  const curves = intermediateData(trials);
  assert.ok(curves.length <= cap && curves.length > cap / 2, `intermediate ${curves.length}`);
  assert.ok(
    edfData([
      { name: "a", trials },
      { name: "b", trials },
    ]).length <= cap,
  );
  assert.ok(timelineData(trials).length <= cap);
  assert.ok(compareHistoryData([1, 2, 3].map((k) => ({ name: `s${k}`, direction: "minimize" as const, trials }))).length <= cap);
  // a tighter cap is honoured too
  assert.ok(historyData(trials, "minimize", { maxPoints: 100 }).length <= 100);
  assert.ok(intermediateData(trials, { maxPoints: 300 }).length <= 300);
});

test("a large history still renders", async () => {
  const trials = Array.from({ length: 8000 }, (_, i) => rec(i, "COMPLETE", Math.sin(i) + i * 1e-4));
  const svg = await renderSvg(historySpec(historyData(trials, "minimize"), { direction: "minimize" }));
  assert.equal(countMarks(svg, "point"), 5000);
});

test("the chart modules load vega and vega-lite lazily", () => {
  const dir = new URL("../../../tracker/charts/", import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(new URL(file, dir), "utf8");
    const eager = source.split("\n").filter((line) => /^\s*import\s+(?!type\b)[^;]*from\s+"vega(-lite)?"/.test(line));
    assert.deepEqual(eager, [], `${file} imports vega eagerly`);
  }
});
