import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { TrialRecord, TrialState } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";
import { crc32 } from "./crc32.js";
import { lastStep } from "./intermediate.js";
import { checkInteger } from "./options.js";
import type { Pruner } from "./pruner.js";
import { SuccessiveHalvingPruner } from "./successive-halving.js";

export interface HyperbandPrunerOptions {
  /** Steps a trial of the most aggressive bracket runs before its first judgement (default 1). */
  minResource?: number;
  /**
   * The most steps a trial runs, e.g. the number of epochs. Default "auto": one more
   * than the last step of the first COMPLETE trial; nothing is pruned before that.
   */
  maxResource?: "auto" | number;
  /** η of each bracket's successive halving (default 3). */
  reductionFactor?: number;
  /** Trials a rung needs before any is promoted (default 0); needs a numeric maxResource. */
  bootstrapCount?: number;
}

const OPTION_KEYS = ["minResource", "maxResource", "reductionFactor", "bootstrapCount"] as const;

interface Brackets {
  pruners: SuccessiveHalvingPruner[];
  /** Share of trials each bracket receives, as in Optuna. */
  budgets: number[];
  totalBudget: number;
}

/**
 * Hyperband (Li et al. 2018) as Optuna's HyperbandPruner: several asynchronous
 * successive-halving brackets, bracket b first judging trials at step
 * `minResource · η^b`. There are ⌊log_η(maxResource / minResource)⌋ + 1 brackets
 * (computed exactly, where Optuna's floating-point logarithm can lose one when the
 * ratio is an exact power of η, e.g. 243 with η = 3).
 *
 * A trial's bracket comes from the CRC-32 of `"<study name>_<trial number>"`, spread
 * over the brackets in proportion to Hyperband's trial budget per bracket — the same
 * rule as Optuna, so both put a trial in the same bracket. Each bracket compares a
 * trial only against trials of the same bracket.
 */
export class HyperbandPruner implements Pruner {
  readonly name = "hyperband";
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  private resolvedMaxResource: number | null;
  private brackets: Brackets | null = null;

  constructor(options: HyperbandPrunerOptions = {}) {
    const where = "HyperbandPruner";
    checkOptionKeys(where, options, OPTION_KEYS);
    this.minResource = checkInteger(where, "minResource", options.minResource ?? 1, 1);
    const maxResource = options.maxResource ?? "auto";
    if (maxResource !== "auto" && (typeof maxResource !== "number" || !Number.isInteger(maxResource) || maxResource < this.minResource)) {
      throw new ValueError(
        `${where}: maxResource must be "auto" or an integer ≥ minResource (${this.minResource}), got ${show(maxResource)}; use the number of steps a full trial runs, e.g. maxResource: 100.`,
      );
    }
    this.resolvedMaxResource = maxResource === "auto" ? null : maxResource;
    this.reductionFactor = checkInteger(where, "reductionFactor", options.reductionFactor ?? 3, 2);
    this.bootstrapCount = checkInteger(where, "bootstrapCount", options.bootstrapCount ?? 0, 0);
    if (this.bootstrapCount > 0 && maxResource === "auto") {
      throw new ValueError(
        `${where}: bootstrapCount ${this.bootstrapCount} needs a numeric maxResource, got "auto"; set maxResource or bootstrapCount: 0.`,
      );
    }
  }

  /** The maximum resource in use: the given one, or the estimate once made; null before. */
  get maxResource(): number | null {
    return this.resolvedMaxResource;
  }

  /** The number of brackets, or null while the maximum resource is not known. */
  get nBrackets(): number | null {
    return this.brackets?.pruners.length ?? null;
  }

  prune(study: StudyView, trial: TrialRecord): boolean {
    const brackets = this.initialise(study);
    if (!brackets || brackets.pruners.length === 0) return false;
    const bracket = this.bracketIn(brackets, study.name, trial.number);
    return brackets.pruners[bracket].prune(
      bracketView(study, (t) => this.bracketIn(brackets, study.name, t.number) === bracket),
      trial,
    );
  }

  /** The bracket of trial `trialNumber` of the study named `studyName`; null while unknown. */
  bracketOf(studyName: string, trialNumber: number): number | null {
    return this.brackets && this.brackets.pruners.length > 0 ? this.bracketIn(this.brackets, studyName, trialNumber) : null;
  }

  private bracketIn(brackets: Brackets, studyName: string, trialNumber: number): number {
    let n = crc32(`${studyName}_${trialNumber}`) % brackets.totalBudget;
    for (let b = 0; b < brackets.budgets.length; b++) {
      n -= brackets.budgets[b];
      if (n < 0) return b;
    }
    throw new Error("unreachable: bracket budgets cover the hash range");
  }

  private initialise(study: StudyView): Brackets | null {
    if (this.brackets) return this.brackets;
    if (this.resolvedMaxResource === null) {
      let longest: number | null = null;
      for (const t of study.trials(["COMPLETE"])) {
        const last = lastStep(t);
        if (last !== null && (longest === null || last > longest)) longest = last;
      }
      if (longest === null) return null;
      this.resolvedMaxResource = longest + 1;
    }
    const n = countBrackets(this.minResource, this.resolvedMaxResource, this.reductionFactor);
    const pruners: SuccessiveHalvingPruner[] = [];
    const budgets: number[] = [];
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      budgets.push(Math.ceil((n * this.reductionFactor ** s) / (s + 1)));
      pruners.push(
        new SuccessiveHalvingPruner({
          minResource: this.minResource,
          reductionFactor: this.reductionFactor,
          minEarlyStoppingRate: b,
          bootstrapCount: this.bootstrapCount,
        }),
      );
    }
    this.brackets = { pruners, budgets, totalBudget: budgets.reduce((a, b) => a + b, 0) };
    return this.brackets;
  }
}

/** ⌊log_η(max / min)⌋ + 1 in integer arithmetic; 0 when max < min. */
export function countBrackets(minResource: number, maxResource: number, reductionFactor: number): number {
  if (maxResource < minResource) return 0;
  let n = 1;
  for (let r = minResource * reductionFactor; r <= maxResource; r *= reductionFactor) n++;
  return n;
}

/** The study as one bracket sees it: only the trials `inBracket` accepts. */
function bracketView(study: StudyView, inBracket: (t: TrialRecord) => boolean): StudyView {
  return {
    studyId: study.studyId,
    name: study.name,
    direction: study.direction,
    directions: study.directions,
    trials: (states?: readonly TrialState[]) => study.trials(states).filter(inBracket),
  };
}
