/**
 * Is one tuned model really better than another? Two nested cross-validations on the same
 * outer folds give paired outer scores; the corrected resampled t-test (Nadeau & Bengio
 * 2003) and the Wilcoxon signed-rank test judge their difference.
 */
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { correctedTTest, type TTestResult } from "../core/math/corrected-t-test.js";
import { type WilcoxonResult, wilcoxonSignedRank } from "../core/math/wilcoxon.js";
import type { NestedCrossValidateResult } from "./nested-cv.js";

/** The parts of a `nestedCrossValidate` result a comparison reads. */
export type ComparableNested = Pick<
  NestedCrossValidateResult,
  "name" | "outerScores" | "mean" | "std" | "scoring" | "nRows" | "outerTestRows"
>;

export interface CompareNestedOptions {
  /** Significance level for `significant`. Default 0.05. */
  alpha?: number;
}

export interface NestedComparison {
  a: { name: string; outerScores: number[]; mean: number; std: number };
  b: { name: string; outerScores: number[]; mean: number; std: number };
  scoring: { name: string; greaterIsBetter: boolean };
  /** Which has the better mean outer score, by the scorer's direction; null on a tie. */
  better: "a" | "b" | null;
  /** Mean of the paired differences a − b of the outer scores. */
  meanDifference: number;
  /**
   * Two-sided corrected resampled t-test of "a and b score the same", with n_test / n_train
   * of the outer folds (their mean sizes) as the correction.
   */
  tTest: TTestResult;
  /** Two-sided Wilcoxon signed-rank test on the same pairs (exact; with 5 folds its p-value is at least 0.0625). */
  wilcoxon: WilcoxonResult;
  /** Each test's verdict at `alpha`. */
  significant: { tTest: boolean; wilcoxon: boolean };
  alpha: number;
}

const WHERE = "compareNested";

/**
 * Paired tests of two nested cross-validation results over their outer folds:
 * `compareNested(await nestedCrossValidate(knn, X, y, opts), await nestedCrossValidate(forest, X, y, opts))`.
 * The pairs must be the same folds: results with other rows, other outer test rows or
 * another scorer are refused, saying which.
 */
export function compareNested(a: ComparableNested, b: ComparableNested, options: CompareNestedOptions = {}): NestedComparison {
  checkOptionKeys(WHERE, options, ["alpha"]);
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1))
    throw new ValueError(`${WHERE}: alpha must be in (0, 1), got ${show(alpha)}.`);
  for (const [label, r] of [
    ["a", a],
    ["b", b],
  ] as const) {
    if (r === null || typeof r !== "object" || !Array.isArray(r.outerScores) || !Array.isArray(r.outerTestRows)) {
      throw new ValueError(`${WHERE}: ${label} must be a result of nestedCrossValidate, got ${show(r)}.`);
    }
  }
  checkSameFolds(a, b);
  const nTest = a.outerTestRows.reduce((acc, rows) => acc + rows.length, 0) / a.outerTestRows.length;
  const tTest = correctedTTest(a.outerScores, b.outerScores, { nTrain: a.nRows - nTest, nTest });
  const wilcoxon = wilcoxonSignedRank(a.outerScores, b.outerScores);
  const difference = a.mean - b.mean;
  const better = difference === 0 ? null : difference > 0 === a.scoring.greaterIsBetter ? "a" : "b";
  const summary = (r: ComparableNested) => ({ name: r.name, outerScores: [...r.outerScores], mean: r.mean, std: r.std });
  return {
    a: summary(a),
    b: summary(b),
    scoring: { ...a.scoring },
    better,
    meanDifference: tTest.meanDifference,
    tTest,
    wilcoxon,
    significant: { tTest: tTest.pValue < alpha, wilcoxon: wilcoxon.pValue < alpha },
    alpha,
  };
}

/** Paired tests compare like with like: the same rows, the same outer test rows fold by fold, the same scorer. */
function checkSameFolds(a: ComparableNested, b: ComparableNested): void {
  const fix =
    "Paired tests need both runs on the same data with the same outer splitter (a number of folds, an unshuffled splitter, or a shuffled one with the same seed).";
  const names = `${show(a.name)} and ${show(b.name)}`;
  if (a.scoring.name !== b.scoring.name || a.scoring.greaterIsBetter !== b.scoring.greaterIsBetter) {
    throw new ValueError(
      `${WHERE}: ${names} are scored by different scorers (${show(a.scoring.name)} and ${show(b.scoring.name)}); compare runs scored alike.`,
    );
  }
  if (a.nRows !== b.nRows) throw new ValueError(`${WHERE}: ${names} ran on different data (${a.nRows} and ${b.nRows} rows). ${fix}`);
  if (a.outerTestRows.length !== b.outerTestRows.length) {
    throw new ValueError(`${WHERE}: ${names} have ${a.outerTestRows.length} and ${b.outerTestRows.length} outer folds. ${fix}`);
  }
  const differs = a.outerTestRows.findIndex((rows, i) => {
    const other = b.outerTestRows[i];
    return rows.length !== other.length || rows.some((r, j) => r !== other[j]);
  });
  if (differs >= 0) {
    throw new ValueError(`${WHERE}: ${names} have different outer folds (outer fold ${differs + 1} tests other rows). ${fix}`);
  }
  if (a.outerScores.length !== a.outerTestRows.length || b.outerScores.length !== b.outerTestRows.length) {
    throw new ValueError(`${WHERE}: each result needs one outer score per outer fold; pass results of nestedCrossValidate as returned.`);
  }
}
