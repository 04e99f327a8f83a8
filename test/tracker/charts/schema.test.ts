import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ChartSpec,
  classBalanceData,
  classBalanceSpec,
  comparisonCharts,
  correlationData,
  correlationSpec,
  emptySpec,
  featureAssociationData,
  featureAssociationSpec,
  featureHistogramData,
  featureHistogramSpec,
  studyCharts,
} from "../../../tracker/charts/index.js";
import { mixedCase } from "../analysis/importance-cases.js";
import { rec, summary } from "./helpers.js";

/** The Vega-Lite the UI serves (node_modules/vega-lite 6): a spec declaring v5 makes vega-embed log a version warning. */
const V6 = "https://vega.github.io/schema/vega-lite/v6.json";

/** Every `$schema` in a spec, nested ones included. */
function schemas(spec: unknown): string[] {
  if (Array.isArray(spec)) return spec.flatMap(schemas);
  if (spec === null || typeof spec !== "object") return [];
  return Object.entries(spec).flatMap(([key, value]) => (key === "$schema" ? [String(value)] : schemas(value)));
}

test("every spec a chart builder produces declares Vega-Lite v6", () => {
  const c = mixedCase(60, 3);
  const { notes: _notes, importanceResult: _result, ...study } = studyCharts(summary("s", "minimize"), c.trials);
  const { notes: _n, importanceResult: _r, ...young } = studyCharts(summary("young"), [rec(0, "COMPLETE", 1)]);
  const compared = comparisonCharts([
    { summary: summary("a"), trials: c.trials },
    { summary: summary("b"), trials: c.trials.slice(0, 20) },
  ]);
  const specs: [string, ChartSpec][] = [
    ...Object.entries(study).map(([kind, spec]): [string, ChartSpec] => [kind, spec]),
    ...Object.entries(young).map(([kind, spec]): [string, ChartSpec] => [`${kind} (empty)`, spec]),
    ["best so far", compared.bestSoFar],
    ["fold scores", compared.foldScores],
    ["class balance", classBalanceSpec(classBalanceData({ labels: ["a", "b", "a"] }))],
    [
      "correlation",
      correlationSpec(
        correlationData({
          features: ["a", "b"],
          matrix: [
            [1, 0.5],
            [0.5, 1],
          ],
        }),
      ),
    ],
    ["feature association", featureAssociationSpec(featureAssociationData([{ feature: "a", score: 1 }]))],
    ["feature histograms", featureHistogramSpec(featureHistogramData([{ feature: "a", values: [1, 2, 3] }]))],
    ["empty", emptySpec("t", "nothing")],
  ];
  assert.equal(specs.length, 8 + 8 + 7);
  for (const [name, spec] of specs) assert.deepEqual(schemas(spec), [V6], name);
});
