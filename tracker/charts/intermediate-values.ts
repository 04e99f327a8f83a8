import type { TrialRecord } from "../../core/records.js";
import { downsample, downsampleIndices, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  stateScale,
  titled,
  vegaText,
} from "./common.js";
import { stepsAreFolds } from "./cross-validation.js";

/**
 * Intermediate values (learning curves) of each trial, coloured by state: pruned trials
 * stand out. Steps are integers on the axis; the folds of a cross-validation (see
 * `stepsAreFolds`) read "fold 1", "fold 2", ….
 */

export interface IntermediateRow {
  number: number;
  step: number;
  value: number;
  state: TrialRecord["state"];
  /** The fold (1-based) when the trial's steps are the folds of a cross-validation; absent otherwise. */
  fold?: number;
}

export interface IntermediateDataOptions {
  /** Cap on the points (default 5,000): trials are sampled evenly, then each curve is thinned, keeping its last step. */
  maxPoints?: number;
}

export function intermediateData(trials: readonly TrialRecord[], options: IntermediateDataOptions = {}): IntermediateRow[] {
  const max = options.maxPoints ?? MAX_CHART_POINTS;
  const curves = trials
    .filter((t) => Object.keys(t.intermediateValues).length > 0)
    .sort((a, b) => a.number - b.number)
    .map((t) => ({
      trial: t,
      folds: stepsAreFolds(t),
      steps: Object.entries(t.intermediateValues)
        .map(([step, value]) => ({ step: Number(step), value }))
        .filter((p) => Number.isFinite(p.value))
        .sort((a, b) => a.step - b.step),
    }));
  // At least two points per curve, so no more than max / 2 curves.
  const kept = downsample(curves, Math.max(1, Math.floor(max / 2)));
  // Each curve keeps its first and last step; the rest of the budget is shared in proportion.
  const guaranteed = kept.reduce((n, c) => n + Math.min(2, c.steps.length), 0);
  const extra = kept.reduce((n, c) => n + Math.max(0, c.steps.length - 2), 0);
  const share = extra > 0 ? Math.min(1, Math.max(0, max - guaranteed) / extra) : 1;
  const rows: IntermediateRow[] = [];
  for (const { trial, folds, steps } of kept) {
    const cap = Math.min(2, steps.length) + Math.floor(Math.max(0, steps.length - 2) * share);
    for (const i of downsampleIndices(steps.length, cap)) {
      const { step, value } = steps[i];
      rows.push({ number: trial.number, step, value, state: trial.state, ...(folds ? { fold: step + 1 } : {}) });
    }
  }
  return rows;
}

export interface IntermediateSpecOptions extends ChartOptions {
  study?: string;
  /** Axis title of the values (default "Intermediate value"; "Score on the fold" when the steps are folds). */
  valueTitle?: string;
}

export function intermediateSpec(rows: readonly IntermediateRow[], options: IntermediateSpecOptions = {}): ChartSpec {
  const title = titled("Intermediate values", options.study);
  if (rows.length === 0) return emptySpec(title, "No trial has reported intermediate values.", options);
  // Folds only when every curve is one: a study mixing folds and epochs keeps plain steps.
  const folds = rows.every((r) => r.fold !== undefined);
  const valueTitle = vegaText(options.valueTitle ?? (folds ? "Score on the fold" : "Intermediate value"));
  const lastFold = Math.max(...rows.map((r) => r.fold ?? 0));
  const x = folds
    ? {
        field: "fold",
        type: "quantitative" as const,
        title: "Cross-validation fold",
        scale: { domain: [1, Math.max(2, lastFold)], nice: false },
        axis: { values: Array.from({ length: lastFold }, (_, i) => i + 1), labelExpr: "'fold ' + datum.value", grid: true },
      }
    : { field: "step", type: "quantitative" as const, title: "Step", axis: countAxis() };
  const stepTooltip = folds
    ? { field: "fold", type: "quantitative" as const, title: "Fold" }
    : { field: "step", type: "quantitative" as const, title: "Step" };
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "line", point: { size: 10 }, opacity: 0.7, strokeWidth: 1.2, tooltip: true },
    encoding: {
      x,
      y: { field: "value", type: "quantitative", title: valueTitle, scale: { zero: false } },
      detail: { field: "number", type: "nominal" },
      color: {
        field: "state",
        type: "nominal",
        title: "State",
        scale: stateScale(rows.map((r) => r.state)),
        legend: { labelLimit: 0 },
      },
      tooltip: [
        { field: "number", type: "quantitative", title: "Trial" },
        { field: "state", type: "nominal", title: "State" },
        stepTooltip,
        { field: "value", type: "quantitative", title: valueTitle },
      ],
    },
  };
}
