import { isFeasible } from "../core/feasibility.js";
import { paretoFrontIndices } from "../core/math/pareto.js";
import type { StudyDirection, TrialRecord } from "../core/records.js";

/**
 * The Pareto-optimal trials among `trials`: COMPLETE, feasible, with one value per
 * objective, and dominated by no other such trial. Equal values are all kept (as Optuna's
 * `best_trials` keeps them); the result is ordered by trial number.
 */
export function paretoOptimalTrials(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): TrialRecord[] {
  const candidates = trials.filter(
    (t) => t.state === "COMPLETE" && t.values !== null && t.values.length === directions.length && isFeasible(t),
  );
  const points = candidates.map((t) => minimisedValues(t.values!, directions));
  return paretoFrontIndices(points)
    .map((i) => candidates[i])
    .sort((a, b) => a.number - b.number);
}

/** Values turned so that smaller is better in every objective (maximised ones negated). */
export function minimisedValues(values: readonly number[], directions: readonly StudyDirection[]): number[] {
  return values.map((v, i) => (directions[i] === "maximize" ? -v : v));
}
