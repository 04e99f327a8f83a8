import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { type Label, labelIndex, uniqueLabels } from "../labels.js";
import { ascending, checkPositiveInteger, checkSeed, describe, range, requireClassLabels, sampleCount } from "./checks.js";
import { approximateMode, checkSizeOption, resolveSizes } from "./sizes.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

export interface ShuffleSplitOptions {
  /** Number of independent random splits. Default 10. */
  nSplits?: number;
  /** Test share: a fraction in (0, 1) or a row count. Default 0.1 (or the rest, when only trainSize is set). */
  testSize?: number;
  /** Train share: a fraction in (0, 1) or a row count. Default: every row not in the test set. */
  trainSize?: number;
  /** Seed of the shuffles. Default: a fresh random seed per `split`. */
  seed?: number;
}

const SHUFFLE_KEYS = ["nSplits", "testSize", "trainSize", "seed"];

/** The options both shuffle splitters share, checked where the splitter is built. */
abstract class ShuffleSplitterBase {
  readonly nSplits: number;
  readonly testSize: number | undefined;
  readonly trainSize: number | undefined;
  readonly seed: number | undefined;

  constructor(
    private readonly splitterName: string,
    options: ShuffleSplitOptions,
  ) {
    checkOptionKeys(splitterName, options, SHUFFLE_KEYS);
    this.nSplits = checkPositiveInteger(splitterName, "nSplits", options.nSplits ?? 10);
    this.testSize = checkSizeOption(splitterName, "testSize", options.testSize);
    this.trainSize = checkSizeOption(splitterName, "trainSize", options.trainSize);
    this.seed = checkSeed(splitterName, options.seed);
  }

  get description(): string {
    return describe(this.splitterName, { nSplits: this.nSplits, testSize: this.testSize, trainSize: this.trainSize, seed: this.seed });
  }
}

/** Independent random train/test splits; rows may be in several test sets (scikit-learn's `ShuffleSplit`). */
export class ShuffleSplit extends ShuffleSplitterBase implements Splitter {
  constructor(options: ShuffleSplitOptions = {}) {
    super("ShuffleSplit", options);
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("ShuffleSplit", input);
    const { nTrain, nTest } = resolveSizes("ShuffleSplit", n, this.testSize, this.trainSize, 0.1);
    return shuffleSplit(n, nTrain, nTest, this.nSplits, new Rng(this.seed));
  }
}

export function shuffleSplit(n: number, nTrain: number, nTest: number, nSplits: number, rng: Rng): Fold[] {
  const folds: Fold[] = [];
  for (let s = 0; s < nSplits; s++) {
    const permutation = rng.shuffle(range(n));
    folds.push({
      test: permutation.slice(0, nTest).sort(ascending),
      train: permutation.slice(nTest, nTest + nTrain).sort(ascending),
    });
  }
  return folds;
}

/**
 * Random splits that keep the class proportions of `y` in both halves
 * (scikit-learn's `StratifiedShuffleSplit`); every class needs at least 2 rows.
 */
export class StratifiedShuffleSplit extends ShuffleSplitterBase implements Splitter {
  constructor(options: ShuffleSplitOptions = {}) {
    super("StratifiedShuffleSplit", options);
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("StratifiedShuffleSplit", input);
    const y = requireClassLabels("StratifiedShuffleSplit", input);
    const { nTrain, nTest } = resolveSizes("StratifiedShuffleSplit", n, this.testSize, this.trainSize, 0.1);
    return stratifiedShuffleSplit("StratifiedShuffleSplit", y, nTrain, nTest, this.nSplits, new Rng(this.seed));
  }
}

export function stratifiedShuffleSplit(
  where: string,
  y: readonly Label[],
  nTrain: number,
  nTest: number,
  nSplits: number,
  rng: Rng,
): Fold[] {
  const classes = uniqueLabels(`${where} y`, y);
  const index = labelIndex(classes);
  const rowsOfClass: number[][] = classes.map(() => []);
  y.forEach((label, i) => {
    rowsOfClass[index.get(label)!].push(i);
  });
  const counts = rowsOfClass.map((rows) => rows.length);
  const smallest = counts.indexOf(Math.min(...counts));
  if (counts[smallest] < 2) {
    throw new ValueError(
      `${where}: the least populated class in y, ${show(classes[smallest])}, has only 1 member, which is too few; ` +
        `every class needs at least 2 rows. Drop or merge that class.`,
    );
  }
  if (nTrain < classes.length) {
    throw new ValueError(`${where}: the train size ${nTrain} should be greater than or equal to the number of classes ${classes.length}.`);
  }
  if (nTest < classes.length) {
    throw new ValueError(
      `${where}: the test size ${nTest} should be greater than or equal to the number of classes ${classes.length}; raise testSize.`,
    );
  }
  const pick = (candidates: number[], k: number) => rng.shuffle(candidates.slice()).slice(0, k);
  const folds: Fold[] = [];
  for (let s = 0; s < nSplits; s++) {
    const trainPerClass = approximateMode(counts, nTrain, pick);
    const testPerClass = approximateMode(
      counts.map((c, i) => c - trainPerClass[i]),
      nTest,
      pick,
    );
    const train: number[] = [];
    const test: number[] = [];
    rowsOfClass.forEach((rows, c) => {
      const shuffled = rng.shuffle(rows.slice());
      train.push(...shuffled.slice(0, trainPerClass[c]));
      test.push(...shuffled.slice(trainPerClass[c], trainPerClass[c] + testPerClass[c]));
    });
    folds.push({ train: train.sort(ascending), test: test.sort(ascending) });
  }
  return folds;
}
