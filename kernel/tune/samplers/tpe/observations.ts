import type { TrialRecord } from "../../../../core/records.js";
import type { Distribution } from "../../distributions.js";
import type { StudyView } from "../sampler.js";
import { internalParam } from "../search-space.js";

/**
 * The trials TPE learns from, split into the good ("below") and the rest ("above").
 *
 * Completed trials rank by value. Pruned trials rank after every completed one,
 * those that got further first, then by their last reported value. With the
 * constant liar, running trials are counted as the worst of all, so the next
 * suggestion keeps away from points other workers are evaluating now.
 */
export interface TrialSplit {
  /** Finished trials that count for the split (running ones excluded). */
  nFinished: number;
  /** Both in chronological order (kernel weights favour recent trials). */
  below: TrialRecord[];
  above: TrialRecord[];
}

export function splitTrials(study: StudyView, current: TrialRecord, constantLiar: boolean, gamma: (n: number) => number): TrialSplit {
  const sign = study.direction === "minimize" ? 1 : -1;
  const all = study.trials();
  // Rank keys side by side in typed arrays: stage first (−∞ complete, −last step for
  // pruned, +∞ running), then loss.
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
  const n = trials.length;
  const nBelow = Math.max(0, Math.min(n, Math.floor(gamma(nFinished))));
  const before = (i: number, j: number) => stages[i] < stages[j] || (stages[i] === stages[j] && losses[i] < losses[j]);
  // The best nBelow, earlier trials first among ties: a bounded insertion list, since
  // nBelow is small (≤ 25 by default) and n may be thousands.
  const best: number[] = [];
  for (let i = 0; i < n && nBelow > 0; i++) {
    if (best.length === nBelow && !before(i, best[nBelow - 1])) continue;
    let at = best.length;
    while (at > 0 && before(i, best[at - 1])) at--;
    best.splice(at, 0, i);
    if (best.length > nBelow) best.pop();
  }
  const isBelow = new Uint8Array(n);
  for (const i of best) isBelow[i] = 1;
  const below: TrialRecord[] = [];
  const above: TrialRecord[] = [];
  for (let i = 0; i < n; i++) (isBelow[i] ? below : above).push(trials[i]);
  return { nFinished, below, above };
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

/**
 * The internal values of `names` over the trials that have all of them (within
 * their current distributions), as one column per parameter.
 */
export function collectValues(trials: readonly TrialRecord[], names: readonly string[], space: readonly Distribution[]): { columns: Float64Array[]; count: number } {
  const columns = names.map(() => new Float64Array(trials.length));
  let count = 0;
  outer: for (const trial of trials) {
    for (let j = 0; j < names.length; j++) {
      const v = internalParam(trial, names[j], space[j]);
      if (v === null) continue outer;
      columns[j][count] = v;
    }
    count++;
  }
  return { columns, count };
}
