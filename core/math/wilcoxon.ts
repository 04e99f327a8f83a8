import { checkOptionKeys, show, ValueError } from "../errors.js";
import { normalCdf, normalSf } from "./normal.js";
import { rankData } from "./ranks.js";

/**
 * The Wilcoxon signed-rank test on paired samples (d = x - y), with scipy's
 * conventions (`scipy.stats.wilcoxon`): the same statistic, zero methods,
 * alternatives and normal approximation with tie, zero and continuity corrections.
 *
 * One difference: scipy's exact p-value assumes no ties and no zeros. Here "exact"
 * is the permutation distribution of the signs given the observed ranks (all 2^n
 * sign vectors equally likely under the null), which is the classic exact table
 * when there are no ties and stays exact when there are, as fold scores often tie.
 * Note that scores that should tie may differ in the last bits after subtraction;
 * round them first if that matters.
 */

export type Alternative = "two-sided" | "greater" | "less";

export interface WilcoxonOptions {
  /** Alternative hypothesis about d = x - y (default "two-sided"); "greater": d tends to be positive. */
  alternative?: Alternative;
  /**
   * Zero differences (default "wilcox"): "wilcox" drops them; "pratt" ranks them and
   * then drops their ranks; "zsplit" ranks them and splits their ranks between the signs.
   */
  zeroMethod?: "wilcox" | "pratt" | "zsplit";
  /** Continuity correction of the normal approximation (default false). */
  correction?: boolean;
  /** "auto" (default): exact when at most `exactLimit` differences remain, else "approx". */
  method?: "auto" | "exact" | "approx";
  /** Largest sample for the exact method under "auto" (default 50, as scipy). */
  exactLimit?: number;
}

export interface WilcoxonResult {
  /** Two-sided: min(r+, r-); one-sided: r+ (scipy's convention). */
  statistic: number;
  /** Sum of the ranks of the positive differences (plus half the zeros' ranks with "zsplit"). */
  rPlus: number;
  rMinus: number;
  pValue: number;
  method: "exact" | "approx";
  /** Differences that take part in the ranking. */
  n: number;
  /** Zero differences found. */
  zeros: number;
  /** True when some non-zero |d| tie. */
  ties: boolean;
  /** The standardised statistic, for the normal approximation. */
  z?: number;
}

const OPTION_KEYS = ["alternative", "zeroMethod", "correction", "method", "exactLimit"] as const;

/**
 * The differences x − y of paired samples (or x itself without y), checked: arrays of
 * the same length whose differences are finite. `where` names the caller in errors.
 */
export function pairedDifferences(where: string, x: readonly number[], y?: readonly number[]): number[] {
  if (!Array.isArray(x)) throw new ValueError(`${where}: expected an array of numbers, got ${show(x)}.`);
  if (y !== undefined) {
    if (!Array.isArray(y)) throw new ValueError(`${where}: expected an array of numbers, got ${show(y)}.`);
    if (y.length !== x.length) {
      throw new ValueError(
        `${where}: paired samples need the same length, got ${x.length} and ${y.length}; pass the scores of the same folds in the same order.`,
      );
    }
  }
  const d = x.map((v, i) => v - (y === undefined ? 0 : y[i]));
  const bad = d.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ValueError(`${where}: pair ${bad} is not a finite number (${show(x[bad])}${y ? ` vs ${show(y[bad])}` : ""}).`);
  return d;
}

/**
 * Wilcoxon signed-rank test of `x` against `y` (paired), or of the differences `x`
 * against 0 when `y` is omitted.
 */
