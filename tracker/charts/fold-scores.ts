import { show, ValueError } from "../../core/errors.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, inOrder, vegaText } from "./common.js";

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
}

export function foldScoresSpec(rows: readonly FoldScoreRow[], options: FoldScoresSpecOptions = {}): ChartSpec {
  const title = "Fold scores";
  if (rows.length === 0) return emptySpec(title, "No fold scores recorded.", options);
  const scoreTitle = vegaText(options.scoreTitle ?? "Fold score");
  const studies = [...new Set(rows.map((r) => r.study))];
  const x = { field: "study", type: "nominal" as const, title: null, ...inOrder(studies), axis: { labelAngle: 0 } };
  const y = { field: "score", type: "quantitative" as const, title: scoreTitle, scale: { zero: false } };
  return {
    ...base(title, options, Math.max(240, 110 * studies.length), 300),
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      {
        mark: { type: "boxplot", extent: "min-max", opacity: 0.35, size: 36 },
        encoding: { x, y, color: { field: "study", type: "nominal", legend: null, ...inOrder(studies) } },
      },
      {
        mark: { type: "point", filled: true, size: 40, tooltip: true },
        encoding: {
          x,
          y,
          color: { field: "study", type: "nominal", legend: null, ...inOrder(studies) },
          tooltip: [
            { field: "study", type: "nominal", title: "Study" },
            { field: "fold", type: "quantitative", title: "Fold" },
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
