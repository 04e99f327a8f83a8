import assert from "node:assert/strict";
import { test } from "node:test";
import type { DistributionJson, ParamValue, TrialRecord } from "../../../core/records.js";
import { paramImportances } from "../../../tracker/analysis/importance.js";
import { refineSearchSpace } from "../../../tracker/analysis/refine.js";
import { inferSpace } from "../../../tracker/analysis/space.js";
import {
  type ChartSpec,
  classBalanceData,
  classBalanceSpec,
  compareHistoryData,
  compareHistorySpec,
  contourData,
  contourSpec,
  correlationData,
  correlationSpec,
  edfData,
  edfSpec,
  featureAssociationData,
  featureAssociationSpec,
  featureHistogramData,
  featureHistogramSpec,
  foldScoresData,
  foldScoresSpec,
  historyData,
  historySpec,
  importanceData,
  importanceSpec,
  parallelData,
  parallelSpec,
  sliceData,
  sliceSpec,
} from "../../../tracker/charts/index.js";
import { STUDY_CHART_KINDS, studyChart } from "../../../tracker/charts/study-charts.js";
import { cat, checkSpec, float, int, rec, summary } from "./helpers.js";

/**
 * Parameters named like the properties every plain object inherits are data: a trial
 * without `constructor` does not have it, whatever `"constructor" in params` says.
 */
const INHERITED = ["constructor", "__proto__", "toString", "valueOf"] as const;
const DISTRIBUTION: Record<(typeof INHERITED)[number] | "x", DistributionJson> = {
  x: float(-1, 1),
  constructor: float(0, 1),
  ["__proto__"]: int(1, 5),
  toString: cat("a", "b", "c"),
  valueOf: float(1e-3, 1, true),
};

function sampleValue(name: (typeof INHERITED)[number], i: number): ParamValue {
  if (name === "constructor") return ((i * 5) % 11) / 10;
  if (name === "__proto__") return 1 + (i % 5);
  if (name === "toString") return ["a", "b", "c"][i % 3];
  return 10 ** -((i % 4) + 0.5);
}

/** Trial i has x, and `INHERITED[i % 5]` (none for every fifth); the last trial has none. */
function trialsWithSome(n = 30): TrialRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const x = ((i * 7) % 19) / 9.5 - 1;
    const extra = i === n - 1 ? undefined : INHERITED[i % 5];
    const params: Record<string, [DistributionJson, ParamValue]> = { x: [DISTRIBUTION.x, x] };
    if (extra) Object.defineProperty(params, extra, { value: [DISTRIBUTION[extra], sampleValue(extra, i)], enumerable: true });
    return rec(i, "COMPLETE", x * x + i / 100, params);
  });
}

function trialsWithAll(n = 20): TrialRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const params: Record<string, [DistributionJson, ParamValue]> = {};
    for (const name of INHERITED)
      Object.defineProperty(params, name, { value: [DISTRIBUTION[name], sampleValue(name, i)], enumerable: true });
    return rec(i, "COMPLETE", i % 7, params);
  });
}

const owning = (trials: readonly TrialRecord[], name: string) => trials.filter((t) => Object.hasOwn(t.params, name));

test("every study chart draws trials with some, all or none of the inherited names", async () => {
  for (const trials of [trialsWithSome(), trialsWithAll()]) {
    for (const kind of STUDY_CHART_KINDS) {
      const { spec } = studyChart(kind, summary("s", "minimize"), trials);
      await checkSpec(spec, { tooltips: false });
    }
  }
});

test("parallel coordinates: axes for the parameters every trial has, and only those", () => {
  assert.deepEqual(
    parallelData(trialsWithSome()).axes.map((a) => a.name),
    ["x", "Objective value"],
  );
  assert.deepEqual(
    parallelData(trialsWithAll()).axes.map((a) => a.name),
    [...[...INHERITED].sort(), "Objective value"],
  );
  for (const name of INHERITED) {
    const trials = trialsWithSome();
    const data = parallelData(trials, { params: [name] });
    assert.deepEqual(
      data.rows.map((r) => r.number),
      owning(trials, name).map((t) => t.number),
      name,
    );
    assert.deepEqual(
      data.rows.map((r) => r.r0),
      owning(trials, name).map((t) => t.params[name]),
      name,
    );
  }
});

test("slice and contour: a parameter's points are the trials that set it", () => {
  const trials = trialsWithSome();
  const slice = sliceData(trials);
  for (const name of INHERITED) {
    assert.deepEqual(
      slice.rows.filter((r) => r.param === name).map((r) => r.number),
      owning(trials, name).map((t) => t.number),
      name,
    );
    const contour = contourData(trials, { params: [name, "x"] });
    assert.deepEqual(
      contour.points.map((p) => p.number),
      owning(trials, name).map((t) => t.number),
      name,
    );
  }
});

