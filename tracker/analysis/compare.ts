import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { type CorrectedTTestOptions, correctedTTest, type TTestResult } from "../../core/math/corrected-t-test.js";
import { type WilcoxonResult, wilcoxonSignedRank } from "../../core/math/wilcoxon.js";
import { type StudyDirection, type TrialRecord, USER_ATTR } from "../../core/records.js";

/**
 * Statistics to compare algorithms from their cross-validation fold scores: mean ±
 * std, the corrected resampled t-test of Nadeau & Bengio (2003) and the Wilcoxon
 * signed-rank test — the answer to "is the winner really better, or is it noise?".
 */

export { type CorrectedTTestOptions, correctedTTest, type TTestResult } from "../../core/math/corrected-t-test.js";
export { studentTCdf, studentTSf } from "../../core/math/distributions.js";
export { normalCdf, normalSf } from "../../core/math/normal.js";
export { rankData } from "../../core/math/ranks.js";
export type { Alternative, WilcoxonOptions, WilcoxonResult } from "../../core/math/wilcoxon.js";
export { wilcoxonSignedRank } from "../../core/math/wilcoxon.js";

export interface ScoreSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for a single score. */
  std: number;
  min: number;
  max: number;
}

/** Mean ± standard deviation (and range) of a list of scores. */
export function summarizeScores(scores: readonly number[]): ScoreSummary {
  if (!Array.isArray(scores) || scores.length === 0)
    throw new ValueError(`summarizeScores: expected a non-empty array of scores, got ${show(scores)}.`);
  const bad = scores.findIndex((s) => typeof s !== "number" || !Number.isFinite(s));
  if (bad >= 0) throw new ValueError(`summarizeScores: score ${bad} is ${show(scores[bad])}, not a finite number.`);
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const ss = scores.reduce((a, s) => a + (s - mean) ** 2, 0);
  return { n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min: Math.min(...scores), max: Math.max(...scores) };
}

export interface AlgorithmScores {
  /** What to call it, e.g. the study name. */
  name: string;
  /** One score per fold, in fold order (the same folds for every algorithm). */
  scores: readonly number[];
}

export interface ComparisonOptions extends Pick<CorrectedTTestOptions, "testTrainRatio" | "nTrain" | "nTest"> {
  /** Whether higher scores are better ("maximize", default) or lower ("minimize"). */
  direction?: StudyDirection;
  /** Significance level for `significant` (default 0.05). */
  alpha?: number;
}

export interface Comparison {
  a: AlgorithmScores & ScoreSummary;
  b: AlgorithmScores & ScoreSummary;
  /** Name of the one with the better mean score; null on a tie. */
  better: string | null;
  /** Mean of a - b. */
  meanDifference: number;
  /** Two-sided tests of "a and b score the same". */
  tTest: TTestResult;
  wilcoxon: WilcoxonResult;
  /** Each test's verdict at `alpha`. */
  significant: { tTest: boolean; wilcoxon: boolean };
  alpha: number;
}

const COMPARISON_KEYS = ["direction", "alpha", "testTrainRatio", "nTrain", "nTest"] as const;

/** Compare two algorithms scored on the same folds: summaries, both paired tests, and who is better. */
export function compareAlgorithms(a: AlgorithmScores, b: AlgorithmScores, options: ComparisonOptions = {}): Comparison {
  checkOptionKeys("compareAlgorithms", options, COMPARISON_KEYS);
  const direction = options.direction ?? "maximize";
  if (direction !== "maximize" && direction !== "minimize")
    throw new ValueError(`compareAlgorithms: direction must be "maximize" or "minimize", got ${show(direction)}.`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ValueError(`compareAlgorithms: alpha must be in (0, 1), got ${show(alpha)}.`);
  const { direction: _d, alpha: _a, ...ratio } = options;
  const tTest = correctedTTest(a.scores, b.scores, ratio);
  const wilcoxon = wilcoxonSignedRank(a.scores, b.scores);
  const sa = summarizeScores(a.scores);
  const sb = summarizeScores(b.scores);
  const diff = sa.mean - sb.mean;
  const better = diff === 0 ? null : diff > 0 === (direction === "maximize") ? a.name : b.name;
  return {
    a: { ...a, ...sa },
    b: { ...b, ...sb },
    better,
    meanDifference: tTest.meanDifference,
    tTest,
    wilcoxon,
    significant: { tTest: tTest.pValue < alpha, wilcoxon: wilcoxon.pValue < alpha },
    alpha,
  };
}

/** The user attribute where a cross-validated objective stores its fold scores. */
export const FOLD_SCORES_ATTR = USER_ATTR.foldScores;

/** The fold scores a trial stored (`userAttrs.fold_scores`), or null when it has none. */
export function foldScores(trial: TrialRecord): number[] | null {
  const raw = trial.userAttrs[FOLD_SCORES_ATTR];
  if (!Array.isArray(raw) || raw.length === 0) return null;
  return raw.every((v) => typeof v === "number" && Number.isFinite(v)) ? (raw as number[]) : null;
}
