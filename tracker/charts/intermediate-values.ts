import type { TrialRecord } from "../../core/records.js";
import { downsample, downsampleIndices, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  STATE_SCALE,
  titled,
  vegaText,
} from "./common.js";

/** Intermediate values (learning curves) of each trial, coloured by state: pruned trials stand out. */

export interface IntermediateRow {
  number: number;
  step: number;
  value: number;
  state: TrialRecord["state"];
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
  for (const { trial, steps } of kept) {
    const cap = Math.min(2, steps.length) + Math.floor(Math.max(0, steps.length - 2) * share);
    for (const i of downsampleIndices(steps.length, cap))
      rows.push({ number: trial.number, step: steps[i].step, value: steps[i].value, state: trial.state });
  }
  return rows;
}

export interface IntermediateSpecOptions extends ChartOptions {
  study?: string;
  valueTitle?: string;
}

export function intermediateSpec(rows: readonly IntermediateRow[], options: IntermediateSpecOptions = {}): ChartSpec {
  const title = titled("Intermediate values", options.study);
  if (rows.length === 0) return emptySpec(title, "No trial has reported intermediate values.", options);
  const valueTitle = vegaText(options.valueTitle ?? "Intermediate value");
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "line", point: { size: 10 }, opacity: 0.7, strokeWidth: 1.2, tooltip: true },
    encoding: {
      x: { field: "step", type: "quantitative", title: "Step" },
      y: { field: "value", type: "quantitative", title: valueTitle, scale: { zero: false } },
      detail: { field: "number", type: "nominal" },
      color: { field: "state", type: "nominal", title: "State", scale: STATE_SCALE },
      tooltip: [
        { field: "number", type: "quantitative", title: "Trial" },
        { field: "state", type: "nominal", title: "State" },
        { field: "step", type: "quantitative", title: "Step" },
        { field: "value", type: "quantitative", title: valueTitle },
      ],
    },
  };
}
