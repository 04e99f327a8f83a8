import { isFeasible } from "../../core/feasibility.js";
import { isBetter, type StudyDirection, type TrialRecord } from "../../core/records.js";

/** The trials stop criteria look at: COMPLETE ones with a value, by number, and the best of them. */

/** COMPLETE trials with a value, ordered by number. */
export function completedTrials(trials: readonly TrialRecord[]): TrialRecord[] {
  return trials.filter((t) => t.state === "COMPLETE" && t.value !== null).sort((a, b) => a.number - b.number);
}

/**
 * The position in `completed` of the best feasible trial (the first of equal values), as
 * `study.best()` chooses it; -1 while none is feasible.
 */
export function bestIndex(completed: readonly TrialRecord[], direction: StudyDirection): number {
  let best = -1;
  completed.forEach((t, i) => {
    if (isFeasible(t) && (best < 0 || isBetter(direction, t.value!, completed[best].value!))) best = i;
  });
  return best;
}

/** A number as a reason shows it: four significant digits. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}
