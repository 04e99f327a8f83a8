import type { StudyDirection, TrialRecord } from "../../core/records.js";
import { bestSoFar, downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  STATE_COLORS,
  titled,
  vegaText,
  wholeLegend,
} from "./common.js";

/**
 * Optimisation history: each COMPLETE trial's value, and the best value so far as a step
 * line. In a study with constraints, infeasible trials are drawn in grey and never set the
 * best (as Optuna's plot and `study.best()`).
 */

export interface HistoryRow {
  number: number;
  value: number;
  /** Null before the first feasible trial. */
  best: number | null;
  feasible: boolean;
}

const INFEASIBLE = "Infeasible trial";
const INFEASIBLE_COLOR = "#bab0ac";
const BEST_COLOR = "#e45756";

export interface HistoryDataOptions {
  /** Cap on the rows (default 5,000): every improvement is kept, then an even sample of the rest. */
  maxPoints?: number;
}

export function historyData(trials: readonly TrialRecord[], direction: StudyDirection, options: HistoryDataOptions = {}): HistoryRow[] {
  const points = bestSoFar(trials, direction);
  return downsample(points, options.maxPoints ?? MAX_CHART_POINTS, (p) => p.improved).map(({ number, value, best, feasible }) => ({
    number,
    value,
    best,
    feasible,
  }));
}

export interface HistorySpecOptions extends ChartOptions {
  direction: StudyDirection;
  /** Study name for the title. */
  study?: string;
  /** Axis title of the objective (default "Objective value"). */
  valueTitle?: string;
  /** Plot the values on a log scale (default false; needs positive values). */
  logValues?: boolean;
}

export function historySpec(rows: readonly HistoryRow[], options: HistorySpecOptions): ChartSpec {
  const valueTitle = vegaText(options.valueTitle ?? "Objective value");
  const y = {
    type: "quantitative",
    title: valueTitle,
    scale: options.logValues ? { type: "log" as const, zero: false } : { zero: false },
  } as const;
  const best = `Best so far (${options.direction})`;
  const infeasible = rows.some((r) => !r.feasible) ? INFEASIBLE : null;
  const each = infeasible ? "Feasible trial" : "Each completed trial";
  // The points' series: one colour for all, or feasible and infeasible apart when some are infeasible.
  const series = infeasible ? [each, infeasible, best] : [each, best];
  const colors = infeasible ? [STATE_COLORS.COMPLETE, INFEASIBLE_COLOR, BEST_COLOR] : [STATE_COLORS.COMPLETE, BEST_COLOR];
  return {
    ...base(titled("Optimization history", options.study), options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => (infeasible ? { ...r, series: r.feasible ? each : infeasible } : { ...r })) },
    encoding: { x: { field: "number", type: "quantitative", title: "Trial", axis: countAxis() } },
    layer: [
      {
        mark: { type: "point", filled: true, opacity: 0.6, tooltip: true },
        encoding: {
          y: { field: "value", ...y },
          color: {
            ...(infeasible ? { field: "series" } : { datum: each }),
            type: "nominal",
            scale: { domain: series, range: colors },
            legend: { ...wholeLegend(series.length), direction: "horizontal", columns: series.length },
          },
          tooltip: [
            { field: "number", type: "quantitative", title: "Trial" },
            { field: "value", type: "quantitative", title: valueTitle },
            { field: "best", type: "quantitative", title: best },
            ...(infeasible ? [{ field: "series", type: "nominal" as const, title: "Kind" }] : []),
          ],
        },
      },
      {
        mark: { type: "line", interpolate: "step-after" },
        encoding: {
          y: { field: "best", ...y },
          color: { datum: best, type: "nominal" },
        },
      },
    ],
  };
}
