import { checkOptionKeys } from "../../core/errors.js";
import { wilcoxonSignedRank } from "../../core/math/wilcoxon.js";
import { isBetter, type TrialRecord } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";
import { reportedSteps, valueAt } from "./intermediate.js";
import { checkInteger, checkNumberInRange } from "./options.js";
import type { Pruner } from "./pruner.js";

export interface WilcoxonPrunerOptions {
  /**
   * Prune when the one-sided p-value that this trial is worse than the best is below
   * this (default 0.1). Larger prunes more. The test is repeated after every report,
   * so the chance of wrongly pruning a trial as good as the best is higher than this.
   */
  pThreshold?: number;
  /** No pruning until this many steps pair up with the best trial's (default 2). */
  nStartupSteps?: number;
}

/**
 * For objectives that average many evaluations — the folds of a cross-validation, the
 * instances of a benchmark (Optuna's WilcoxonPruner): report each evaluation with its
 * fold or instance id as the step, in any order. After each report, the trial's values
 * are paired by step with those of the best COMPLETE trial and a one-sided Wilcoxon
 * signed-rank test (zeros split) asks whether this trial is worse; it is pruned when
 * p < pThreshold — unless its mean so far is no worse than the best trial's mean, a
 * guard against pruning on an unlucky order of folds.
 *
 * Trials or best trials with an infinite or NaN report are never pruned. Optuna's
 * default for `nStartupSteps` is 0; 2 is used here since a single pair cannot reach
 * any p-value below ½.
 */
export class WilcoxonPruner implements Pruner {
  readonly name = "wilcoxon";
  readonly pThreshold: number;
  readonly nStartupSteps: number;

  constructor(options: WilcoxonPrunerOptions = {}) {
    const where = "WilcoxonPruner";
    checkOptionKeys(where, options, ["pThreshold", "nStartupSteps"]);
    this.pThreshold = checkNumberInRange(where, "pThreshold", options.pThreshold ?? 0.1, 0, 1);
    this.nStartupSteps = checkInteger(where, "nStartupSteps", options.nStartupSteps ?? 2, 0);
  }

  prune(study: StudyView, trial: TrialRecord): boolean {
    const steps = reportedSteps(trial);
    if (steps.length === 0) return false;
    const values = steps.map((s) => valueAt(trial, s)!);
    if (!values.every(Number.isFinite)) return false;

    const best = bestTrial(study);
    if (!best) return false;
    const bestSteps = reportedSteps(best);
    if (bestSteps.length === 0) return false;
    const bestValues = bestSteps.map((s) => valueAt(best, s)!);
    if (!bestValues.every(Number.isFinite)) return false;

    const differences: number[] = [];
    for (const step of steps) {
      const other = valueAt(best, step);
      if (other !== undefined) differences.push(valueAt(trial, step)! - other);
    }
    if (differences.length === 0 || differences.length < this.nStartupSteps) return false;

    const maximize = study.direction === "maximize";
    const { pValue } = wilcoxonSignedRank(differences, undefined, { alternative: maximize ? "less" : "greater", zeroMethod: "zsplit" });
    if (!(pValue < this.pThreshold)) return false;
    const ownMean = mean(values);
    const bestMean = mean(bestValues);
    const averageIsBest = maximize ? bestMean <= ownMean : bestMean >= ownMean;
    return !averageIsBest;
  }
}

/** The COMPLETE trial with the best value; the earliest among equals. */
function bestTrial(study: StudyView): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of study.trials(["COMPLETE"])) {
    if (t.value === null || Number.isNaN(t.value)) continue;
    if (best === null || isBetter(study.direction, t.value, best.value!)) best = t;
  }
  return best;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
