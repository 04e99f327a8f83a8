import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { StudyDirection, TrialRecord } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";
import { firstStepFrom, lastStep, previousStep, valueAt } from "./intermediate.js";
import { checkInteger } from "./options.js";
import type { Pruner } from "./pruner.js";

export interface SuccessiveHalvingPrunerOptions {
  /**
   * Steps a trial runs before its first judgement (r in the ASHA paper). Default "auto":
   * once a trial is COMPLETE, its last step divided by 100 (at least 1).
   */
  minResource?: "auto" | number;
  /** η: about 1/η of the trials reaching a rung move on to the next (default 4). */
  reductionFactor?: number;
  /** s: the first rung is at `minResource · η^s` steps (default 0). */
  minEarlyStoppingRate?: number;
  /**
   * A trial reaching a rung is pruned while no more than this many trials (itself
   * included) have reached it (default 0). Needs a numeric `minResource`.
   */
  bootstrapCount?: number;
}

const OPTION_KEYS = ["minResource", "reductionFactor", "minEarlyStoppingRate", "bootstrapCount"] as const;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018), as Optuna's
 * SuccessiveHalvingPruner. Rung k ends at step `minResource · η^(s + k)`; a trial that
 * reaches it goes on only if its value there is among the top 1/η of the values every
 * trial of the study had there (or the best value, while fewer than η trials have
 * reached it). The maximum resource is whatever the objective stops at.
 *
 * Where Optuna writes each trial's rung values to storage (`completed_rung_k`), this
 * pruner reads them back from the reported values, so it needs no writes and gives
 * the same answer in every process: a trial's value at rung k is its report at the
 * first step ≥ the rung's step, and the current trial was already judged at the
 * rungs whose step is at or before its previous report. This matches Optuna when
 * `shouldPrune()` follows every `report()`, which is how pruning is meant to be used.
 * It differs in two corner cases: trials that kept running after they were told to
 * stop (or never asked) still count at the rungs they reached, and with
 * `minResource: "auto"` the trials that ran before the minimum resource was known
 * count too (Optuna records no rungs for them).
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = "successive-halving";
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  private resolvedMinResource: number | null;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const where = "SuccessiveHalvingPruner";
    checkOptionKeys(where, options, OPTION_KEYS);
    const minResource = options.minResource ?? "auto";
    if (minResource !== "auto" && (typeof minResource !== "number" || !Number.isInteger(minResource) || minResource < 1)) {
      throw new ValueError(
        `${where}: minResource must be "auto" or an integer ≥ 1, got ${show(minResource)}; use for example minResource: 1.`,
      );
    }
    this.resolvedMinResource = minResource === "auto" ? null : minResource;
    this.reductionFactor = checkInteger(where, "reductionFactor", options.reductionFactor ?? 4, 2);
    this.minEarlyStoppingRate = checkInteger(where, "minEarlyStoppingRate", options.minEarlyStoppingRate ?? 0, 0);
    this.bootstrapCount = checkInteger(where, "bootstrapCount", options.bootstrapCount ?? 0, 0);
    if (this.bootstrapCount > 0 && minResource === "auto") {
      throw new ValueError(
        `${where}: bootstrapCount ${this.bootstrapCount} needs a numeric minResource, got "auto"; set minResource (e.g. 1) or bootstrapCount: 0.`,
      );
    }
  }

  /** The minimum resource in use: the given one, or the estimate once made; null before. */
  get minResource(): number | null {
    return this.resolvedMinResource;
  }

  /** The step at which rung `rung` ends. */
  rungStep(rung: number): number {
    if (this.resolvedMinResource === null) throw new ValueError("SuccessiveHalvingPruner: the minimum resource is not known yet.");
    return this.resolvedMinResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
  }

  prune(study: StudyView, trial: TrialRecord): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    if (this.resolvedMinResource === null) {
      this.resolvedMinResource = estimateMinResource(study);
      if (this.resolvedMinResource === null) return false;
    }
    const value = valueAt(trial, step)!;
    const previous = previousStep(trial, step);
    let rung = 0;
    while (this.rungStep(rung) <= previous) rung++;

    for (; ; rung++) {
      const rungStep = this.rungStep(rung);
      if (step < rungStep) return false;
      if (Number.isNaN(value)) return true;
      const competing = rungValues(study, trial.number, rungStep);
      competing.push(value);
      // `competing` includes this trial, hence ≤.
      if (competing.length <= this.bootstrapCount) return true;
      if (!isPromotable(value, competing, this.reductionFactor, study.direction)) return true;
    }
  }
}

/** Optuna's heuristic: the largest last step of a COMPLETE trial, divided by 100, at least 1. */
function estimateMinResource(study: StudyView): number | null {
  let longest: number | null = null;
  for (const t of study.trials(["COMPLETE"])) {
    const last = lastStep(t);
    if (last !== null && (longest === null || last > longest)) longest = last;
  }
  return longest === null ? null : Math.max(Math.floor(longest / 100), 1);
}

/** Each other trial's value at the rung ending at `rungStep`: its report at the first step ≥ it. */
function rungValues(study: StudyView, currentNumber: number, rungStep: number): number[] {
  const values: number[] = [];
  for (const t of study.trials()) {
    if (t.number === currentNumber) continue;
    const reached = firstStepFrom(t, rungStep);
    if (reached === undefined) continue;
    const value = valueAt(t, reached)!;
    // A NaN at a rung stops the trial there without recording it.
    if (!Number.isNaN(value)) values.push(value);
  }
  return values;
}

/**
 * In the top ⌊n/η⌋ of the n competing values; while n < η, only the best value goes on
 * (trials cannot be paused and resumed later, as the paper's ASHA would).
 */
function isPromotable(value: number, competing: number[], reductionFactor: number, direction: StudyDirection): boolean {
  const index = Math.max(Math.floor(competing.length / reductionFactor) - 1, 0);
  competing.sort((a, b) => a - b);
  return direction === "maximize" ? value >= competing[competing.length - 1 - index] : value <= competing[index];
}
