/**
 * The corrected resampled t-test of Nadeau & Bengio (2003), for paired scores of two
 * algorithms over the same resamples (cross-validation folds): the plain paired t-test
 * with its variance inflated by the overlap of the training sets.
 */
import { checkOptionKeys, show, ValueError } from "../errors.js";
import { studentTCdf, studentTSf } from "./distributions.js";
import { type Alternative, pairedDifferences } from "./wilcoxon.js";

export interface CorrectedTTestOptions {
  /** Alternative hypothesis about the mean of a - b (default "two-sided"). */
  alternative?: Alternative;
  /**
   * n_test / n_train, the ratio of test to training set sizes of one resample (the
   * correction term). Default: the scores come from one k-fold cross-validation with
   * k = the number of scores, so 1 / (k - 1). For r repetitions of k-fold, pass 1 / (k - 1).
   */
  testTrainRatio?: number;
  /** Training set size of one resample; with `nTest`, sets the ratio. */
  nTrain?: number;
  /** Test set size of one resample; with `nTrain`, sets the ratio. */
  nTest?: number;
}

export interface TTestResult {
  t: number;
  df: number;
  pValue: number;
  /** Mean of the differences a - b. */
  meanDifference: number;
  /** Standard error of the mean difference, corrected for overlapping training sets. */
  standardError: number;
  testTrainRatio: number;
}

const T_TEST_KEYS = ["alternative", "testTrainRatio", "nTrain", "nTest"] as const;

function resolveRatio(options: CorrectedTTestOptions, j: number): number {
  const { testTrainRatio, nTrain, nTest } = options;
  if (testTrainRatio !== undefined) {
    if (nTrain !== undefined || nTest !== undefined)
      throw new ValueError("correctedTTest: give either testTrainRatio or nTrain and nTest, not both.");
    if (typeof testTrainRatio !== "number" || !(testTrainRatio >= 0) || !Number.isFinite(testTrainRatio)) {
      throw new ValueError(
        `correctedTTest: testTrainRatio must be a finite number ≥ 0 (n_test / n_train, e.g. 0.25 for 5-fold), got ${show(testTrainRatio)}.`,
      );
    }
    return testTrainRatio;
  }
  if (nTrain !== undefined || nTest !== undefined) {
    if (!(typeof nTrain === "number" && nTrain > 0 && typeof nTest === "number" && nTest > 0)) {
      throw new ValueError(
        `correctedTTest: nTrain and nTest must both be positive sizes, got nTrain=${show(nTrain)}, nTest=${show(nTest)}.`,
      );
    }
    return nTest / nTrain;
  }
  return 1 / (j - 1);
}

/**
 * The corrected resampled t-test (Nadeau & Bengio 2003) on paired scores of two
 * algorithms over the same resamples: t = mean(d) / sqrt((1/J + n_test/n_train) · s²),
 * with J - 1 degrees of freedom. The correction accounts for the overlap of the
 * training sets, which makes the plain paired t-test far too confident.
 */
export function correctedTTest(a: readonly number[], b: readonly number[], options: CorrectedTTestOptions = {}): TTestResult {
  checkOptionKeys("correctedTTest", options, T_TEST_KEYS);
  const alternative = options.alternative ?? "two-sided";
  if (!["two-sided", "greater", "less"].includes(alternative)) {
    throw new ValueError(`correctedTTest: alternative must be "two-sided", "greater" or "less", got ${show(alternative)}.`);
  }
  const d = pairedDifferences("correctedTTest", a, b);
  const j = d.length;
  if (j < 2) throw new ValueError(`correctedTTest: needs at least 2 paired scores, got ${j}.`);
  const ratio = resolveRatio(options, j);
  const mean = d.reduce((x, y) => x + y, 0) / j;
  const variance = d.reduce((x, v) => x + (v - mean) ** 2, 0) / (j - 1);
  const standardError = Math.sqrt((1 / j + ratio) * variance);
  const df = j - 1;
  let t: number;
  if (standardError > 0) t = mean / standardError;
  else t = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity; // identical differences: all the evidence, or none
  const pValue =
    alternative === "two-sided"
      ? Math.min(1, 2 * studentTSf(Math.abs(t), df))
      : alternative === "greater"
        ? studentTSf(t, df)
        : studentTCdf(t, df);
  return { t, df, pValue, meanDifference: mean, standardError, testTrainRatio: ratio };
}