export function wilcoxonSignedRank(x: readonly number[], y?: readonly number[], options: WilcoxonOptions = {}): WilcoxonResult {
  checkOptionKeys("wilcoxonSignedRank", options, OPTION_KEYS);
  const alternative = options.alternative ?? "two-sided";
  const zeroMethod = options.zeroMethod ?? "wilcox";
  const method = options.method ?? "auto";
  if (!["two-sided", "greater", "less"].includes(alternative)) {
    throw new ValueError(`wilcoxonSignedRank: alternative must be "two-sided", "greater" or "less", got ${show(alternative)}.`);
  }
  if (!["wilcox", "pratt", "zsplit"].includes(zeroMethod))
    throw new ValueError(`wilcoxonSignedRank: zeroMethod must be "wilcox", "pratt" or "zsplit", got ${show(zeroMethod)}.`);
  if (!["auto", "exact", "approx"].includes(method))
    throw new ValueError(`wilcoxonSignedRank: method must be "auto", "exact" or "approx", got ${show(method)}.`);

  const all = pairedDifferences("wilcoxonSignedRank", x, y);
  const zeros = all.filter((v) => v === 0).length;
  const d = zeroMethod === "wilcox" ? all.filter((v) => v !== 0) : all;
  const ranks = rankData(d.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] > 0) rPlus += ranks[i];
    else if (d[i] < 0) rMinus += ranks[i];
    else rZero += ranks[i];
  }
  if (zeroMethod === "zsplit") {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const nonzeroRanks = ranks.filter((_, i) => d[i] !== 0);
  const ties = new Set(nonzeroRanks).size < nonzeroRanks.length;
  const statistic = alternative === "two-sided" ? Math.min(rPlus, rMinus) : rPlus;
  const base = { statistic, rPlus, rMinus, n: d.length, zeros, ties };

  if (nonzeroRanks.length === 0) {
    // Every pair is equal: nothing speaks against the null hypothesis.
    return { ...base, pValue: 1, method: "exact" };
  }
  const exact = method === "exact" || (method === "auto" && nonzeroRanks.length <= (options.exactLimit ?? 50));
  if (exact) {
    const offset = zeroMethod === "zsplit" ? rZero / 2 : 0;
    const { le, ge } = exactTails(nonzeroRanks, rPlus - offset);
    const pValue = alternative === "greater" ? ge : alternative === "less" ? le : Math.min(1, 2 * Math.min(le, ge));
    return { ...base, pValue, method: "exact" };
  }

  // Normal approximation, as scipy computes it.
  const count = d.length;
  let mean = (count * (count + 1)) / 4;
  let variance = count * (count + 1) * (2 * count + 1);
  let tieRanks = ranks;
  if (zeroMethod === "pratt") {
    tieRanks = nonzeroRanks;
    mean -= (zeros * (zeros + 1)) / 4;
    variance -= zeros * (zeros + 1) * (2 * zeros + 1);
  }
  const multiplicity = new Map<number, number>();
  for (const r of tieRanks) multiplicity.set(r, (multiplicity.get(r) ?? 0) + 1);
  for (const t of multiplicity.values()) if (t > 1) variance -= 0.5 * t * (t * t - 1);
  const se = Math.sqrt(variance / 24);
  let shift = 0;
  if (options.correction) shift = alternative === "two-sided" ? 0.5 * Math.sign(statistic - mean) : alternative === "less" ? -0.5 : 0.5;
  const z = (statistic - mean - shift) / se;
  const pValue =
    alternative === "two-sided" ? Math.min(1, 2 * normalSf(Math.abs(z))) : alternative === "greater" ? normalSf(z) : normalCdf(z);
  return { ...base, pValue, method: "approx", z };
}

/**
 * P(R+ ≤ r) and P(R+ ≥ r) when each rank's sign is + or - with probability 1/2.
 * Ranks are multiples of 1/2, so the distribution of 2·R+ is counted on integers.
 */
function exactTails(ranks: readonly number[], rPlus: number): { le: number; ge: number } {
  const doubled = ranks.map((r) => Math.round(2 * r));
  const total = doubled.reduce((a, b) => a + b, 0);
  // counts[s] = number of sign vectors with 2·R+ = s, kept as probabilities (each step halves).
  let probability = new Float64Array(total + 1);
  probability[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= reach; s++) {
      const p = probability[s];
      if (p === 0) continue;
      next[s] += p / 2;
      next[s + r] += p / 2;
    }
    reach += r;
    probability = next;
  }
  const target = Math.round(2 * rPlus);
  let le = 0;
  let ge = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= target) le += probability[s];
    if (s >= target) ge += probability[s];
  }
  return { le: Math.min(1, le), ge: Math.min(1, ge) };
}
