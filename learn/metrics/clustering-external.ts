/**
 * Scores that compare a clustering with known classes (or with another
 * clustering), with scikit-learn 1.2's definitions. They look only at which rows
 * share a label, so renaming the clusters changes nothing, and `yTrue` and
 * `yPred` may use different label types (e.g. class names against cluster
 * numbers). DBSCAN's noise label −1 is an ordinary cluster here, as in
 * scikit-learn. Unlike scikit-learn, empty input is an error rather than 1.0.
 */
import { checkChoice, checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { Label } from "../labels.js";

import { type Contingency, contingency, entropyOfSizes, expectedMutualInformation, mutualInformation } from "./clustering-contingency.js";

/** How NMI and AMI combine the two entropies into their normaliser. */
export type AverageMethod = "arithmetic" | "geometric" | "min" | "max";
const AVERAGE_METHODS: readonly AverageMethod[] = ["arithmetic", "geometric", "min", "max"];

export interface MutualInfoOptions {
  /**
   * The mean of the two labellings' entropies that normalises the score:
   * "arithmetic" (scikit-learn's default since 0.22), "geometric", "min" or "max".
   * Default "arithmetic".
   */
  averageMethod?: AverageMethod;
}

export interface VMeasureOptions {
  /** Weight of completeness against homogeneity: above 1 favours completeness. Default 1. */
  beta?: number;
}

/** Pair counts of scikit-learn's `pair_confusion_matrix`: ordered pairs of distinct rows. */
function pairCounts(table: Contingency) {
  const { n, rowSums, colSums, cellRows, cellCols, cellCounts } = table;
  let sumSquares = 0;
  let byCol = 0;
  let byRow = 0;
  for (let c = 0; c < cellCounts.length; c++) {
    const count = cellCounts[c];
    sumSquares += count * count;
    byCol += count * colSums[cellCols[c]];
    byRow += count * rowSums[cellRows[c]];
  }
  const together = sumSquares - n; // in one class and one cluster
  const onlyTrue = byRow - sumSquares; // one class, different clusters
  const onlyPred = byCol - sumSquares; // one cluster, different classes
  const apart = n * n - onlyPred - onlyTrue - sumSquares;
  return { together, onlyTrue, onlyPred, apart };
}

/**
 * Rand index adjusted for chance (Hubert & Arabie 1985): 1 for identical
 * partitions, about 0 for random labellings, negative below chance.
 */
export function adjustedRand(yTrue: readonly Label[], yPred: readonly Label[]): number {
  const { together, onlyTrue, onlyPred, apart } = pairCounts(contingency("adjustedRand", yTrue, yPred));
  if (onlyTrue === 0 && onlyPred === 0) return 1;
  // products of pair counts pass 2^53 from about 10^4 rows: exact integers, as Python's
  const [tp, tn, fn, fp] = [together, apart, onlyTrue, onlyPred].map(BigInt);
  const numerator = tp * tn - fn * fp;
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return (2 * Number(numerator)) / Number(denominator);
}

/** Rand index: the share of pairs of rows on which the two labellings agree (together or apart). */
export function rand(yTrue: readonly Label[], yPred: readonly Label[]): number {
  const { together, onlyTrue, onlyPred, apart } = pairCounts(contingency("rand", yTrue, yPred));
  const agree = together + apart;
  const pairs = agree + onlyTrue + onlyPred;
  // one row, or every pair agreeing: a perfect match
  if (agree === pairs || pairs === 0) return 1;
  return agree / pairs;
}

/** Mutual information of the two labellings, in nats. */
export function mutualInfo(yTrue: readonly Label[], yPred: readonly Label[]): number {
  return mutualInformation(contingency("mutualInfo", yTrue, yPred));
}

function averageOf(a: number, b: number, method: AverageMethod): number {
  switch (method) {
    case "min":
      return Math.min(a, b);
    case "geometric":
      return Math.sqrt(a * b);
    case "arithmetic":
      return (a + b) / 2;
    case "max":
      return Math.max(a, b);
  }
}

function checkAverageMethod(where: string, options: MutualInfoOptions): AverageMethod {
  checkOptionKeys(where, options, ["averageMethod"]);
  return checkChoice(where, "averageMethod", options?.averageMethod, AVERAGE_METHODS, "arithmetic");
}

/** Both labellings a single cluster: no split on either side, which scikit-learn counts as a perfect match. */
function bothUnsplit(table: Contingency): boolean {
  return table.rowSums.length === 1 && table.colSums.length === 1;
}

/**
 * Whether E[MI] equals the AMI normaliser exactly: one side puts every row
 * alone (so every arrangement has MI = the other side's entropy), the other
 * side is split, and the normaliser is that other side's entropy.
 */
function chanceIsBest(table: Contingency, method: AverageMethod): boolean {
  const { n, rowSums, colSums } = table;
  const aloneTrue = rowSums.length === n;
  const alonePred = colSums.length === n;
  if (!aloneTrue && !alonePred) return false;
  if (rowSums.length === 1 || colSums.length === 1) return false;
  return (aloneTrue && alonePred) || method === "min";
}

/** Mutual information divided by a mean of the two entropies (`averageMethod`), from 0 to 1. */
export function normalizedMutualInfo(yTrue: readonly Label[], yPred: readonly Label[], options: MutualInfoOptions = {}): number {
  const where = "normalizedMutualInfo";
  const method = checkAverageMethod(where, options);
  const table = contingency(where, yTrue, yPred);
  if (bothUnsplit(table)) return 1;
  const mi = mutualInformation(table);
  // one side unsplit (zero entropy) gives mi = 0: no information, whatever the normaliser
  if (mi === 0) return 0;
  return mi / averageOf(entropyOfSizes(table.rowSums), entropyOfSizes(table.colSums), method);
}

/**
 * Mutual information adjusted for chance (Vinh, Epps & Bailey 2010):
 * (MI − E[MI]) / (mean entropy − E[MI]), with E[MI] computed exactly. 1 for
 * identical partitions, about 0 for random ones. Where E[MI] equals the mean
 * entropy the score is 0/0: that happens when one labelling puts every row
 * alone and the mean is the other's entropy (both put every row alone, or
 * `averageMethod` "min"), and then every row arrangement matches as well as
 * possible, so the score is 1 (scikit-learn divides rounding by rounding
 * there, which its own tests expect to give 1, and which mostly does).
 * Option `averageMethod` (default "arithmetic").
 */
export function adjustedMutualInfo(yTrue: readonly Label[], yPred: readonly Label[], options: MutualInfoOptions = {}): number {
  const where = "adjustedMutualInfo";
  const method = checkAverageMethod(where, options);
  const table = contingency(where, yTrue, yPred);
  if (bothUnsplit(table)) return 1;
  if (chanceIsBest(table, method)) return 1;
  const mi = mutualInformation(table);
  const emi = expectedMutualInformation(table);
  const normalizer = averageOf(entropyOfSizes(table.rowSums), entropyOfSizes(table.colSums), method);
  // rounding can put E[MI] a hair above the normaliser: keep the sign, never divide by 0
  let denominator = normalizer - emi;
  denominator = denominator < 0 ? Math.min(denominator, -Number.EPSILON) : Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}

function homogeneityCompleteness(where: string, yTrue: readonly Label[], yPred: readonly Label[]) {
  const table = contingency(where, yTrue, yPred);
  const mi = mutualInformation(table);
  const entropyTrue = entropyOfSizes(table.rowSums);
  const entropyPred = entropyOfSizes(table.colSums);
  return {
    homogeneity: entropyTrue === 0 ? 1 : mi / entropyTrue,
    completeness: entropyPred === 0 ? 1 : mi / entropyPred,
  };
}

/** 1 when every cluster holds rows of one class only: MI / H(classes). */
export function homogeneity(yTrue: readonly Label[], yPred: readonly Label[]): number {
  return homogeneityCompleteness("homogeneity", yTrue, yPred).homogeneity;
}

/** 1 when all rows of each class fall in one cluster: MI / H(clusters). */
export function completeness(yTrue: readonly Label[], yPred: readonly Label[]): number {
  return homogeneityCompleteness("completeness", yTrue, yPred).completeness;
}

/**
 * The weighted harmonic mean of homogeneity and completeness; with beta 1 it
 * equals NMI with "arithmetic". Option `beta` (default 1): 0 gives
 * homogeneity alone, above 1 favours completeness.
 */
export function vMeasure(yTrue: readonly Label[], yPred: readonly Label[], options: VMeasureOptions = {}): number {
  const where = "vMeasure";
  checkOptionKeys(where, options, ["beta"]);
  const beta = options?.beta ?? 1;
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta < 0) {
    throw new ValueError(`${where}: beta must be a finite number ≥ 0 (1 weighs both sides equally), got ${show(beta)}.`);
  }
  const { homogeneity: h, completeness: c } = homogeneityCompleteness(where, yTrue, yPred);
  if (h + c === 0) return 0;
  // beta 0 weighs homogeneity alone: h·c / c, whose limit is h also where c = 0 (scikit-learn gives NaN there)
  if (beta === 0) return h;
  return ((1 + beta) * h * c) / (beta * h + c);
}

/**
 * Fowlkes–Mallows index: the geometric mean of pairwise precision and recall
 * (pairs of rows put together), from 0 to 1.
 */
export function fowlkesMallows(yTrue: readonly Label[], yPred: readonly Label[]): number {
  const { n, rowSums, colSums, cellCounts } = contingency("fowlkesMallows", yTrue, yPred);
  const squares = (values: ArrayLike<number>) => {
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i] * values[i];
    return total;
  };
  const together = squares(cellCounts) - n;
  if (together === 0) return 0;
  const byPred = squares(colSums) - n;
  const byTrue = squares(rowSums) - n;
  return Math.sqrt(together / byPred) * Math.sqrt(together / byTrue);
}
