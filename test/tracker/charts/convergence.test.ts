import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import type { JsonValue } from "../../../core/records.js";
import { convergenceData, convergenceSpec, spansDecades } from "../../../tracker/charts/convergence.js";
import { createStudy } from "../../../tune/create-study.js";
import { CONVERGENCE_ATTR, STOP_REASON_ATTR } from "../../../tune/stopping/index.js";
import { steepObjective } from "../../tune/stopping/helpers.js";
import { checkSpec, countMarks } from "./helpers.js";

/** A falling regret bound that meets a steady error at trial 27; one entry unreadable. */
const attrs = (): Record<string, JsonValue> => ({
  [CONVERGENCE_ATTR]: [
    ...Array.from({ length: 8 }, (_, i) => ({ trial: 20 + i, regretBound: 0.9 / 2 ** i, error: 0.01 + 0.001 * (i % 2) })),
    { trial: 30, regretBound: null, error: 0.01 },
    "not a record",
  ],
  [STOP_REASON_ATTR]: "converged: regret bound 0.007 < error 0.011 after 28 trials",
});

test("convergence data: the readable entries by trial, stop points where the bound is below the error, the reason", () => {
  const data = convergenceData(attrs());
  assert.equal(data.rows.length, 8, "the entry with a null bound and the string are left out");
  assert.deepEqual(
    data.rows.map((r) => r.trial),
    [20, 21, 22, 23, 24, 25, 26, 27],
  );
  assert.deepEqual(
    data.rows.filter((r) => r.stopped).map((r) => r.trial),
    [27],
  );
  assert.equal(data.stopReason, "converged: regret bound 0.007 < error 0.011 after 28 trials");
  assert.deepEqual(convergenceData({}), { rows: [], stopReason: null });
});

test("convergence chart: two lines over trial, log axis across decades, the stop marked, the legend whole below", async () => {
  const spec = convergenceSpec(convergenceData(attrs()), { study: "svm" });
  const svg = await checkSpec(spec);
  if (process.env.TUNEBOOK_CHART_OUT) writeFileSync(process.env.TUNEBOOK_CHART_OUT, svg);
  assert.equal(countMarks(svg, "line mark"), 2, "one line per series");
  assert.equal(countMarks(svg, "point"), 16, "a point per trial on each line");
  assert.equal(countMarks(svg, "rule mark"), 1, "the stop");
  const layers = (spec as { layer: { encoding: { y?: { scale?: { type?: string } }; color?: { legend?: { orient?: string } } } }[] }).layer;
  assert.equal(layers[0].encoding.y?.scale?.type, "log");
  assert.equal(layers[0].encoding.color?.legend?.orient, "bottom");
  for (const label of ["Regret bound", "Statistical error", "Stopped (bound < error)", "Convergence — svm"]) {
    assert.ok(svg.includes(label.replace("<", "&lt;")), `the SVG shows ${label}`);
  }
});

test("convergence chart: a linear axis from zero when the values stay within two decades; no stop, no rule", async () => {
  const list = [0, 1, 2].map((i) => ({ trial: i + 20, regretBound: 0.05 - 0.01 * i, error: 0.01 }));
  const spec = convergenceSpec(convergenceData({ [CONVERGENCE_ATTR]: list }));
  const svg = await checkSpec(spec);
  assert.equal(countMarks(svg, "rule mark"), 0);
  assert.ok(!svg.includes("Stopped"));
  const layers = (spec as { layer: { encoding: { y?: { scale?: { type?: string; zero?: boolean } } } }[] }).layer;
  assert.deepEqual(layers[0].encoding.y?.scale, { zero: true });
  assert.equal(spansDecades([0.01, 0.99]), false);
  assert.equal(spansDecades([0.01, 1]), true);
  assert.equal(spansDecades([0, 1]), false, "zero has no place on a log axis");
});

test("convergence chart: without records, a chart that says how to get them", async () => {
  const svg = await checkSpec(convergenceSpec(convergenceData({}), { study: "knn" }), { tooltips: false });
  assert.match(svg, /stop: &quot;converged&quot;|stop: "converged"/);
});

test("convergence chart of a real study: what optimize recorded, one judgement per trial from the 20th", async () => {
  const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 3 });
  await study.optimize(steepObjective(2), { nTrials: 45, stop: "converged" });
  const data = convergenceData((await study.summary()).systemAttrs);
  assert.deepEqual(
    data.rows.map((r) => r.trial),
    Array.from({ length: 26 }, (_, i) => 19 + i),
  );
  assert.equal(data.stopReason, null);
  const svg = await checkSpec(convergenceSpec(data, { study: study.name }));
  if (process.env.TUNEBOOK_CHART_OUT) writeFileSync(process.env.TUNEBOOK_CHART_OUT.replace(".svg", "-study.svg"), svg);
  assert.equal(countMarks(svg, "point"), 52);
  assert.equal(countMarks(svg, "rule mark"), 0);
});
