import type { TrialRecord } from "../../core/records.js";
import { completedWithValue, ecdf, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  studyColors,
  titled,
  vegaText,
  wholeLegend,
} from "./common.js";

/** Empirical distribution function of the objective values, one curve per study. */

export interface EdfStudy {
  name: string;
  trials: readonly TrialRecord[];
}

export interface EdfRow {
  study: string;
  value: number;
  /** Share of the study's COMPLETE trials with a value ≤ `value`. */
  p: number;
}

export interface EdfDataOptions {
  /** Cap on the points over all curves (default 5,000). */
  maxPoints?: number;
}

export function edfData(studies: readonly EdfStudy[], options: EdfDataOptions = {}): EdfRow[] {
  const perStudy = Math.max(2, Math.floor((options.maxPoints ?? MAX_CHART_POINTS) / Math.max(1, studies.length)));
  return studies.flatMap((s) =>
    ecdf(
      completedWithValue(s.trials).map((t) => t.value as number),
      perStudy,
    ).map((pt) => ({ study: s.name, value: pt.value, p: pt.p })),
  );
}

export interface EdfSpecOptions extends ChartOptions {
  valueTitle?: string;
  /** Study names in colour order (default: order of appearance); see `studyColors`. */
  studies?: readonly string[];
}

/** One curve per study; a single study is named in the title instead of a legend. */
export function edfSpec(rows: readonly EdfRow[], options: EdfSpecOptions = {}): ChartSpec {
  const names = studyColors(
    options.studies ?? [],
    rows.map((r) => r.study),
  ).domain;
  const title = titled("Empirical distribution of values", names.length === 1 ? names[0] : undefined);
  if (rows.length === 0) return emptySpec(title, "No completed trials yet.", options);
  const valueTitle = vegaText(options.valueTitle ?? "Objective value");
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "line", interpolate: "step-after", point: { size: 12 }, tooltip: true },
    encoding: {
      x: { field: "value", type: "quantitative", title: valueTitle, scale: { zero: false } },
      y: {
        field: "p",
        type: "quantitative",
        title: "Share of completed trials ≤ value",
        scale: { domain: [0, 1] },
        axis: { format: "~%" },
      },
      color: {
        field: "study",
        type: "nominal",
        scale: studyColors(
          options.studies ?? [],
          rows.map((r) => r.study),
        ),
        legend: names.length === 1 ? null : wholeLegend(names.length, "Study"),
      },
      tooltip: [
        { field: "study", type: "nominal", title: "Study" },
        { field: "value", type: "quantitative", title: valueTitle },
        { field: "p", type: "quantitative", title: "Share ≤ value", format: ".1%" },
      ],
    },
  };
}
