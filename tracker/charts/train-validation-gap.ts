import { isBetter, type StudyDirection, type TrialRecord, USER_ATTR } from "../../core/records.js";
import { downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  emptySpec,
  titled,
  VEGA_LITE_SCHEMA,
  vegaText,
  wholeLegend,
} from "./common.js";

/**
 * Training against validation score per trial, for studies whose trials ran
 * `crossValidate(..., { returnTrainScore: true, trial })`: each completed trial's mean
 * training score ("fold_scores_train") and mean validation score ("fold_scores") as two
 * dots, and below, the gap of the best trial so far. The gap is turned by the study's
 * direction, so that a positive gap always means the training score is the better one
 * (training − validation when maximising, validation − training when minimising): the
 * fold scores are taken to be the objective's, as crossValidate's are.
 */

/** User attribute of a trial: the training score of each fold (`crossValidate` with `returnTrainScore` and a trial). */
export const FOLD_SCORES_TRAIN_ATTR = USER_ATTR.foldScoresTrain;

export interface TrainValidationRow {
  trial: number;
  /** Mean training score over the folds. */
  train: number;
  /** Mean validation score over the folds. */
  validation: number;
  /** The trial's gap, positive when the training score is the better one. */
  gap: number;
}

export interface IncumbentGapRow {
  trial: number;
  /** The best trial so far (by the objective), with training scores. */
  incumbent: number;
  gap: number;
  train: number;
  validation: number;
  /** True where the best trial changed. */
  improved: boolean;
}

export interface TrainValidationGapData {
  rows: TrainValidationRow[];
  incumbent: IncumbentGapRow[];
  direction: StudyDirection;
}

export interface TrainValidationGapDataOptions {
  /** Cap on the trials drawn (default 5,000): every change of the best trial kept, then an even sample of the rest. */
  maxPoints?: number;
}

function meanOf(value: unknown): number | null {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "number" && Number.isFinite(v))) return null;
  return (value as number[]).reduce((a, b) => a + b, 0) / value.length;
}

/** The trial's mean training and validation score, when it is complete with a value and recorded both. */
function scoresOf(trial: TrialRecord): { train: number; validation: number } | null {
  if (trial.state !== "COMPLETE" || typeof trial.value !== "number" || !Number.isFinite(trial.value)) return null;
  const train = meanOf(trial.userAttrs[FOLD_SCORES_TRAIN_ATTR]);
  const validation = meanOf(trial.userAttrs[USER_ATTR.foldScores]);
  return train === null || validation === null ? null : { train, validation };
}

/** True when a completed trial recorded training and validation fold scores. */
export function hasTrainScores(trials: readonly TrialRecord[]): boolean {
  return trials.some((t) => scoresOf(t) !== null);
}

/** Rows of the completed trials that recorded both kinds of fold scores, in trial order, and the best-so-far trial's gap. */
export function trainValidationGapData(
  trials: readonly TrialRecord[],
  direction: StudyDirection,
  options: TrainValidationGapDataOptions = {},
): TrainValidationGapData {
  const sign = direction === "maximize" ? 1 : -1;
  const scored = [...trials]
    .sort((a, b) => a.number - b.number)
    .flatMap((t) => {
      const s = scoresOf(t);
      return s ? [{ trial: t.number, value: t.value as number, ...s, gap: sign * (s.train - s.validation) }] : [];
    });
  const incumbent: IncumbentGapRow[] = [];
  let best: (typeof scored)[number] | null = null;
  for (const s of scored) {
    const improved = best === null || isBetter(direction, s.value, best.value);
    if (improved) best = s;
    const b = best as (typeof scored)[number];
    incumbent.push({ trial: s.trial, incumbent: b.trial, gap: b.gap, train: b.train, validation: b.validation, improved });
  }
  const keep = new Set(downsample(incumbent, options.maxPoints ?? MAX_CHART_POINTS, (r) => r.improved).map((r) => r.trial));
  return {
    rows: scored.filter((s) => keep.has(s.trial)).map(({ trial, train, validation, gap }) => ({ trial, train, validation, gap })),
    incumbent: incumbent.filter((r) => keep.has(r.trial)),
    direction,
  };
}

