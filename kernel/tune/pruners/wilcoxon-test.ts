import { show, ValueError } from "../../../core/errors.js";

/**
 * The Wilcoxon signed-rank test on paired samples (e.g. two configurations' scores on
 * the same folds): does the distribution of the differences x − y sit symmetrically
 * around zero? A pure function with scipy's conventions (`scipy.stats.wilcoxon`), so
 * its results can be checked against scipy:
 *
 * - the differences' absolute values are ranked, ties sharing their average rank;
 *   R+ is the sum of the ranks of positive differences, R− of negative ones;
 * - the statistic is R+ for a one-sided test and min(R+, R−) for a two-sided one;
 * - with at most 50 differences, none zero and no two tied, the p-value comes from the
 *   exact null distribution of R+ (every sign pattern equally likely);
 * - with zeros or ties and at most 13 differences, from the same sign-flipping argument
 *   applied to the actual (tied) ranks: all 2^n patterns are enumerated, as scipy's
 *   permutation test does — the normal approximation is poor for so few;
 * - otherwise from the normal approximation with mean n(n+1)/4 and variance
 *   n(n+1)(2n+1)/24, less Σ t(t²−1)/48 over groups of t tied ranks.
 *
 * These are the choices of scipy ≥ 1.15 under `method="auto"`; scipy 1.10 used the
 * exact distribution even with ties (truncating a half-integer R+) and the normal
 * approximation with zeros, whatever the sample size.
 */

/** "greater": x tends to exceed y; "less": x tends to fall below y. */
export type WilcoxonAlternative = "two-sided" | "greater" | "less";

/**
 * What zero differences do: "wilcox" drops them; "pratt" ranks them, then drops their
 * ranks; "zsplit" ranks them and gives half of their rank sum to each side.
 */
export type WilcoxonZeroMethod = "wilcox" | "pratt" | "zsplit";

export interface WilcoxonOptions {
  /** Default "two-sided". */
  alternative?: WilcoxonAlternative;
  /** Default "wilcox", as scipy. */
  zeroMethod?: WilcoxonZeroMethod;
  /** Continuity correction of ½ for the normal approximation (default false). */
  correction?: boolean;
  /**
   * "exact" needs no zeros and no ties; "permutation" enumerates sign patterns (at most
   * 20 non-zero differences); "approx" is the normal approximation; "auto" (default)
   * picks as described above.
   */
  method?: "auto" | "exact" | "permutation" | "approx";
}

export interface WilcoxonResult {
  /** R+ for a one-sided test, min(R+, R−) for a two-sided test. */
  statistic: number;
  pValue: number;
  /** How the p-value was computed. */
  method: "exact" | "permutation" | "approx";
  /** The standardised statistic, when the normal approximation was used. */
  z: number | null;
  /** Differences taking part (zeros dropped by "wilcox" excluded). */
  n: number;
}

/** The largest sample for which "auto" uses the exact distribution (scipy's limit). */
export const EXACT_MAX_N = 50;
/** The largest sample with zeros or ties for which "auto" enumerates sign patterns (scipy's limit). */
export const PERMUTATION_AUTO_MAX_N = 13;
/** The most non-zero differences "permutation" enumerates (2^20 patterns). */
export const PERMUTATION_MAX_N = 20;

