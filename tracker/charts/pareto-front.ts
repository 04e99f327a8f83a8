import { constraintValues } from "../../core/feasibility.js";
import type { StudyDirection, TrialRecord } from "../../core/records.js";
import { type FrontMark, frontMarks } from "../analysis/pareto-front.js";
import { downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  type ChartOptions,
  type ChartSpec,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  titled,
  VEGA_LITE_SCHEMA,
  vegaText,
} from "./common.js";

/**
 * The Pareto front, as Optuna's `plot_pareto_front` draws it with a constraints function:
 * every completed trial by its objective values, marked on the feasible front, feasible but
 * dominated, or infeasible (each its own colour and shape). Two objectives: one scatter,
 * the front joined by the step line that bounds what it dominates. Three or more: one
 * scatter per pair of objectives (a scatter matrix without its mirror half and diagonal).
 * Values travel in fixed fields `v0`, `v1`, …; objective names only as titles.
 */

export interface ParetoFrontPoint {
  number: number;
  mark: FrontMark;
  /** The objectives' values, in their own units. */
  values: number[];
  /** The parameters as one line of text, for the tooltip. */
  params: string;
  /** The constraint values as text; null for a trial without constraints. */
  constraints: string | null;
}

export interface ParetoFrontDataOptions {
  /** Cap on the points (default 5,000): the front is kept whole first, then an even sample of the rest. */
  maxPoints?: number;
}

const short = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : JSON.stringify(v));

export function paretoFrontData(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  options: ParetoFrontDataOptions = {},
): ParetoFrontPoint[] {
  const marked = frontMarks(trials, directions);
  const kept = downsample(marked, options.maxPoints ?? MAX_CHART_POINTS, (m) => m.mark === "front");
  return kept.map(({ trial, mark }) => {
    const constraints = constraintValues(trial);
    return {
      number: trial.number,
      mark,
      values: [...trial.values!],
      params: Object.entries(trial.params)
        .map(([name, value]) => `${name}=${short(value)}`)
        .join(", "),
      constraints: constraints === null ? null : constraints.map(short).join(", "),
    };
  });
}

/** What each mark is called in the legend and tooltip, its colour and its shape. */
export const FRONT_MARKS: Record<FrontMark, { label: string; color: string; shape: string }> = {
  front: { label: "On the Pareto front", color: "#e45756", shape: "diamond" },
  dominated: { label: "Dominated (feasible)", color: "#4c78a8", shape: "circle" },
  infeasible: { label: "Infeasible", color: "#9d9d9d", shape: "cross" },
};

export interface ParetoFrontSpecOptions extends ChartOptions {
  study?: string;
  directions: readonly StudyDirection[];
  /** Axis titles, one per objective (default "Objective i (direction)"). */
  objectiveTitles?: readonly string[];
}

export function paretoFrontSpec(points: readonly ParetoFrontPoint[], options: ParetoFrontSpecOptions): ChartSpec {
  const title = titled("Pareto front", options.study);
  const n = options.directions.length;
  if (n < 2) return emptySpec(title, "A Pareto front needs a study with several objectives; this one has one.", options);
  if (points.length === 0) return emptySpec(title, "No completed trial yet.", options);
  const titles = options.directions.map((d, i) => vegaText(options.objectiveTitles?.[i] ?? `Objective ${i} (${d})`));
  const present = (Object.keys(FRONT_MARKS) as FrontMark[]).filter((m) => points.some((p) => p.mark === m));
  const legendScale = (key: "color" | "shape") => ({
    domain: present.map((m) => FRONT_MARKS[m].label),
    range: present.map((m) => FRONT_MARKS[m][key]),
  });
  // The legend below the plot, labels never cut short: it fits the chart's own width.
  const legend = { orient: "bottom" as const, direction: "horizontal" as const, labelLimit: 0, title: null };
  const hasConstraints = points.some((p) => p.constraints !== null);
  const tooltip = [
    { field: "number", type: "quantitative" as const, title: "Trial" },
    { field: "status", type: "nominal" as const, title: "Status" },
    ...titles.map((t, i) => ({ field: `v${i}`, type: "quantitative" as const, title: t, format: ".6~g" })),
    { field: "params", type: "nominal" as const, title: "Parameters" },
    ...(hasConstraints ? [{ field: "constraints", type: "nominal" as const, title: "Constraints (feasible ≤ 0)" }] : []),
  ];
  const rows = points.map((p) => {
    const row: Record<string, string | number | null> = {
      number: p.number,
      mark: p.mark,
      status: FRONT_MARKS[p.mark].label,
      params: p.params,
      constraints: p.constraints ?? "none",
    };
    p.values.forEach((v, i) => {
      row[`v${i}`] = v;
    });
    return row;
  });
  // Small panels get fewer ticks, and labels that would collide are dropped.
  const axis = n === 2 ? { labelOverlap: true } : { labelOverlap: true, tickCount: 5 };
  const scatter = (x: number, y: number) => ({
    mark: { type: "point" as const, filled: true, size: 60, opacity: 0.85, tooltip: true },
    encoding: {
      x: { field: `v${x}`, type: "quantitative" as const, title: titles[x], scale: { zero: false }, axis },
      y: { field: `v${y}`, type: "quantitative" as const, title: titles[y], scale: { zero: false }, axis },
      color: { field: "status", type: "nominal" as const, scale: legendScale("color"), legend },
      shape: { field: "status", type: "nominal" as const, scale: legendScale("shape"), legend },
      // Front points drawn last, on top.
      order: { field: "number", type: "quantitative" as const },
      tooltip,
    },
  });
  if (n === 2) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      title: vegaText(options.title ?? title),
      width: options.width ?? DEFAULT_WIDTH,
      height: options.height ?? DEFAULT_HEIGHT,
      data: { values: rows },
      layer: [
        {
          transform: [{ filter: { field: "mark", equal: "front" } }],
          // The boundary of what the front dominates: a minimised x keeps each point's y to its right, a maximised one to its left.
          mark: {
            type: "line",
            interpolate: options.directions[0] === "minimize" ? "step-after" : "step-before",
            color: "#e45756",
            strokeWidth: 1.5,
            opacity: 0.8,
          },
          encoding: {
            x: { field: "v0", type: "quantitative", title: titles[0], scale: { zero: false } },
            y: { field: "v1", type: "quantitative", title: titles[1], scale: { zero: false } },
            order: { field: "v0", type: "quantitative" },
          },
        },
        scatter(0, 1),
      ],
    };
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: vegaText(options.title ?? title),
    data: { values: rows },
    columns: Math.min(3, pairs.length),
    concat: pairs.map(([i, j]) => ({ width: options.width ?? 250, height: options.height ?? 210, ...scatter(i, j) })),
  } as ChartSpec;
}
