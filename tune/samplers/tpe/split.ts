import { bestByFronts, contributionWeights } from "./multi-objective.js";
import type { RankedTrials } from "./observations.js";

/** Which of a set of trials are good ("below"), and with several objectives what each weighs in l(x). */
export interface BelowChoice {
  /** Positions in the member list, ascending (chronological). */
  below: number[];
  /** One weight per entry of `below`, or null for the estimator's usual weights. */
  weights: Float64Array | null;
}

/** Optuna's weight of a good trial that has no hypervolume contribution to give (infeasible, pruned, running). */
const EPS = 1e-12;

/**
 * The best `nBelow` of `members` (indices into `ranked.trials`), taken in this order
 * (Optuna 3.1's rules with constraints and several objectives):
 *
 * 1. feasible finished trials: with one objective by rank (stage, then loss); with
 *    several, the completed ones by non-dominated fronts and hypervolume subset
 *    selection, then the pruned ones by stage;
 * 2. infeasible finished trials, the least violation first;
 * 3. running trials (the constant liar's; worst in every objective).
 *
 * Ties go to the earlier trial. So infeasible trials are good only when too few feasible
 * ones are finished, and running ones only when `gamma` asks for more than are finished.
 *
 * With several objectives each good trial weighs weightFloor + (1 − weightFloor) · share,
 * where share is its hypervolume contribution among the good feasible completed trials
 * over the largest (`contributionWeights`), and EPS for the other good trials. Optuna's
 * weights are the shares alone (weightFloor 0).
 */
export function chooseBelow(ranked: RankedTrials, members: readonly number[], nBelow: number, weightFloor: number): BelowChoice {
  const { stages, losses, violations, points } = ranked;
  const completed: number[] = [];
  const feasible: number[] = [];
  const infeasible: number[] = [];
  const running: number[] = [];
  members.forEach((i, a) => {
    if (stages[i] === Infinity) running.push(a);
    else if (violations !== null && violations[i] > 0) infeasible.push(a);
    else if (points !== null && points[i] !== null) completed.push(a);
    else feasible.push(a);
  });
  const chosen: number[] = [];
  const take = (positions: readonly number[]) => {
    for (const a of positions) if (chosen.length < nBelow) chosen.push(a);
  };
  if (points !== null && completed.length > 0) {
    const byFronts = bestByFronts(
      completed.map((a) => points[members[a]] as number[]),
      nBelow,
    );
    take(byFronts.map((k) => completed[k]));
  }
  const rank = (a: number, b: number) => stages[members[a]] - stages[members[b]] || losses[members[a]] - losses[members[b]] || a - b;
  take(feasible.sort(rank));
  if (violations !== null) take(infeasible.sort((a, b) => violations[members[a]] - violations[members[b]] || a - b));
  take(running);
  chosen.sort((a, b) => a - b);
  if (points === null) return { below: chosen, weights: null };
  const contributing = chosen.filter((a) => points[members[a]] !== null && (violations === null || violations[members[a]] === 0));
  const byContribution = contributionWeights(contributing.map((a) => points[members[a]] as number[]));
  const weights = new Float64Array(chosen.length);
  let k = 0;
  chosen.forEach((a, at) => {
    const share = a === contributing[k] ? byContribution[k++] : EPS;
    weights[at] = weightFloor + (1 - weightFloor) * share;
  });
  return { below: chosen, weights };
}