export interface TrainValidationGapSpecOptions extends ChartOptions {
  /** Study name for the title. */
  study?: string;
  /** The score's name, e.g. "accuracy" (default "Score"). */
  scoreName?: string;
}

/** Okabe and Ito's blue and vermillion, as on the curves; the gap in black. */
const TRAIN = "Training score (mean over folds)";
const VALIDATION = "Validation score (mean over folds)";
const TRAIN_COLOR = "#0072B2";
const VALIDATION_COLOR = "#D55E00";
const GAP_COLOR = "#000000";

/** Two panels over the trial number: both scores per trial, then the best trial's gap as a step line (`height` is the top panel's). */
export function trainValidationGapSpec(data: TrainValidationGapData, options: TrainValidationGapSpecOptions = {}): ChartSpec {
  const title = titled("Training against validation score", options.study);
  if (data.rows.length === 0)
    return emptySpec(
      title,
      "No completed trial records fold_scores_train: crossValidate with returnTrainScore: true and trial does.",
      options,
    );
  const skeleton = base(title, options, 560, 260);
  const score = vegaText(options.scoreName ?? "Score");
  const x = {
    field: "trial",
    type: "quantitative" as const,
    title: "Trial",
    axis: countAxis(),
    scale: { zero: false, nice: false, padding: 10 },
  };
  const gapTitle = data.direction === "maximize" ? "training − validation" : "validation − training";
  const values = data.rows.flatMap((r) => [
    { trial: r.trial, series: TRAIN, score: r.train, train: r.train, validation: r.validation, gap: r.gap },
    { trial: r.trial, series: VALIDATION, score: r.validation, train: r.train, validation: r.validation, gap: r.gap },
  ]);
  const fmt = ".4~g";
  // Colour and shape encode the same series: one legend, drawn with both (and no conflicting legend settings).
  const legend = { ...wholeLegend(2), direction: "horizontal" as const, columns: 2 };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: skeleton.title,
    columns: 1,
    concat: [
      {
        width: skeleton.width,
        height: skeleton.height,
        data: { values },
        mark: { type: "point", filled: true, size: 36, opacity: 0.8, tooltip: true },
        encoding: {
          x: { ...x, title: null },
          y: {
            field: "score",
            type: "quantitative",
            title: vegaText(`${options.scoreName ?? "Score"} (mean over folds)`),
            scale: { zero: false },
          },
          color: {
            field: "series",
            type: "nominal",
            scale: { domain: [TRAIN, VALIDATION], range: [TRAIN_COLOR, VALIDATION_COLOR] },
            legend,
          },
          shape: { field: "series", type: "nominal", scale: { domain: [TRAIN, VALIDATION], range: ["circle", "diamond"] }, legend },
          tooltip: [
            { field: "trial", type: "quantitative", title: "Trial" },
            { field: "train", type: "quantitative", title: `Training ${score}`, format: fmt },
            { field: "validation", type: "quantitative", title: `Validation ${score}`, format: fmt },
            { field: "gap", type: "quantitative", title: `Gap (${gapTitle})`, format: fmt },
          ],
        },
      },
      {
        width: skeleton.width,
        height: Math.round(skeleton.height / 2.5),
        data: { values: data.incumbent },
        encoding: {
          x,
          y: { field: "gap", type: "quantitative", title: ["Best trial's gap", `(${gapTitle})`], scale: { zero: true } },
          tooltip: [
            { field: "trial", type: "quantitative", title: "After trial" },
            { field: "incumbent", type: "quantitative", title: "Best trial so far" },
            { field: "gap", type: "quantitative", title: `Gap (${gapTitle})`, format: fmt },
            { field: "train", type: "quantitative", title: `Its training ${score}`, format: fmt },
            { field: "validation", type: "quantitative", title: `Its validation ${score}`, format: fmt },
          ],
        },
        layer: [
          { mark: { type: "line", interpolate: "step-after", color: GAP_COLOR, strokeWidth: 1.5, tooltip: true } },
          // A dot where the best trial changed.
          {
            transform: [{ filter: { field: "improved", equal: true } }],
            mark: { type: "point", filled: true, size: 30, color: GAP_COLOR, tooltip: true },
          },
        ],
      },
    ],
    resolve: { scale: { x: "shared" } },
  } as ChartSpec;
}
