import { violation } from "../../../core/feasibility.js";
import type { TrialRecord } from "../../../core/records.js";
import { minimisedValues } from "../../best-trials.js";
import type { Distribution } from "../../distributions.js";
import type { StudyView } from "../sampler.js";
import { internalParam } from "../search-space.js";
import { type BelowChoice, chooseBelow } from "./split.js";

/**
 * The trials TPE learns from, ranked. Completed trials rank by value. Pruned trials
 * rank after every completed one, those that got further first, then by their last
 * reported value. With the constant liar, running trials rank as the worst of all, so
 * the next suggestion keeps away from points other workers are evaluating now.
 * With several objectives, completed trials rank by Pareto dominance (split.ts); with
 * constraints, infeasible trials rank after every feasible one.
 */
export interface RankedTrials {
  /** In chronological order (kernel weights favour recent trials). */
  trials: TrialRecord[];
  /** Rank keys, side by side: stage first (−∞ complete, −last step for pruned, +∞ running), then loss. */
  stages: Float64Array;
  losses: Float64Array;
  /** Finished trials among them (running ones excluded). */
  nFinished: number;
  /**
   * Each trial's constraint violation, Σ max(0, c) (0 when feasible, and for running
   * trials), or null when no finished trial violates a constraint.
   */
  violations: Float64Array | null;
  /**
   * With several objectives, each completed trial's values, all minimised (null for
   * pruned and running trials); null with one objective.
   */
  points: (number[] | null)[] | null;
  /** Splits made so far, by member set: the multi-objective one is costly, and the parameters every trial has share one member set. */
  splits: Map<string, BelowChoice>;
}

export function rankTrials(study: StudyView, current: TrialRecord, constantLiar: boolean): RankedTrials {
  const sign = study.direction === "minimize" ? 1 : -1;
  const directions = study.directions;
  const multiObjective = directions.length > 1;
  const all = study.trials();
  const trials: TrialRecord[] = [];
  const stages = new Float64Array(all.length);
  const losses = new Float64Array(all.length);
  const violations = new Float64Array(all.length);
  const points: (number[] | null)[] = [];
  let constrained = false;
  let nFinished = 0;
  for (const trial of all) {
    if (trial.number === current.number) continue;
    let stage: number;
    let loss = 0;
    let point: number[] | null = null;
    if (trial.state === "COMPLETE") {
      if (multiObjective) {
        const values = trial.values;
        // Studies written by Optuna may hold infinite values, which no hypervolume can weigh.
        if (values === null || values.length !== directions.length || !values.every(Number.isFinite)) continue;
        point = minimisedValues(values, directions);
      } else {
        if (trial.value === null || Number.isNaN(trial.value)) continue;
        loss = sign * trial.value;
      }
      stage = -Infinity;
    } else if (trial.state === "PRUNED") {
      // Several objectives have no intermediate values to rank by: pruned trials rank by stage alone.
      [stage, loss] = prunedRank(trial, sign);
      if (multiObjective) loss = 0;
    } else if (trial.state === "RUNNING" && constantLiar) {
      stage = Infinity;
      loss = Infinity;
    } else {
      continue;
    }
    if (stage !== Infinity) {
      nFinished++;
      violations[trials.length] = violation(trial);
      if (violations[trials.length] > 0) constrained = true;
    }
    stages[trials.length] = stage;
    losses[trials.length] = loss;
    points.push(point);
    trials.push(trial);
  }
  return {
    trials,
    stages,
    losses,
    nFinished,
    violations: constrained ? violations : null,
    points: multiObjective ? points : null,
    splits: new Map(),
  };
}

/** The internal values of some parameters over a set of trials, one column per parameter. */
export interface Columns {
  columns: Float64Array[];
  count: number;
}

/**
 * The values of `names` over the trials that have all of them (within their current
 * distributions), split into the best γ(n) of those trials ("below") and the rest.
 *
 * n counts only the trials that have the parameters: a conditional parameter is judged
 * among the trials where it was active, so its good values are learnt even while its
 * branch is not yet among the best overall (Optuna splits all trials, which leaves such
 * a parameter with no good observations until its branch wins on its own). For
 * parameters every trial has, both rules are the same.
 *
 * With several objectives or constraints the good trials are chosen by `chooseBelow`
 * (split.ts), and with several objectives `belowWeights` gives their weights in l(x),
 * `weightFloor` at least (null: the estimator's usual weights).
 */
