import type { StudyDirection, TrialRecord } from "../../core/records.js";
import { bestIndex, completedTrials, formatNumber } from "./trials.js";

/**
 * Stagnation (Optuna's BestValueStagnationEvaluator): the COMPLETE trials finished since the
 * best one, which did not beat it. Equal values are no improvement; only feasible trials can be
 * the best, as in `study.best()`.
 */

export interface Stagnation {
  /** COMPLETE trials after the best one. */
  since: number;
  best: { number: number; value: number };
}

/** Trials since the best, or null while no COMPLETE trial is feasible. */
export function stagnation(trials: readonly TrialRecord[], direction: StudyDirection): Stagnation | null {
  const completed = completedTrials(trials);
  const index = bestIndex(completed, direction);
  if (index < 0) return null;
  return { since: completed.length - 1 - index, best: { number: completed[index].number, value: completed[index].value! } };
}

/** The reason once `limit` COMPLETE trials in a row have not improved on the best, else null. */
export function noImprovementReason(trials: readonly TrialRecord[], direction: StudyDirection, limit: number): string | null {
  const s = stagnation(trials, direction);
  if (s === null || s.since < limit) return null;
  return `no improvement in ${s.since} trials since the best (trial ${s.best.number}, value ${formatNumber(s.best.value)})`;
}
