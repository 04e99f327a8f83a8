import { show, ValueError } from "../../core/errors.js";
import { type JsonValue, type StudyDirection, type TrialRecord, USER_ATTR } from "../../core/records.js";
import { bestIndex, completedTrials } from "./trials.js";

/**
 * The statistical error of the objective (Optuna's CrossValidationErrorEvaluator): how much
 * a cross-validated score moves with the folds drawn. From the best trial's k fold scores,
 *   error = √((1/k + 1/(k−1)) · var(scores))   (population variance),
 * the standard error of a k-fold mean, corrected for the folds' shared training rows
 * (Nadeau and Bengio 2003).
 */

/** The user attribute a trial's fold scores are kept in (`crossValidate` with `trial` writes it). */
export const FOLD_SCORES_ATTR = USER_ATTR.foldScores;
/** Where Optuna's `report_cross_validation_scores` keeps them (a system attribute), read too. */
const OPTUNA_CV_SCORES_ATTR = "terminator:cv_scores";

/** √((1/k + 1/(k−1)) · population variance) of k ≥ 2 scores. */
export function foldError(scores: readonly number[]): number {
  const k = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / k;
  const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / k;
  return Math.sqrt((1 / k + 1 / (k - 1)) * variance);
}

/**
 * The error from the best COMPLETE trial's fold scores; null while no COMPLETE trial is
 * feasible. Throws a ValueError that says how to record them when the best trial has none,
 * or fewer than two, or not all numbers.
 */
export function crossValidationError(trials: readonly TrialRecord[], direction: StudyDirection, where: string): number | null {
  const completed = completedTrials(trials);
  const index = bestIndex(completed, direction);
  if (index < 0) return null;
  const best = completed[index];
  const scores = storedScores(best);
  const fix =
    `pass the trial to crossValidate (crossValidate(makeModel, X, y, { trial })), which records them, ` +
    `or record them yourself: trial.setUserAttr(${show(FOLD_SCORES_ATTR)}, scores)`;
  if (scores === undefined) {
    throw new ValueError(
      `${where}: stop "converged" compares the room left for improvement with the statistical error of the best trial's ` +
        `cross-validation, but the best trial so far (trial ${best.number}, value ${best.value}) has no user attribute ` +
        `${show(FOLD_SCORES_ATTR)}; ${fix}.`,
    );
  }
  if (!Array.isArray(scores) || scores.length < 2 || !scores.every((s) => typeof s === "number" && Number.isFinite(s))) {
    throw new ValueError(
      `${where}: the best trial's ${show(FOLD_SCORES_ATTR)} must be a list of at least two finite numbers (one per fold), ` +
        `got ${show(scores)} on trial ${best.number}; ${fix}.`,
    );
  }
  return foldError(scores as number[]);
}

function storedScores(trial: TrialRecord): JsonValue | undefined {
  if (Object.hasOwn(trial.userAttrs, FOLD_SCORES_ATTR)) return trial.userAttrs[FOLD_SCORES_ATTR];
  if (Object.hasOwn(trial.systemAttrs, OPTUNA_CV_SCORES_ATTR)) return trial.systemAttrs[OPTUNA_CV_SCORES_ATTR];
  return undefined;
}
