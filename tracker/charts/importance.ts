import type { ImportanceResult } from "../analysis/importance.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, inOrder, titled } from "./common.js";

/** Hyperparameter importance: one bar per parameter, with an error bar of ± one standard deviation over the trees. */

export interface ImportanceRow {
  param: string;
  importance: number;
  std: number;
  /** Error bar ends, clipped to [0, 1]. */
  low: number;
  high: number;
}

export function importanceData(result: ImportanceResult): ImportanceRow[] {
  return result.importances.map((p) => ({
    param: p.name,
    importance: p.importance,
    std: p.std,
    low: Math.max(0, p.importance - p.std),
    high: Math.min(1, p.importance + p.std),
  }));
}

export interface ImportanceSpecOptions extends ChartOptions {
  study?: string;
  /** Method shown in the title (default "fANOVA"). */
  method?: "fanova" | "mdi";
}

export function importanceSpec(rows: readonly ImportanceRow[], options: ImportanceSpecOptions = {}): ChartSpec {
  const method = options.method === "mdi" ? "mean decrease in impurity" : "fANOVA";
  const title = titled(`Hyperparameter importance (${method})`, options.study);
  if (rows.length === 0) return emptySpec(title, "Not enough completed trials to assess importance.", options);
  const y = { field: "param", type: "nominal" as const, title: null, ...inOrder(rows.map((r) => r.param)) };
  return {
    ...base(title, options, 420, Math.max(60, 26 * rows.length)),
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8", tooltip: true },
        encoding: {
          y,
          x: { field: "importance", type: "quantitative", title: "Importance", scale: { domain: [0, 1] } },
          tooltip: [
            { field: "param", type: "nominal", title: "Parameter" },
            { field: "importance", type: "quantitative", title: "Importance", format: ".3f" },
            { field: "std", type: "quantitative", title: "± std over trees", format: ".3f" },
          ],
        },
      },
      {
        mark: { type: "rule", color: "#222" },
        encoding: { y, x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
      },
    ],
  };
}