test("importance and the inferred space count only the trials that set a parameter", () => {
  const trials = trialsWithSome();
  for (const name of ["constructor", "__proto__", "valueOf"] as const) {
    const space = inferSpace(trials, { params: [name] });
    assert.deepEqual(
      space.params.map((p) => p.name),
      [name],
    );
    assert.equal(paramImportances(trials, { params: [name] }).nEligible, owning(trials, name).length, name);
  }
  assert.deepEqual(
    inferSpace(trials).skipped.map((s) => s.name),
    [...[...INHERITED].sort()],
    "conditional: set by some trials only",
  );
});

test("refine: support is the number of top trials that set each parameter", () => {
  const trials = trialsWithSome();
  const refined = refineSearchSpace(trials, "minimize", { quantile: 1, minTrials: 1 });
  for (const name of INHERITED) {
    assert.equal(refined.params.find((p) => p.name === name)!.support, owning(trials, name).length, name);
  }
  assert.ok(Object.hasOwn(refined.distributions, "__proto__"));
});

/**
 * Texts Vega's expression parser reads as identifiers when they are a whole string
 * literal: the names every object inherits, and the keyword `if`.
 */
const IDENTIFIER_LIKE = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "if"];

/** One COMPLETE trial per value of `values`, whose categorical parameter `choice` takes each text in turn. */
function trialsChoosing(texts: readonly string[], n = 21): TrialRecord[] {
  const choice = cat(...texts);
  return Array.from({ length: n }, (_, i) =>
    rec(i, "COMPLETE", (i % 5) + i / 50, { choice: [choice, texts[i % texts.length]], x: [DISTRIBUTION.x, ((i * 7) % 19) / 9.5 - 1] }),
  );
}

test("every chart draws user texts that Vega would read as identifiers, as text", async () => {
  const trials = trialsChoosing(IDENTIFIER_LIKE);
  const studies = IDENTIFIER_LIKE.map((name, i) => ({ name, direction: "minimize" as const, trials: trialsChoosing(["a", "b"], 5 + i) }));
  const specs: [string, ChartSpec, readonly string[]][] = [
    ["slice (choices)", sliceSpec(sliceData(trials)), IDENTIFIER_LIKE],
    ["contour (choices)", contourSpec(contourData(trials, { params: ["choice", "x"] })), IDENTIFIER_LIKE],
    ["parallel (choices)", parallelSpec(parallelData(trials)), IDENTIFIER_LIKE],
    ["parallel (parameters)", parallelSpec(parallelData(trialsWithAll())), INHERITED],
    [
      "importance",
      importanceSpec(
        importanceData({
          method: "fanova",
          importances: IDENTIFIER_LIKE.map((name, i) => ({ name, importance: (i + 1) / 28, std: 0.01 })),
          skipped: [],
          nTrials: 20,
          nEligible: 20,
          nTrees: 16,
        }),
      ),
      IDENTIFIER_LIKE,
    ],
    ["compare history", compareHistorySpec(compareHistoryData(studies)), IDENTIFIER_LIKE],
    ["edf", edfSpec(edfData(studies)), IDENTIFIER_LIKE],
    [
      "fold scores",
      foldScoresSpec(foldScoresData(IDENTIFIER_LIKE.map((name, i) => ({ name, scores: [i, i + 1, i + 0.5] })))),
      IDENTIFIER_LIKE,
    ],
    ["class balance", classBalanceSpec(classBalanceData({ labels: IDENTIFIER_LIKE })), IDENTIFIER_LIKE],
    [
      "correlation",
      correlationSpec(
        correlationData({
          features: IDENTIFIER_LIKE,
          matrix: IDENTIFIER_LIKE.map((_, i) => IDENTIFIER_LIKE.map((_, j) => (i === j ? 1 : 0.1))),
        }),
      ),
      IDENTIFIER_LIKE,
    ],
    [
      "feature association",
      featureAssociationSpec(featureAssociationData(IDENTIFIER_LIKE.map((feature, i) => ({ feature, score: i })))),
      IDENTIFIER_LIKE,
    ],
    [
      "feature histograms",
      featureHistogramSpec(featureHistogramData(IDENTIFIER_LIKE.map((feature, i) => ({ feature, values: [i, i + 1, i + 2] })))),
      IDENTIFIER_LIKE,
    ],
  ];
  for (const name of IDENTIFIER_LIKE) {
    const named = trialsWithSome().map((t) => rec(t.number, "COMPLETE", t.value, { [name]: [DISTRIBUTION.x, t.params.x] }));
    specs.push(
      [`slice (parameter ${name})`, sliceSpec(sliceData(named)), [name]],
      [
        `contour (parameter ${name})`,
        contourSpec(contourData(trials, { params: ["choice", "x"] }), { title: name, valueTitle: name }),
        [name],
      ],
      [
        `history (titles ${name})`,
        historySpec(historyData(trials, "minimize"), { direction: "minimize", title: name, valueTitle: name }),
        [name],
      ],
    );
  }
  for (const [chart, spec, texts] of specs) {
    const svg = await checkSpec(spec, { tooltips: false }).catch((error: Error) => assert.fail(`${chart}: ${error.message}`));
    // Long labels may be cut short with an ellipsis: their start is enough.
    for (const text of texts) assert.ok(svg.includes(`>${text.slice(0, 8)}`), `${chart}: ${text} is drawn`);
  }
});
