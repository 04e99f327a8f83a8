import { checkOptionKeys, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { checkNSplits, checkSeed, checkSeedNeedsShuffle, describe, foldsFromAssignment, range, sampleCount } from "./checks.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

export interface KFoldOptions {
  /** Number of folds, at least 2. Default 5. */
  nSplits?: number;
  /** Shuffle the rows before cutting them into folds. Default false. */
  shuffle?: boolean;
  /** Seed of the shuffle (only with `shuffle: true`). Default: a fresh random seed per `split`. */
  seed?: number;
}

/**
 * Consecutive folds, the first `n % nSplits` of them one row larger
 * (scikit-learn's `KFold`). Each row is in exactly one test fold.
 */
export class KFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number | undefined;

  constructor(options: KFoldOptions = {}) {
    checkOptionKeys("KFold", options, ["nSplits", "shuffle", "seed"]);
    this.nSplits = checkNSplits("KFold", options.nSplits ?? 5);
    this.shuffle = options.shuffle ?? false;
    this.seed = checkSeed("KFold", options.seed);
    checkSeedNeedsShuffle("KFold", this.shuffle, this.seed);
  }

  get description(): string {
    return describe("KFold", { nSplits: this.nSplits, shuffle: this.shuffle || undefined, seed: this.seed });
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("KFold", input);
    return kFoldSplit("KFold", n, this.nSplits, this.shuffle ? new Rng(this.seed) : undefined);
  }
}

/** The k-fold cut itself; `rng` given means shuffle first (shared with RepeatedKFold). */
export function kFoldSplit(where: string, n: number, nSplits: number, rng: Rng | undefined): Fold[] {
  if (nSplits > n) {
    throw new ValueError(`${where}: cannot have number of splits nSplits=${nSplits} greater than the number of samples: n=${n}.`);
  }
  const order = range(n);
  if (rng) rng.shuffle(order);
  const foldOf = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < nSplits; f++) {
    const size = Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0);
    for (let i = start; i < start + size; i++) foldOf[order[i]] = f;
    start += size;
  }
  return foldsFromAssignment(foldOf, nSplits);
}
