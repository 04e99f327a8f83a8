import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import type { JsonValue, StudyDirection } from "../../../core/records.js";
import { loadArrays } from "../../../learn/datasets.js";
import { lockbox } from "../../../select/lockbox.js";
import { gapLabel, lockboxData, lockboxSpec } from "../../../tracker/charts/lockbox.js";
import { kindsFor, studyChart } from "../../../tracker/charts/study-charts.js";
import { createStudy } from "../../../tune/create-study.js";
import { LOCKBOX_ATTR } from "../../../tune/test-set-record.js";
import { checkSpec, countMarks, rec } from "./helpers.js";

/** Values of trials 0..9, maximised: the best improves at trials 0, 2, 5 and 8. */
const VALUES = [0.7, 0.6, 0.8, 0.75, 0.79, 0.85, 0.84, 0.83, 0.9, 0.5];
const trials = () => [...VALUES.map((v, i) => rec(i, "COMPLETE", v)), rec(10, "PRUNED", 0.99), rec(11, "FAIL", null)];

const look = (trialNumber: number, validation: number | null, test: number | null, error?: string): JsonValue => ({
  at: `2024-05-0${trialNumber % 9}T10:00:00.000Z`,
  trialNumber,
  validation,
  test,
  ...(error ? { error } : {}),
});

const attrs = (looks: JsonValue[]): Record<string, JsonValue> => ({
  [LOCKBOX_ATTR]: { testRows: 36, fingerprint: "0123456789abcdef", looks },
});

test("lockbox data: the incumbent's steps, each scored look with its gap by the study's direction", () => {
  const systemAttrs = attrs([look(5, 0.85, 0.8), look(8, 0.9, 0.87), look(8, 0.9, null, "the callback threw"), look(8, 0.9, 0.91)]);
  const data = lockboxData(trials(), "maximize", systemAttrs);
  assert.deepEqual(data.incumbent, [
    { trial: 0, best: 0.7 },
    { trial: 2, best: 0.8 },
    { trial: 5, best: 0.85 },
    { trial: 8, best: 0.9 },
    { trial: 9, best: 0.9 },
  ]);
  assert.deepEqual(
    data.looks.map((l) => [l.look, l.trial, l.validation, l.test, Number(l.gap.toFixed(6))]),
    [
      [1, 5, 0.85, 0.8, 0.05],
      [2, 8, 0.9, 0.87, 0.03],
      [4, 8, 0.9, 0.91, -0.01],
    ],
    "the failed look is counted, not drawn; a test score better than validation has a negative gap",
  );
  assert.equal(data.lookCount, 4);
  assert.equal(data.testRows, 36);

  const minimised = lockboxData(
    VALUES.map((v, i) => rec(i, "COMPLETE", 1 - v)),
    "minimize",
    attrs([look(8, 0.1, 0.14)]),
  );
  assert.equal(Number(minimised.looks[0].gap.toFixed(6)), 0.04, "minimised: a higher test error is the optimism");
  assert.deepEqual(
    minimised.incumbent.map((r) => r.trial),
    [0, 2, 5, 8, 9],
  );
  const without = lockboxData(trials(), "maximize", {});
  assert.deepEqual([without.looks, without.lookCount, without.testRows], [[], 0, null]);
  assert.deepEqual(lockboxData(trials(), "maximize", { [LOCKBOX_ATTR]: "unreadable" }).testRows, null);
  assert.equal(gapLabel(0.0213), "gap +0.0213");
  assert.equal(gapLabel(-0.004), "gap −0.004");
  assert.equal(gapLabel(0), "gap 0");
});

test("lockbox chart: the incumbent's step line, a ring and a diamond per look, the gap ruled and labelled, one legend", async () => {
  const data = lockboxData(trials(), "maximize", attrs([look(5, 0.85, 0.8), look(8, 0.9, 0.87), look(8, 0.9, 0.87)]));
  const spec = lockboxSpec(data, { study: "svm", valueTitle: "accuracy (maximize)" });
  const svg = await checkSpec(spec);
  if (process.env.TUNEBOOK_CHART_OUT) writeFileSync(process.env.TUNEBOOK_CHART_OUT, svg);
  assert.equal(countMarks(svg, "line mark"), 1, "the incumbent");
  assert.equal(countMarks(svg, "point"), 6, "validation and test of each of the 3 looks");
  assert.equal(countMarks(svg, "rule mark"), 3, "a gap per look");
  assert.equal(countMarks(svg, "text mark"), 2, "one label per trial scored");
  for (const text of [
    "Validation against test — svm",
    "Best validation value so far",
    "Validation value of the scored trial",
    "Test score (locked test set)",
    "gap +0.05",
    "gap +0.03",
    "accuracy (maximize)",
    "Trial",
  ]) {
    assert.ok(svg.includes(text), `the SVG shows ${text}`);
  }
  assert.equal((svg.match(/role-legend"/g) ?? []).length, 1, "colour and shape share one legend");
});

test("lockbox chart: without a scored look, a chart that says how to get one", async () => {
  const none = await checkSpec(lockboxSpec(lockboxData(trials(), "maximize", {})), { tooltips: false });
  assert.match(none, /lockbox\(data, \{ study \}\)/);
  const unscored = await checkSpec(lockboxSpec(lockboxData(trials(), "maximize", attrs([look(8, 0.9, null, "threw")]))), {
    tooltips: false,
  });
  assert.match(unscored, /No score from the locked test set yet \(36 rows\)/);
});

test("lockbox chart of a real study: offered once the test set was looked at, drawn from what evaluateTest recorded", async () => {
  for (const direction of ["maximize", "minimize"] as StudyDirection[]) {
    const study = await createStudy({ storage: ":memory:", direction, sampler: "random", seed: 2, name: "knn" });
    const { train } = await lockbox(loadArrays("wine"), { study, testSize: 0.2, stratify: true, seed: 1 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) * (train.y.length / 142), { nTrials: 30 });
    const before = await study.summary();
    assert.ok(!kindsFor(before, await study.trials()).includes("lockbox"), "no look yet: no chart");
    await study.evaluateTest(() => 0.5);
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 10 });
    await study.evaluateTest(() => 0.6, { again: true });
    const summary = await study.summary();
    const all = await study.trials();
    assert.ok(kindsFor(summary, all).includes("lockbox"));
    const best = await study.best();
    const { spec, note } = studyChart("lockbox", summary, all);
    assert.match(note ?? "", /Test set of 36 rows, used 2 times/);
    const svg = await checkSpec(spec);
    if (process.env.TUNEBOOK_CHART_OUT) writeFileSync(process.env.TUNEBOOK_CHART_OUT.replace(".svg", `-${direction}.svg`), svg);
    assert.equal(countMarks(svg, "point"), 4);
    const data = lockboxData(all, direction, summary.systemAttrs);
    assert.equal(data.looks.at(-1)?.trial, best.number, "the second look scored the best trial then");
    assert.equal(data.looks.at(-1)?.validation, best.value);
    assert.equal(data.incumbent.at(-1)?.best, best.value);
  }
});
