import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";
import { reportedSteps, valueAt } from "./intermediate.js";
import { checkInteger } from "./options.js";
import type { Pruner } from "./pruner.js";

export interface PatientPrunerOptions {
  /** Reports without improvement tolerated before pruning is considered (required, ≥ 0). */
  patience: number;
  /** How much better a value must be to count as an improvement (default 0). */
  minDelta?: number;
}

/**
 * Early stopping with patience (Optuna's PatientPruner): once the best of the last
 * `patience + 1` reports is no better than the best before them (by more than
 * `minDelta`), the wrapped pruner decides — or, with no wrapped pruner, the trial is
 * pruned. NaN reports are ignored; a trial with fewer than `patience + 2` reports is
 * never pruned.
 */
export class PatientPruner implements Pruner {
  readonly name = "patient";
  readonly wrapped: Pruner | null;
  readonly patience: number;
  readonly minDelta: number;

  constructor(wrapped: Pruner | null, options: PatientPrunerOptions) {
    const where = "PatientPruner";
    if (wrapped !== null && (typeof wrapped !== "object" || typeof (wrapped as Pruner).prune !== "function")) {
      throw new ValueError(
        `${where}: the first argument must be a pruner or null, got ${show(wrapped)}; e.g. new PatientPruner(new MedianPruner(), { patience: 3 }).`,
      );
    }
    if (options == null) throw new ValueError(`${where}: options with patience are required, e.g. { patience: 3 }.`);
    checkOptionKeys(where, options, ["patience", "minDelta"]);
    this.wrapped = wrapped;
    this.patience = checkInteger(where, "patience", options.patience, 0);
    const minDelta = options.minDelta ?? 0;
    if (typeof minDelta !== "number" || !(minDelta >= 0) || !Number.isFinite(minDelta)) {
      throw new ValueError(`${where}: minDelta must be a finite number ≥ 0, got ${show(minDelta)}.`);
    }
    this.minDelta = minDelta;
  }

  prune(study: StudyView, trial: TrialRecord): boolean {
    const steps = reportedSteps(trial);
    if (steps.length <= this.patience + 1) return false;
    const split = steps.length - this.patience - 1;
    const maximize = study.direction === "maximize";
    const bestBefore = bestOf(
      steps.slice(0, split).map((s) => valueAt(trial, s)!),
      maximize,
    );
    const bestAfter = bestOf(
      steps.slice(split).map((s) => valueAt(trial, s)!),
      maximize,
    );
    // NaN on either side compares false: no evidence of stagnation.
    const stalled = maximize ? bestBefore - this.minDelta > bestAfter : bestBefore + this.minDelta < bestAfter;
    if (!stalled) return false;
    return this.wrapped === null ? true : this.wrapped.prune(study, trial);
  }
}

function bestOf(values: number[], maximize: boolean): number {
  let best = NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (maximize ? v > best : v < best)) best = v;
  }
  return best;
}
