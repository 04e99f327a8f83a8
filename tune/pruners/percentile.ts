import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";
import { bestReportedValue, isFirstReportInInterval, lastStep, valueAt } from "./intermediate.js";
import { checkInteger, checkNumberInRange } from "./options.js";
import type { Pruner } from "./pruner.js";

export interface PercentilePrunerOptions {
  /** No pruning until this many trials of the study are COMPLETE (default 5). */
  nStartupTrials?: number;
  /** No pruning before this step (default 0); steps are assumed to start at 0. */
  nWarmupSteps?: number;
  /**
   * Check only at steps `nWarmupSteps + k·intervalSteps` (default 1: every report);
   * a checkpoint with no report is taken at the next report after it.
   */
  intervalSteps?: number;
  /** No pruning at a step that fewer than this many COMPLETE trials reported (default 1). */
  nMinTrials?: number;
}

const OPTION_KEYS = ["nStartupTrials", "nWarmupSteps", "intervalSteps", "nMinTrials"] as const;

/**
 * Keeps the top `percentile` percent of trials (Optuna's PercentilePruner): a trial is
 * pruned when its best value so far is worse than the given percentile of the values
 * that COMPLETE trials reported at the same step. Pruned, failed and running trials
 * are not compared against. A trial whose reports are all NaN is pruned.
 */
export class PercentilePruner implements Pruner {
  readonly name: string = "percentile";
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  /** `percentile` in [0, 100]: 25 keeps the best quarter at each step. */
  constructor(percentile: number, options: PercentilePrunerOptions = {}) {
    this.percentile = checkPercentile(this.constructor.name, percentile);
    const where = this.constructor.name;
    checkOptionKeys(where, options, OPTION_KEYS);
    this.nStartupTrials = checkInteger(where, "nStartupTrials", options.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = checkInteger(where, "nWarmupSteps", options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = checkInteger(where, "intervalSteps", options.intervalSteps ?? 1, 1);
    this.nMinTrials = checkInteger(where, "nMinTrials", options.nMinTrials ?? 1, 1);
  }

  prune(study: StudyView, trial: TrialRecord): boolean {
    const completed = study.trials(["COMPLETE"]);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstReportInInterval(trial, step, this.nWarmupSteps, this.intervalSteps)) return false;

    const best = bestReportedValue(trial, study.direction);
    if (Number.isNaN(best)) return true;

    const atStep: number[] = [];
    for (const other of completed) {
      const value = valueAt(other, step);
      if (value !== undefined) atStep.push(value);
    }
    // Counted before NaN values are dropped, as Optuna does.
    if (atStep.length < this.nMinTrials) return false;
    const q = study.direction === "maximize" ? 100 - this.percentile : this.percentile;
    const threshold = nanPercentile(atStep, q);
    if (Number.isNaN(threshold)) return false;
    return study.direction === "maximize" ? best < threshold : best > threshold;
  }
}

function checkPercentile(where: string, percentile: unknown): number {
  if (percentile === undefined) {
    throw new ValueError(`${where}: the percentile is required, e.g. new PercentilePruner(25) keeps the best quarter.`);
  }
  return checkNumberInRange(where, "percentile", percentile, 0, 100);
}

/**
 * The `q`-th percentile (0–100) of the non-NaN values with linear interpolation
 * between order statistics (numpy's default); NaN when no value is left.
 */
export function nanPercentile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 100)) throw new ValueError(`nanPercentile: q must be between 0 and 100, got ${show(q)}.`);
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = (sorted.length - 1) * (q / 100);
  const below = Math.floor(index);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = index - below;
  const a = sorted[below];
  const b = sorted[above];
  if (a === b) return a;
  // Interpolating from the nearer end keeps the result exact at t = 0 and t = 1.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}
