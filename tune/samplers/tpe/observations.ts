import type { TrialRecord } from "../../../core/records.js";
import type { Distribution } from "../../distributions.js";
import type { StudyView } from "../sampler.js";
import { internalParam } from "../search-space.js";

/**
 * The trials TPE learns from, ranked. Completed trials rank by value. Pruned trials
 * rank after every completed one, those that got further first, then by their last
 * reported value. With the constant liar, running trials rank as the worst of all, so
 * the next suggestion keeps away from points other workers are evaluating now.
 */
export interface RankedTrials {
  /** In chronological order (kernel weights favour recent trials). */
  trials: TrialRecord[];
  /** Rank keys, side by side: stage first (−∞ complete, −last step for pruned, +∞ running), then loss. */
  stages: Float64Array;
  losses: Float64Array;
  /** Finished trials among them (running ones excluded). */
  nFinished: number;
}

export function rankTrials(study: StudyView, current: TrialRecord, constantLiar: boolean): RankedTrials {
  const sign = study.direction === "minimize" ? 1 : -1;
  const all = study.trials();
  const trials: TrialRecord[] = [];
  const stages = new Float64Array(all.length);
  const losses = new Float64Array(all.length);
  let nFinished = 0;
  for (const trial of all) {
    if (trial.number === current.number) continue;
    let stage: number;
    let loss: number;
    if (trial.state === "COMPLETE") {
      if (trial.value === null || Number.isNaN(trial.value)) continue;
      stage = -Infinity;
      loss = sign * trial.value;
    } else if (trial.state === "PRUNED") {
      [stage, loss] = prunedRank(trial, sign);
    } else if (trial.state === "RUNNING" && constantLiar) {
      stage = Infinity;
      loss = Infinity;
    } else {
      continue;
    }
    if (stage !== Infinity) nFinished++;
    stages[trials.length] = stage;
    losses[trials.length] = loss;
    trials.push(trial);
  }
  return { trials, stages, losses, nFinished };
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
 */
export function splitObservations(
  ranked: RankedTrials,
  names: readonly string[],
  space: readonly Distribution[],
  gamma: (n: number) => number,
): { below: Columns; above: Columns } {
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
  return { below, above };
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
