import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import type { Label } from "../labels.js";
import {
  checkNSplits,
  checkSeed,
  checkSeedNeedsShuffle,
  describe,
  foldsFromAssignment,
  requireClassLabels,
  sampleCount,
} from "./checks.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

export interface StratifiedKFoldOptions {
  /** Number of folds, at least 2. Default 5. */
  nSplits?: number;
  /** Shuffle each class's rows before dealing them out. Default false. */
  shuffle?: boolean;
  /** Seed of the shuffle (only with `shuffle: true`). Default: a fresh random seed per `split`. */
  seed?: number;
  /**
   * Accept a class with fewer members than `nSplits` (some test folds then miss it).
   * scikit-learn only warns; tunebook refuses unless this is true, because a fold
   * without a class breaks per-fold metrics such as ROC AUC. Default false.
   */
  allowSmallClasses?: boolean;
}

/**
 * k folds that each keep the class proportions of `y` (scikit-learn >= 0.22's
 * `StratifiedKFold`): rows are sorted by class, dealt to folds round-robin to
 * fix how many of each class every fold gets, then each class's rows fill its
 * folds in order (or shuffled).
 */
export class StratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number | undefined;
  readonly allowSmallClasses: boolean;

  constructor(options: StratifiedKFoldOptions = {}) {
    checkOptionKeys("StratifiedKFold", options, ["nSplits", "shuffle", "seed", "allowSmallClasses"]);
    this.nSplits = checkNSplits("StratifiedKFold", options.nSplits ?? 5);
    this.shuffle = options.shuffle ?? false;
    this.seed = checkSeed("StratifiedKFold", options.seed);
    this.allowSmallClasses = options.allowSmallClasses ?? false;
    checkSeedNeedsShuffle("StratifiedKFold", this.shuffle, this.seed);
  }

  get description(): string {
    return describe("StratifiedKFold", { nSplits: this.nSplits, shuffle: this.shuffle || undefined, seed: this.seed });
  }

  split(input: SplitInput): Fold[] {
    sampleCount("StratifiedKFold", input);
    const y = requireClassLabels("StratifiedKFold", input);
    const rng = this.shuffle ? new Rng(this.seed) : undefined;
    return stratifiedKFoldSplit("StratifiedKFold", y, this.nSplits, rng, this.allowSmallClasses);
  }
}

/** Shared with RepeatedStratifiedKFold; `rng` given means shuffle within classes. */
export function stratifiedKFoldSplit(
  where: string,
  y: readonly Label[],
  nSplits: number,
  rng: Rng | undefined,
  allowSmallClasses: boolean,
): Fold[] {
  const n = y.length;
  if (nSplits > n) {
    throw new ValueError(`${where}: cannot have number of splits nSplits=${nSplits} greater than the number of samples: n=${n}.`);
  }
  // Classes numbered by first appearance in y, as scikit-learn does since 0.24.
  const codeOf = new Map<Label, number>();
  const classes: Label[] = [];
  const encoded = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let code = codeOf.get(y[i]);
    if (code === undefined) {
      code = classes.length;
      codeOf.set(y[i], code);
      classes.push(y[i]);
    }
    encoded[i] = code;
  }
  const nClasses = classes.length;
  const counts = new Array<number>(nClasses).fill(0);
  for (const code of encoded) counts[code]++;
  if (counts.every((count) => count < nSplits)) {
    throw new ValueError(
      `${where}: nSplits=${nSplits} cannot be greater than the number of members in each class ` +
        `(the largest class has ${Math.max(...counts)}). Use fewer splits.`,
    );
  }
  const smallest = counts.indexOf(Math.min(...counts));
  if (counts[smallest] < nSplits && !allowSmallClasses) {
    throw new ValueError(
      `${where}: the least populated class in y, ${show(classes[smallest])}, has only ${counts[smallest]} ` +
        `member${counts[smallest] === 1 ? "" : "s"}, which is less than nSplits=${nSplits}, so some test folds ` +
        `would not contain it. Use nSplits <= ${Math.max(2, counts[smallest])}, merge rare classes, ` +
        `or pass allowSmallClasses: true.`,
    );
  }
  // allocation[f][c]: how many rows of class c fold f gets; dealing the sorted
  // labels round-robin balances both the class ratios and the fold sizes.
  const sorted = Array.from(encoded).sort((a, b) => a - b);
  const allocation = Array.from({ length: nSplits }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < n; i++) allocation[i % nSplits][sorted[i]]++;
  const foldOf = new Int32Array(n);
  for (let c = 0; c < nClasses; c++) {
    const foldsForClass: number[] = [];
    for (let f = 0; f < nSplits; f++) for (let k = 0; k < allocation[f][c]; k++) foldsForClass.push(f);
    if (rng) rng.shuffle(foldsForClass);
    let next = 0;
    for (let i = 0; i < n; i++) if (encoded[i] === c) foldOf[i] = foldsForClass[next++];
  }
  return foldsFromAssignment(foldOf, nSplits);
}
