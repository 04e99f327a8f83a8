import { checkOptionKeys, ValueError } from "../../core/errors.js";
import { checkNSplits, checkPositiveInteger, describe, range, sampleCount } from "./checks.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

export interface TimeSeriesSplitOptions {
  /** Number of splits, at least 2. Default 5. */
  nSplits?: number;
  /** Rows dropped between the end of each train set and its test set. Default 0. */
  gap?: number;
  /** Rows in each test set. Default `floor(n / (nSplits + 1))`. */
  testSize?: number;
  /** Keep only the latest this-many rows of each train set. Default: no limit. */
  maxTrainSize?: number;
}

/**
 * Expanding-window splits for ordered rows (scikit-learn's `TimeSeriesSplit`):
 * the test sets are the last `nSplits * testSize` rows cut into consecutive
 * blocks, and each train set is every row before its test block (minus `gap`).
 */
export class TimeSeriesSplit implements Splitter {
  readonly nSplits: number;
  readonly gap: number;
  readonly testSize: number | undefined;
  readonly maxTrainSize: number | undefined;

  constructor(options: TimeSeriesSplitOptions = {}) {
    checkOptionKeys("TimeSeriesSplit", options, ["nSplits", "gap", "testSize", "maxTrainSize"]);
    this.nSplits = checkNSplits("TimeSeriesSplit", options.nSplits ?? 5);
    this.gap = checkPositiveInteger("TimeSeriesSplit", "gap", options.gap ?? 0, 0);
    this.testSize = options.testSize === undefined ? undefined : checkPositiveInteger("TimeSeriesSplit", "testSize", options.testSize);
    this.maxTrainSize =
      options.maxTrainSize === undefined ? undefined : checkPositiveInteger("TimeSeriesSplit", "maxTrainSize", options.maxTrainSize);
  }

  get description(): string {
    return describe("TimeSeriesSplit", {
      nSplits: this.nSplits,
      gap: this.gap || undefined,
      testSize: this.testSize,
      maxTrainSize: this.maxTrainSize,
    });
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("TimeSeriesSplit", input);
    const nFolds = this.nSplits + 1;
    if (nFolds > n) {
      throw new ValueError(
        `TimeSeriesSplit: cannot have number of folds nSplits + 1 = ${nFolds} greater than the number of samples n=${n}.`,
      );
    }
    const testSize = this.testSize ?? Math.floor(n / nFolds);
    if (n - this.gap - testSize * this.nSplits <= 0) {
      throw new ValueError(
        `TimeSeriesSplit: too many splits nSplits=${this.nSplits} for n=${n} rows with testSize=${testSize} ` +
          `and gap=${this.gap}; lower nSplits, testSize or gap.`,
      );
    }
    const folds: Fold[] = [];
    for (let testStart = n - this.nSplits * testSize; testStart < n; testStart += testSize) {
      const trainEnd = testStart - this.gap;
      const trainStart = this.maxTrainSize !== undefined && this.maxTrainSize < trainEnd ? trainEnd - this.maxTrainSize : 0;
      folds.push({
        train: range(trainEnd - trainStart).map((i) => i + trainStart),
        test: range(Math.min(testSize, n - testStart)).map((i) => i + testStart),
      });
    }
    return folds;
  }
}
