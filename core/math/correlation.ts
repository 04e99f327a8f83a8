/** Correlation coefficients of paired samples. */
import { rankData } from "./ranks.js";

/** Pearson's correlation (scipy's `pearsonr` statistic); NaN when either side is constant or has fewer than two values. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n < 2) return Number.NaN;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i];
    meanB += b[i];
  }
  meanA /= n;
  meanB /= n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - meanA;
    const db = b[i] - meanB;
    cov += da * db;
    varA += da * da;
    varB += db * db;
  }
  if (varA === 0 || varB === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, cov / Math.sqrt(varA * varB)));
}

/** Spearman's rank correlation (scipy's `spearmanr` statistic): Pearson's on average ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(rankData(a), rankData(b));
}
