/**
 * Constrained dominance (Deb et al. 2002), as Optuna 3.1's NSGA-II ranks trials: a
 * feasible trial beats an infeasible one, of two infeasible trials the one with the
 * smaller total violation Σ max(0, c) wins, and two feasible trials compare by Pareto
 * dominance of their values.
 *
 * One deliberate difference: a trial without constraint values counts as feasible, as it
 * does everywhere in tunebook (core/feasibility.ts, `study.bestTrials()`), where Optuna's
 * NSGA-II with a constraints function puts it below every trial that has them (a warning
 * says it "will be dominated"). In a study whose constraints function gives every trial
 * its values, both rank alike; where only some trials call `setConstraint` (say, only the
 * large models), the others are the feasible ones, so the sampler should favour them.
 */
import { isFeasible, violation } from "../../../core/feasibility.js";
import { dominates, nonDominatedSort } from "../../../core/math/pareto.js";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { minimisedValues } from "../../best-trials.js";

/** A COMPLETE trial as ranking sees it: values turned so smaller is better, and its feasibility. */
export interface Ranked {
  readonly trial: TrialRecord;
  readonly point: readonly number[];
  readonly feasible: boolean;
  /** Σ max(0, c) over its constraint values (0 when feasible). */
  readonly violation: number;
}

export function ranked(trial: TrialRecord, directions: readonly StudyDirection[]): Ranked {
  return {
    trial,
    point: minimisedValues(trial.values ?? [], directions),
    feasible: isFeasible(trial),
    violation: violation(trial),
  };
}

/** Whether `a` constrained-dominates `b`. */
export function constrainedDominates(a: Ranked, b: Ranked): boolean {
  if (a.feasible !== b.feasible) return a.feasible;
  if (!a.feasible) return a.violation < b.violation;
  return dominates(a.point, b.point);
}

/**
 * The fronts of `population` under constrained dominance, best first, each a list of
 * indices into it: the feasible trials' non-dominated fronts, then the infeasible ones,
 * one front per level of violation, smallest first (equal violations share a front).
 */
export function constrainedFronts(population: readonly Ranked[]): number[][] {
  const feasible: number[] = [];
  const infeasible: number[] = [];
  for (let i = 0; i < population.length; i++) (population[i].feasible ? feasible : infeasible).push(i);
  const fronts = nonDominatedSort(feasible.map((i) => population[i].point)).map((front) => front.map((k) => feasible[k]));
  infeasible.sort((i, j) => population[i].violation - population[j].violation || i - j);
  for (let k = 0; k < infeasible.length; k++) {
    const i = infeasible[k];
    if (k > 0 && population[infeasible[k - 1]].violation === population[i].violation) fronts[fronts.length - 1].push(i);
    else fronts.push([i]);
  }
  return fronts;
}
