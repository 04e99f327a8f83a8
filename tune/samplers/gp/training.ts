import { isFeasible, violation } from "../../../core/feasibility.js";
import { nonDominatedSort } from "../../../core/math/pareto.js";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { minimisedValues } from "../../best-trials.js";

/** Which completed trials the models are fitted on, and their values as the models see them. */

/** At most `limit` trials: all of them, or the best half by `better` (ties by number) and then the most recent. */
function bestHalfAndRecent(
  trials: readonly TrialRecord[],
  better: (a: TrialRecord, b: TrialRecord) => number,
  limit: number,
): readonly TrialRecord[] {
  if (trials.length <= limit) return trials;
  const ordered = [...trials].sort((a, b) => better(a, b) || a.number - b.number);
  const chosen = new Set(ordered.slice(0, Math.floor(limit / 2)));
  for (let i = trials.length - 1; chosen.size < limit; i--) chosen.add(trials[i]);
  return trials.filter((t) => chosen.has(t));
}

/** At most `limit` trials of a study with one objective and no constraints: all of them, or the best half and then the most recent. */
export function selectTrainingTrials(trials: readonly TrialRecord[], direction: StudyDirection, limit: number): readonly TrialRecord[] {
  const sign = direction === "minimize" ? 1 : -1;
  return bestHalfAndRecent(trials, (a, b) => sign * (a.value! - b.value!), limit);
}

/**
 * The same for several objectives or constraints: "best" is feasible before infeasible,
 * feasible trials by their non-dominated front (by value, with one objective), infeasible
 * ones by their total violation.
 */
export function selectRankedTrainingTrials(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  limit: number,
): readonly TrialRecord[] {
  if (trials.length <= limit) return trials;
  const feasible = trials.filter((t) => isFeasible(t));
  const rank = new Map<TrialRecord, number>();
  nonDominatedSort(feasible.map((t) => minimisedValues(t.values!, directions))).forEach((front, r) => {
    for (const i of front) rank.set(feasible[i], r);
  });
  return bestHalfAndRecent(
    trials,
    (a, b) => {
      const [ra, rb] = [rank.get(a), rank.get(b)];
      if (ra !== undefined && rb !== undefined) return ra - rb;
      if (ra !== undefined || rb !== undefined) return ra !== undefined ? -1 : 1;
      return violation(a) - violation(b) || 0;
    },
    limit,
  );
}

/** Standardised values, and the mean and standard deviation they were standardised with. */
export interface Standardized {
  values: Float64Array;
  mean: number;
  std: number;
}

/** (v − mean)/std, with infinite values clipped to the finite extremes first. */
export function standardize(values: readonly number[]): Float64Array {
  return standardization(values).values;
}

/** `standardize`, with the mean and standard deviation used, to map other values (a constraint's 0) the same way. */
export function standardization(values: readonly number[]): Standardized {
  const finite = values.filter(Number.isFinite);
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const high = finite.length > 0 ? Math.max(...finite) : 0;
  const clipped = values.map((v) => Math.min(high, Math.max(low, Number.isNaN(v) ? low : v)));
  const mean = clipped.reduce((a, b) => a + b, 0) / clipped.length;
  const variance = clipped.reduce((a, b) => a + (b - mean) ** 2, 0) / clipped.length;
  const std = Math.max(Math.sqrt(variance), 1e-10);
  return { values: Float64Array.from(clipped, (v) => (v - mean) / std), mean, std };
}
