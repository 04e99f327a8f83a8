import { checkOptionKeys } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { checkNSplits, checkPositiveInteger, checkSeed, describe, requireClassLabels, sampleCount } from "./checks.js";
import { kFoldSplit } from "./k-fold.js";
import { stratifiedKFoldSplit } from "./stratified-k-fold.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

export interface RepeatedKFoldOptions {
  /** Folds per repetition, at least 2. Default 5. */
  nSplits?: number;
  /** Number of repetitions, each with a new shuffle. Default 10. */
  nRepeats?: number;
  /** Seed of the shuffles. Default: a fresh random seed per `split`. */
  seed?: number;
}

/** `nRepeats` shuffled k-fold cuts, one after the other (scikit-learn's `RepeatedKFold`). */
export class RepeatedKFold implements Splitter {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly seed: number | undefined;

  constructor(options: RepeatedKFoldOptions = {}) {
    checkOptionKeys("RepeatedKFold", options, ["nSplits", "nRepeats", "seed"]);
    this.nSplits = checkNSplits("RepeatedKFold", options.nSplits ?? 5);
    this.nRepeats = checkPositiveInteger("RepeatedKFold", "nRepeats", options.nRepeats ?? 10);
    this.seed = checkSeed("RepeatedKFold", options.seed);
  }

  get description(): string {
    return describe("RepeatedKFold", { nSplits: this.nSplits, nRepeats: this.nRepeats, seed: this.seed });
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("RepeatedKFold", input);
    const rng = new Rng(this.seed);
    const folds: Fold[] = [];
    for (let r = 0; r < this.nRepeats; r++) folds.push(...kFoldSplit("RepeatedKFold", n, this.nSplits, rng));
    return folds;
  }
}

export interface RepeatedStratifiedKFoldOptions extends RepeatedKFoldOptions {
  /** See `StratifiedKFoldOptions.allowSmallClasses`. Default false. */
  allowSmallClasses?: boolean;
}

/** `nRepeats` shuffled stratified k-fold cuts (scikit-learn's `RepeatedStratifiedKFold`). */
export class RepeatedStratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly seed: number | undefined;
  readonly allowSmallClasses: boolean;

  constructor(options: RepeatedStratifiedKFoldOptions = {}) {
    checkOptionKeys("RepeatedStratifiedKFold", options, ["nSplits", "nRepeats", "seed", "allowSmallClasses"]);
    this.nSplits = checkNSplits("RepeatedStratifiedKFold", options.nSplits ?? 5);
    this.nRepeats = checkPositiveInteger("RepeatedStratifiedKFold", "nRepeats", options.nRepeats ?? 10);
    this.seed = checkSeed("RepeatedStratifiedKFold", options.seed);
    this.allowSmallClasses = options.allowSmallClasses ?? false;
  }

  get description(): string {
    return describe("RepeatedStratifiedKFold", { nSplits: this.nSplits, nRepeats: this.nRepeats, seed: this.seed });
  }

  split(input: SplitInput): Fold[] {
    sampleCount("RepeatedStratifiedKFold", input);
    const y = requireClassLabels("RepeatedStratifiedKFold", input);
    const rng = new Rng(this.seed);
    const folds: Fold[] = [];
    for (let r = 0; r < this.nRepeats; r++) {
      folds.push(...stratifiedKFoldSplit("RepeatedStratifiedKFold", y, this.nSplits, rng, this.allowSmallClasses));
    }
    return folds;
  }
}
