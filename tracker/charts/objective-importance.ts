import type { ImportanceResult } from "../analysis/importance.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, inOrder, titled, vegaText } from "./common.js";
import { type ImportanceRow, importanceData } from "./importance.js";

/**
 * Hyperparameter importance of each objective of a study with several: the importance of
 * importance.ts fitted once per objective (target: that objective's values), one bar per
 * parameter and objective, grouped by parameter, with ± one standard deviation over the trees.
 */

export interface ObjectiveImportanceRow extends ImportanceRow {
  /** The objective's title. */
  objective: string;
}

/** Rows of every objective that could be assessed (a null result is left out). */
export function objectiveImportanceData(
  results: readonly { objective: string; result: ImportanceResult | null }[],
): ObjectiveImportanceRow[] {
  return results.flatMap(({ objective, result }) => (result ? importanceData(result).map((row) => ({ ...row, objective })) : []));
}

export interface ObjectiveImportanceSpecOptions extends ChartOptions {
  study?: string;
  /** The objectives' titles in their order (the legend's order). */
  objectives: readonly string[];
}

export function objectiveImportanceSpec(rows: readonly ObjectiveImportanceRow[], options: ObjectiveImportanceSpecOptions): ChartSpec {
  const title = titled("Hyperparameter importance per objective (fANOVA)", options.study);
  if (rows.length === 0) return emptySpec(title, "Not enough completed trials to assess importance.", options);
  // Parameters by their largest importance over the objectives.
  const top = new Map<string, number>();
  for (const r of rows) top.set(r.param, Math.max(top.get(r.param) ?? 0, r.importance));
  const params = [...top.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p);
  const objectives = options.objectives.map(vegaText);
  const y = { field: "param", type: "nominal" as const, title: null, ...inOrder(params) };
  const yOffset = { field: "objective", type: "nominal" as const, ...inOrder(objectives) };
  return {
    ...base(title, options, 420, Math.max(80, params.length * (10 + 14 * objectives.length))),
    data: { values: rows.map((r) => ({ ...r, objective: vegaText(r.objective) })) },
    layer: [
      {
        mark: { type: "bar", tooltip: true },
        encoding: {
          y,
          yOffset,
          x: { field: "importance", type: "quantitative", title: "Importance", scale: { domain: [0, 1] } },
          color: {
            field: "objective",
            type: "nominal",
            title: null,
            ...inOrder(objectives),
            legend: { orient: "bottom", direction: "vertical", labelLimit: 0 },
          },
          tooltip: [
            { field: "objective", type: "nominal", title: "Objective" },
            { field: "param", type: "nominal", title: "Parameter" },
            { field: "importance", type: "quantitative", title: "Importance", format: ".3f" },
            { field: "std", type: "quantitative", title: "± std over trees", format: ".3f" },
          ],
        },
      },
      {
        mark: { type: "rule", color: "#222" },
        encoding: { y, yOffset, x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
      },
    ],
  } as ChartSpec;
}
