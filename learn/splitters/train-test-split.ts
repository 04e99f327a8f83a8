import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import type { Label } from "../labels.js";
import { checkSeed, checkSeedNeedsShuffle, range, requireClassLabels } from "./checks.js";
import { shuffleSplit, stratifiedShuffleSplit } from "./shuffle-split.js";
import { resolveSizes } from "./sizes.js";
import type { Fold } from "./types.js";

export interface TrainTestSplitOptions {
  /** Test share: a fraction in (0, 1) or a row count. Default 0.25 (or the rest, when only trainSize is set). */
  testSize?: number;
  /** Train share: a fraction in (0, 1) or a row count. Default: every row not in the test set. */
  trainSize?: number;
  /** Shuffle before splitting; false keeps the first rows for training. Default true. */
  shuffle?: boolean;
  /** Class labels whose proportions both halves keep (needs shuffle). Default: no stratification. */
  stratify?: readonly Label[];
  /** Seed of the shuffle. Default: a fresh random seed. */
  seed?: number;
}

/** The rows of each input array, split the same way. */
export type SplitParts<T extends readonly (readonly unknown[])[]> = {
  [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : never;
};

export interface ArraysSplit<T extends readonly (readonly unknown[])[]> extends Fold {
  trainParts: SplitParts<T>;
  testParts: SplitParts<T>;
}

/**
 * One train/test split (scikit-learn's `train_test_split`). Given a row count,
 * returns the row positions; given arrays of equal length, also returns their
 * rows split: `const { trainParts: [Xtr, ytr], testParts: [Xte, yte] } =
 * trainTestSplit([X, y], { testSize: 0.2, stratify: y, seed: 0 })`.
 */
export function trainTestSplit(n: number, options?: TrainTestSplitOptions): Fold;
export function trainTestSplit<const T extends readonly (readonly unknown[])[]>(arrays: T, options?: TrainTestSplitOptions): ArraysSplit<T>;
export function trainTestSplit(
  input: number | readonly (readonly unknown[])[],
  options: TrainTestSplitOptions = {},
): Fold | ArraysSplit<readonly (readonly unknown[])[]> {
  const where = "trainTestSplit";
  checkOptionKeys(where, options, ["testSize", "trainSize", "shuffle", "stratify", "seed"]);
  const n = rowCount(where, input);
  const shuffle = options.shuffle ?? true;
  const seed = checkSeed(where, options.seed);
  checkSeedNeedsShuffle(where, shuffle, seed);
  const { nTrain, nTest } = resolveSizes(where, n, options.testSize, options.trainSize, 0.25);
  let fold: Fold;
  if (!shuffle) {
    if (options.stratify !== undefined) {
      throw new ValueError(`${where}: a stratified split needs shuffle: true (or leave stratify out).`);
    }
    fold = { train: range(nTrain), test: range(nTest).map((i) => i + nTrain) };
  } else if (options.stratify !== undefined) {
    const y = requireClassLabels(where, { y: options.stratify });
    if (y.length !== n) {
      throw new ValueError(`${where}: stratify has ${y.length} labels but the data has ${n} rows.`);
    }
    fold = stratifiedShuffleSplit(where, y, nTrain, nTest, 1, new Rng(seed))[0];
  } else {
    fold = shuffleSplit(n, nTrain, nTest, 1, new Rng(seed))[0];
  }
  if (typeof input === "number") return fold;
  return {
    ...fold,
    trainParts: input.map((array) => fold.train.map((i) => array[i])),
    testParts: input.map((array) => fold.test.map((i) => array[i])),
  };
}

function rowCount(where: string, input: number | readonly (readonly unknown[])[]): number {
  if (typeof input === "number") {
    if (!Number.isInteger(input) || input < 0) {
      throw new ValueError(`${where}: the row count must be a non-negative integer, got ${show(input)}.`);
    }
    return input;
  }
  if (!Array.isArray(input) || input.length === 0 || !input.every(Array.isArray)) {
    throw new ValueError(`${where}: expected a row count or a non-empty list of arrays such as [X, y], got ${show(input)}.`);
  }
  const n = input[0].length;
  input.forEach((array, i) => {
    if (array.length !== n) {
      throw new ValueError(
        `${where}: found input arrays with inconsistent numbers of rows: array 0 has ${n}, array ${i} has ${array.length}.`,
      );
    }
  });
  return n;
}
