import type { TrialRecord } from "../../core/records.js";
import { foldScores } from "../analysis/compare.js";
import { completedWithValue } from "../analysis/summaries.js";

/**
 * What the charts read of a cross-validation. `crossValidate` with a trial reports each
 * fold's score as the intermediate value of step = fold index (0-based) and keeps the
 * scores so far in the user attribute `fold_scores`; the objective is then usually their
 * mean. A trial whose reported steps are exactly its stored fold scores has folds for
 * steps; a study whose completed trials each score the mean of k such folds has a
 * "k-fold mean" for objective.
 */

/** Relative tolerance of "the value is the mean of the fold scores" (the mean is summed in any order). */
const MEAN_TOLERANCE = 1e-9;

/** True when the trial's intermediate steps are its folds: steps 0, 1, … each reporting the stored score of that fold. */
export function stepsAreFolds(trial: TrialRecord): boolean {
  const scores = foldScores(trial);
  const steps = Object.entries(trial.intermediateValues);
  if (scores === null || steps.length === 0) return false;
  return steps.every(([step, value]) => {
    const i = Number(step);
    return Number.isInteger(i) && i >= 0 && i < scores.length && scores[i] === value;
  });
}

/**
 * The number of folds k when every completed trial (with a value) stored k fold scores and
 * its value is their mean; null when any is not so, or there is no completed trial.
 */
export function foldMeanOf(trials: readonly TrialRecord[]): number | null {
  const complete = completedWithValue(trials);
  if (complete.length === 0) return null;
  let k: number | null = null;
  for (const t of complete) {
    const scores = foldScores(t);
    if (scores === null || (k !== null && scores.length !== k)) return null;
    k = scores.length;
    const mean = scores.reduce((a, b) => a + b, 0) / k;
    const value = t.value as number;
    if (Math.abs(mean - value) > MEAN_TOLERANCE * Math.max(1, Math.abs(value))) return null;
  }
  return k;
}
