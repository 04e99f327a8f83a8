import { show, ValueError } from "../../core/errors.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, nameLabels, studyColors, vegaText } from "./common.js";

/** Fold scores per study (e.g. of each study's best trial): a box plot with every fold as a point. */

export interface FoldScoresInput {
  /** Study (or algorithm) name. */
  name: string;
  /** One score per fold, in fold order. */
  scores: readonly number[];
}

export interface FoldScoreRow {
  study: string;
  /** 0-based fold index. */
  fold: number;
  score: number;
}

export function foldScoresData(studies: readonly FoldScoresInput[]): FoldScoreRow[] {
  return studies.flatMap((s) =>
    s.scores.map((score, fold) => {
      if (typeof score !== "number" || !Number.isFinite(score))
        throw new ValueError(`foldScoresData: fold ${fold} of ${show(s.name)} is ${show(score)}, not a finite number.`);
      return { study: s.name, fold, score };
    }),
  );
}

export interface FoldScoresSpecOptions extends ChartOptions {
  /** Axis title of the scores (default "Fold score"). */
  scoreTitle?: string;
  /** Study names in axis and colour order (default: order of appearance); see `studyColors`. */
  studies?: readonly string[];
}

/** Room per study on the axis, in pixels, and the widest the chart grows to (more studies share it). */
const STEP = 110;
const MAX_WIDTH = 720;

export function foldScoresSpec(rows: readonly FoldScoreRow[], options: FoldScoresSpecOptions = {}): ChartSpec {
  const title = "Fold scores";
  if (rows.length === 0) return emptySpec(title, "No fold scores recorded.", options);
  const scoreTitle = vegaText(options.scoreTitle ?? "Fold score");
  // Every study of the comparison keeps its colour and place, even one without fold scores.
  const colors = studyColors(
    options.studies ?? [],
    rows.map((r) => r.study),
  );
  const studies = colors.domain;
  const width = options.width ?? Math.max(240, Math.min(MAX_WIDTH, STEP * studies.length));
  const x = {
    field: "study",
    type: "nominal" as const,
    title: null,
    scale: { domain: studies },
    axis: nameLabels(studies, width / studies.length),
  };
  const y = { field: "score", type: "quantitative" as const, title: scoreTitle, scale: { zero: false } };
  const color = { field: "study", type: "nominal" as const, legend: null, scale: colors };
  return {
    ...base(title, options, width, 300),
    data: { values: rows.map((r) => ({ ...r, foldNumber: r.fold + 1 })) },
    layer: [
      {
        mark: { type: "boxplot", extent: "min-max", opacity: 0.35, size: 36 },
        encoding: { x, y, color },
      },
      {
        mark: { type: "point", filled: true, size: 40, tooltip: true },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: "study", type: "nominal", title: "Study" },
            { field: "foldNumber", type: "quantitative", title: "Fold" },
            { field: "score", type: "quantitative", title: scoreTitle, format: ".4~g" },
          ],
        },
      },
      {
        mark: { type: "tick", color: "#222", thickness: 2, size: 30 },
        encoding: {
          x,
          y: { field: "score", aggregate: "mean", type: "quantitative" },
          tooltip: { field: "score", aggregate: "mean", type: "quantitative", title: "Mean", format: ".4~g" },
        },
      },
    ],
  };
}
