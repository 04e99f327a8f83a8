import { show, ValueError } from "../../core/errors.js";
import type { ParamValue } from "../../core/records.js";
import { base, type ChartOptions, type ChartSpec, DEFAULT_WIDTH, emptySpec, studyColors, vegaText, wholeLegend } from "./common.js";

/**
 * The outer scores of nested cross-validation runs, fold by fold: one point per outer
 * fold, joined per run, so that pairs (the same fold under two runs) sit one above the
 * other and a run that wins on every fold shows as a line above the rest.
 */

export interface NestedScoresInput {
  /** The run's name. */
  name: string;
  /** Its outer folds: 0-based index, the chosen configuration's score on the outer test rows, and that configuration. */
  folds: readonly { fold: number; outerScore: number; params?: Readonly<Record<string, ParamValue>> }[];
}

export interface NestedScoreRow {
  run: string;
  /** 0-based outer fold. */
  fold: number;
  score: number;
  /** The chosen parameters as "name=value" text, for the tooltip. */
  params: string;
}

export function nestedScoresData(runs: readonly NestedScoresInput[]): NestedScoreRow[] {
  return runs.flatMap((r) =>
    r.folds.map(({ fold, outerScore, params }) => {
      if (typeof outerScore !== "number" || !Number.isFinite(outerScore))
        throw new ValueError(
          `nestedScoresData: outer fold ${fold + 1} of ${show(r.name)} scored ${show(outerScore)}, not a finite number.`,
        );
      const text = Object.entries(params ?? {})
        .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ");
      return { run: r.name, fold, score: outerScore, params: text };
    }),
  );
}

export interface NestedScoresSpecOptions extends ChartOptions {
  /** Axis title of the scores (default "Outer score"). */
  scoreTitle?: string;
  /** Run names in legend and colour order (default: order of appearance); see `studyColors`. */
  runs?: readonly string[];
}

export function nestedScoresSpec(rows: readonly NestedScoreRow[], options: NestedScoresSpecOptions = {}): ChartSpec {
  const title = "Outer scores per fold";
  if (rows.length === 0) return emptySpec(title, "No outer fold recorded.", options);
  const scoreTitle = vegaText(options.scoreTitle ?? "Outer score");
  const colors = studyColors(
    options.runs ?? [],
    rows.map((r) => r.run),
  );
  const folds = [...new Set(rows.map((r) => r.fold + 1))].sort((a, b) => a - b);
  // Each run sits a little aside of the fold's tick, so that equal scores (common with accuracy) stay apart.
  const runs = colors.domain;
  const step = Math.min(0.1, 0.6 / runs.length);
  const offset = new Map(runs.map((run, i) => [run, (i - (runs.length - 1) / 2) * step]));
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: "Outer fold",
    scale: { domain: [folds[0] - 0.5, folds[folds.length - 1] + 0.5], nice: false },
    axis: { values: folds, format: "d", grid: false },
  };
  const y = { field: "score", type: "quantitative" as const, title: scoreTitle, scale: { zero: false } };
  const color = { field: "run", type: "nominal" as const, scale: colors, legend: wholeLegend(runs.length, "Run") };
  return {
    ...base(title, options, Math.min(DEFAULT_WIDTH, Math.max(240, 110 * folds.length)), 280),
    data: { values: rows.map((r) => ({ ...r, foldNumber: r.fold + 1, x: r.fold + 1 + offset.get(r.run)! })) },
    layer: [
      { mark: { type: "line", strokeWidth: 1.5, opacity: 0.8 }, encoding: { x, y, color, detail: { field: "run", type: "nominal" } } },
      {
        mark: { type: "point", filled: true, size: 55, tooltip: true },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: "run", type: "nominal", title: "Run" },
            { field: "foldNumber", type: "quantitative", title: "Outer fold" },
            { field: "score", type: "quantitative", title: scoreTitle, format: ".4~g" },
            { field: "params", type: "nominal", title: "Chosen" },
          ],
        },
      },
    ],
  };
}