/** Tests the differences `d` (x − y already taken). An empty sample gives NaN. */
export function wilcoxonSignedRank(differences: readonly number[], options?: WilcoxonOptions): WilcoxonResult;
/** Tests the paired samples `x` and `y` (same length). */
export function wilcoxonSignedRank(x: readonly number[], y: readonly number[], options?: WilcoxonOptions): WilcoxonResult;
export function wilcoxonSignedRank(
  first: readonly number[],
  second?: readonly number[] | WilcoxonOptions,
  third?: WilcoxonOptions,
): WilcoxonResult {
  let d: number[];
  let options: WilcoxonOptions;
  if (Array.isArray(second)) {
    if (second.length !== first.length) {
      throw new ValueError(`wilcoxonSignedRank: x and y must pair up, got lengths ${first.length} and ${second.length}.`);
    }
    d = first.map((v, i) => v - second[i]);
    options = third ?? {};
  } else {
    d = [...first];
    options = (second as WilcoxonOptions | undefined) ?? {};
  }
  const alternative = options.alternative ?? "two-sided";
  const zeroMethod = options.zeroMethod ?? "wilcox";
  const correction = options.correction ?? false;
  const method = options.method ?? "auto";
  if (!["two-sided", "greater", "less"].includes(alternative)) {
    throw new ValueError(`wilcoxonSignedRank: alternative must be "two-sided", "greater" or "less", got ${show(alternative)}.`);
  }
  if (!["wilcox", "pratt", "zsplit"].includes(zeroMethod)) {
    throw new ValueError(`wilcoxonSignedRank: zeroMethod must be "wilcox", "pratt" or "zsplit", got ${show(zeroMethod)}.`);
  }
  if (!["auto", "exact", "permutation", "approx"].includes(method)) {
    throw new ValueError(`wilcoxonSignedRank: method must be "auto", "exact", "permutation" or "approx", got ${show(method)}.`);
  }
  const bad = d.find((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad !== undefined) {
    throw new ValueError(`wilcoxonSignedRank: differences must be finite numbers, got ${show(bad)}; drop or impute non-finite scores first.`);
  }
  if (d.length === 0) return { statistic: NaN, pValue: NaN, method: method === "auto" ? "approx" : method, z: null, n: 0 };

  const sampleSize = d.length;
  const nZero = d.filter((v) => v === 0).length;
  if (zeroMethod !== "zsplit" && nZero === d.length) {
    throw new ValueError(`wilcoxonSignedRank: every difference is zero, which zeroMethod ${show(zeroMethod)} cannot test; use zeroMethod: "zsplit".`);
  }
  if (zeroMethod === "wilcox") d = d.filter((v) => v !== 0);
  const n = d.length;
  const ranks = averageRanks(d.map(Math.abs));
  const hasTies = new Set(d.map(Math.abs)).size < n;

  let chosen: WilcoxonResult["method"];
  if (method === "auto") {
    // Zeros rule the exact distribution out even when they are dropped, as in scipy.
    if (nZero === 0 && !hasTies && sampleSize <= EXACT_MAX_N) chosen = "exact";
    else if (sampleSize <= PERMUTATION_AUTO_MAX_N) chosen = "permutation";
    else chosen = "approx";
  } else {
    chosen = method;
  }
  if (chosen === "exact" && (nZero > 0 || hasTies)) {
    throw new ValueError(`wilcoxonSignedRank: the exact distribution needs differences without zeros or ties; use method: "permutation", "approx" or "auto".`);
  }
  const nonZero = d.filter((v) => v !== 0).length;
  if (chosen === "permutation" && nonZero > PERMUTATION_MAX_N) {
    throw new ValueError(`wilcoxonSignedRank: "permutation" enumerates 2^n sign patterns, too many for ${nonZero} non-zero differences (at most ${PERMUTATION_MAX_N}); use method: "approx".`);
  }

  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < n; i++) {
    if (d[i] > 0) rPlus += ranks[i];
    else if (d[i] < 0) rMinus += ranks[i];
    else rZero += ranks[i];
  }
  if (zeroMethod === "zsplit") {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const statistic = alternative === "two-sided" ? Math.min(rPlus, rMinus) : rPlus;

  if (chosen === "exact") return { statistic, pValue: exactPValue(n, rPlus, alternative), method: "exact", z: null, n };
  if (chosen === "permutation") {
    const pValue = signFlipPValue(d, ranks, rPlus, alternative);
    return { statistic, pValue, method: "permutation", z: null, n };
  }

  let mean = (n * (n + 1)) / 4;
  let variance24 = n * (n + 1) * (2 * n + 1);
  let tiedRanks = ranks;
  if (zeroMethod === "pratt") {
    tiedRanks = ranks.filter((_, i) => d[i] !== 0);
    mean -= (nZero * (nZero + 1)) / 4;
    variance24 -= nZero * (nZero + 1) * (2 * nZero + 1);
  }
  for (const t of tieSizes(tiedRanks)) variance24 -= 0.5 * t * (t * t - 1);
  const se = Math.sqrt(variance24 / 24);
  let shift = 0;
  if (correction) shift = alternative === "two-sided" ? 0.5 * Math.sign(statistic - mean) : alternative === "less" ? -0.5 : 0.5;
  const z = (statistic - mean - shift) / se;
  const pValue = alternative === "two-sided" ? 2 * normalSf(Math.abs(z)) : alternative === "greater" ? normalSf(z) : normalSf(-z);
  return { statistic, pValue, method: "approx", z, n };
}

/** Ranks 1..n of `values`, ties sharing the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Sizes of the groups of equal values that have more than one member. */
function tieSizes(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}

/**
 * The number of sign patterns giving each R+ = 0..n(n+1)/2 (subsets of {1..n} by sum).
 * Counts stay below 2^53 for n ≤ 50, so they are exact in doubles.
 */
function signedRankCounts(n: number): Float64Array {
  const maxSum = (n * (n + 1)) / 2;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let s = (k * (k + 1)) / 2; s >= k; s--) counts[s] += counts[s - k];
  }
  return counts;
}

function exactPValue(n: number, rPlus: number, alternative: WilcoxonAlternative): number {
  const counts = signedRankCounts(n);
  const total = 2 ** n;
  const r = Math.round(rPlus);
  let atMost = 0;
  for (let s = 0; s <= r; s++) atMost += counts[s];
  let atLeast = 0;
  for (let s = r; s < counts.length; s++) atLeast += counts[s];
  if (alternative === "greater") return atLeast / total;
  if (alternative === "less") return atMost / total;
  // The centre of the symmetric distribution is as unremarkable as can be.
  if (r === Math.floor((counts.length - 1) / 2)) return 1;
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}

/**
 * The p-value of R+ under random signs of the non-zero differences with their actual
 * (possibly tied) ranks: all 2^m patterns enumerated. Zeros keep their contribution.
 */
function signFlipPValue(d: readonly number[], ranks: readonly number[], observed: number, alternative: WilcoxonAlternative): number {
  const flippable = ranks.filter((_, i) => d[i] !== 0);
  const fixed = observed - d.reduce((sum, v, i) => (v > 0 ? sum + ranks[i] : sum), 0);
  const patterns = 2 ** flippable.length;
  // Ranks are multiples of ½, so sums compare exactly up to rounding far below ½.
  const tolerance = 1e-9;
  let atLeast = 0;
  let atMost = 0;
  for (let mask = 0; mask < patterns; mask++) {
    let sum = fixed;
    for (let i = 0; i < flippable.length; i++) if (mask & (1 << i)) sum += flippable[i];
    if (sum >= observed - tolerance) atLeast++;
    if (sum <= observed + tolerance) atMost++;
  }
  if (alternative === "greater") return atLeast / patterns;
  if (alternative === "less") return atMost / patterns;
  return Math.min(1, (2 * Math.min(atLeast, atMost)) / patterns);
}

/** P(Z > z) for a standard normal Z, accurate to about 1e-15 relative. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The complementary error function. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return erfcContinuedFraction(x);
}

/** erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): positive terms, no cancellation. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x2) / (2 * k + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/**
 * erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by
 * the modified Lentz method; converges quickly for x ≥ 2.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