export function splitObservations(
  ranked: RankedTrials,
  names: readonly string[],
  space: readonly Distribution[],
  gamma: (n: number) => number,
  weightFloor: number,
): { below: Columns; above: Columns; belowWeights: Float64Array | null } {
  const { trials, stages, losses } = ranked;
  const n = trials.length;
  const values = names.map(() => new Float64Array(n));
  const members: number[] = [];
  let finished = 0;
  outer: for (let i = 0; i < n; i++) {
    for (let j = 0; j < names.length; j++) {
      const v = internalParam(trials[i], names[j], space[j]);
      if (v === null) continue outer;
      values[j][members.length] = v;
    }
    members.push(i);
    if (stages[i] !== Infinity) finished++;
  }
  const m = members.length;
  const nBelow = Math.max(0, Math.min(m, Math.floor(gamma(finished))));
  if (ranked.points !== null || ranked.violations !== null) return splitBy(ranked, members, values, nBelow, weightFloor);
  const before = (a: number, b: number) => {
    const i = members[a];
    const k = members[b];
    return stages[i] < stages[k] || (stages[i] === stages[k] && losses[i] < losses[k]);
  };
  // The best nBelow, earlier trials first among ties: a bounded insertion list, since
  // nBelow is small (≤ 25 by default) and there may be thousands of trials.
  const best: number[] = [];
  for (let a = 0; a < m && nBelow > 0; a++) {
    if (best.length === nBelow && !before(a, best[nBelow - 1])) continue;
    let at = best.length;
    while (at > 0 && before(a, best[at - 1])) at--;
    best.splice(at, 0, a);
    if (best.length > nBelow) best.pop();
  }
  const isBelow = new Uint8Array(m);
  for (const a of best) isBelow[a] = 1;
  const below: Columns = { columns: names.map(() => new Float64Array(best.length)), count: 0 };
  const above: Columns = { columns: names.map(() => new Float64Array(m - best.length)), count: 0 };
  for (let a = 0; a < m; a++) {
    const target = isBelow[a] ? below : above;
    for (let j = 0; j < names.length; j++) target.columns[j][target.count] = values[j][a];
    target.count++;
  }
  return { below, above, belowWeights: null };
}

/** The split of `splitObservations` with several objectives or constraints (split.ts), reused across parameters with the same members. */
function splitBy(
  ranked: RankedTrials,
  members: readonly number[],
  values: readonly Float64Array[],
  nBelow: number,
  weightFloor: number,
): { below: Columns; above: Columns; belowWeights: Float64Array | null } {
  const m = members.length;
  const key = m === ranked.trials.length ? "all" : members.join(",");
  let choice = ranked.splits.get(key);
  if (choice === undefined) {
    choice = chooseBelow(ranked, members, nBelow, weightFloor);
    ranked.splits.set(key, choice);
  }
  const nBelowChosen = choice.below.length;
  const below: Columns = { columns: values.map(() => new Float64Array(nBelowChosen)), count: 0 };
  const above: Columns = { columns: values.map(() => new Float64Array(m - nBelowChosen)), count: 0 };
  let next = 0;
  for (let a = 0; a < m; a++) {
    const target = next < nBelowChosen && choice.below[next] === a ? below : above;
    if (target === below) next++;
    for (let j = 0; j < values.length; j++) target.columns[j][target.count] = values[j][a];
    target.count++;
  }
  return { below, above, belowWeights: choice.weights };
}

function prunedRank(trial: TrialRecord, sign: number): [number, number] {
  let lastStep = -Infinity;
  let lastValue = 0;
  for (const key in trial.intermediateValues) {
    const step = Number(key);
    if (step > lastStep) {
      lastStep = step;
      lastValue = trial.intermediateValues[step];
    }
  }
  if (lastStep === -Infinity) return [1, 0];
  return [-lastStep, Number.isNaN(lastValue) ? Infinity : sign * lastValue];
}
