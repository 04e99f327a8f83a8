import type { StudyDirection, TrialRecord } from "../../core/records.js";
import type { HypervolumePoint } from "../analysis/pareto-front.js";
import { hypervolumeHistory, inOwnUnits } from "../analysis/pareto-front.js";
import { downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  studyColors,
  titled,
  wholeLegend,
} from "./common.js";

/**
 * Hypervolume history, as Optuna's `plot_hypervolume_history`: the hypervolume of the
 * feasible Pareto front after each completed trial, by trial number; and the same curves
 * of several studies overlaid, for the compare page.
 */

export interface HypervolumeRow {
  number: number;
  hypervolume: number;
  feasible: boolean;
}

export interface HypervolumeData {
  /** The reference point in the objectives' own units; null when no completed trial is feasible. */
  referencePoint: number[] | null;
  rows: HypervolumeRow[];
}

export interface HypervolumeDataOptions {
  /** Cap on the rows (default 5,000): every trial that raised the hypervolume is kept first. */
  maxPoints?: number;
  /** Minimised reference point (default: over the study's feasible completed trials). */
  referencePoint?: readonly number[];
}

export function hypervolumeData(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  options: HypervolumeDataOptions = {},
): HypervolumeData {
  if (directions.length < 2) return { referencePoint: null, rows: [] };
  const history = hypervolumeHistory(trials, directions, options.referencePoint ? { referencePoint: options.referencePoint } : {});
  return {
    referencePoint: history.referencePoint ? inOwnUnits(history.referencePoint, directions) : null,
    rows: downsample(history.points, options.maxPoints ?? MAX_CHART_POINTS, (p) => p.improved).map(({ number, hypervolume, feasible }) => ({
      number,
      hypervolume,
      feasible,
    })),
  };
}

export interface HypervolumeSpecOptions extends ChartOptions {
  study?: string;
  /** Objectives of the study (the chart says so when there is one). */
  objectives?: number;
}

export function hypervolumeSpec(rows: readonly HypervolumeRow[], options: HypervolumeSpecOptions = {}): ChartSpec {
  const title = titled("Hypervolume history", options.study);
  if ((options.objectives ?? 2) < 2)
    return emptySpec(title, "Hypervolume needs a study with several objectives; this one has one.", options);
  if (rows.length === 0) return emptySpec(title, "No completed trial yet.", options);
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => ({ ...r, feasibility: r.feasible ? "feasible" : "infeasible" })) },
    encoding: {
      x: { field: "number", type: "quantitative", title: "Trial", axis: countAxis() },
      y: { field: "hypervolume", type: "quantitative", title: "Hypervolume" },
    },
    layer: [
      { mark: { type: "line", interpolate: "step-after", color: "#4c78a8" } },
      {
        mark: { type: "point", filled: true, size: 20, color: "#4c78a8", tooltip: true },
        encoding: {
          tooltip: [
            { field: "number", type: "quantitative", title: "Trial" },
            { field: "hypervolume", type: "quantitative", title: "Hypervolume", format: ".6~g" },
            { field: "feasibility", type: "nominal", title: "This trial" },
          ],
        },
      },
    ],
  };
}

export interface CompareHypervolumeRow {
  study: string;
  /** Position of the trial among the study's completed trials (1-based), so studies line up. */
  index: number;
  number: number;
  hypervolume: number;
}

/** Each study's history (w.r.t. one common reference point), downsampled to `maxPoints` over all. */
export function compareHypervolumeData(
  histories: readonly { name: string; points: readonly HypervolumePoint[] }[],
  options: { maxPoints?: number } = {},
): CompareHypervolumeRow[] {
  const perStudy = Math.max(2, Math.floor((options.maxPoints ?? MAX_CHART_POINTS) / Math.max(1, histories.length)));
  return histories.flatMap((h) =>
    downsample(
      h.points.map((p, i) => ({ ...p, index: i + 1 })),
      perStudy,
      (p) => p.improved,
    ).map((p) => ({ study: h.name, index: p.index, number: p.number, hypervolume: p.hypervolume })),
  );
}

export function compareHypervolumeSpec(
  rows: readonly CompareHypervolumeRow[],
  /** `studies`: names in legend and colour order (default: order of appearance); see `studyColors`. */
  options: ChartOptions & { studies?: readonly string[] } = {},
): ChartSpec {
  const title = "Hypervolume so far";
  if (rows.length === 0) return emptySpec(title, "None of these studies has a completed trial yet.", options);
  const colors = studyColors(
    options.studies ?? [],
    rows.map((r) => r.study),
  );
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "line", interpolate: "step-after", tooltip: true, point: { size: 10 } },
    encoding: {
      x: { field: "index", type: "quantitative", title: "Completed trials", axis: countAxis() },
      y: { field: "hypervolume", type: "quantitative", title: "Hypervolume (common reference point)" },
      color: { field: "study", type: "nominal", scale: colors, legend: wholeLegend(colors.domain.length, "Study") },
      tooltip: [
        { field: "study", type: "nominal", title: "Study" },
        { field: "index", type: "quantitative", title: "Completed trials" },
        { field: "number", type: "quantitative", title: "Trial number" },
        { field: "hypervolume", type: "quantitative", title: "Hypervolume", format: ".6~g" },
      ],
    },
  };
}
