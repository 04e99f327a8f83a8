import type { StudyDirection, TrialRecord } from "../../core/records.js";

/**
 * Reading a trial's reported values. Steps are object keys, so they arrive as strings
 * after a round trip through JSON; these helpers turn them back into sorted numbers.
 */

/** The steps a trial reported, ascending. */
export function reportedSteps(trial: TrialRecord): number[] {
  return Object.keys(trial.intermediateValues)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The value reported at `step`, or undefined. */
export function valueAt(trial: TrialRecord, step: number): number | undefined {
  return (trial.intermediateValues as Record<string, number>)[String(step)];
}

/** The largest reported step (Optuna's `last_step`), or null when nothing was reported. */
export function lastStep(trial: TrialRecord): number | null {
  let last: number | null = null;
  for (const key of Object.keys(trial.intermediateValues)) {
    const step = Number(key);
    if (last === null || step > last) last = step;
  }
  return last;
}

/** The largest reported step below `step`, or -1. */
export function previousStep(trial: TrialRecord, step: number): number {
  let previous = -1;
  for (const key of Object.keys(trial.intermediateValues)) {
    const s = Number(key);
    if (s < step && s > previous) previous = s;
  }
  return previous;
}

/** The smallest reported step at or after `step`, or undefined. */
export function firstStepFrom(trial: TrialRecord, step: number): number | undefined {
  let first: number | undefined;
  for (const key of Object.keys(trial.intermediateValues)) {
    const s = Number(key);
    if (s >= step && (first === undefined || s < first)) first = s;
  }
  return first;
}

/** The best reported value by `direction`, ignoring NaN; NaN when every value is NaN. */
export function bestReportedValue(trial: TrialRecord, direction: StudyDirection): number {
  let best = NaN;
  for (const value of Object.values(trial.intermediateValues) as number[]) {
    if (Number.isNaN(value)) continue;
    if (Number.isNaN(best) || (direction === "minimize" ? value < best : value > best)) best = value;
  }
  return best;
}

/**
 * True when the latest report is the first one at or after a checkpoint
 * `nWarmupSteps + k·intervalSteps`; a checkpoint with no report at exactly its step
 * is taken at the next report after it. Assumes `step ≥ nWarmupSteps`.
 */
export function isFirstReportInInterval(trial: TrialRecord, step: number, nWarmupSteps: number, intervalSteps: number): boolean {
  const checkpoint = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  return previousStep(trial, step) < checkpoint;
}
