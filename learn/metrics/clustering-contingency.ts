/**
 * The counts behind the label-comparison metrics: the contingency table of two
 * labellings, entropies, mutual information and its expectation under random
 * labellings with the same cluster sizes — each computed as scikit-learn 1.2's
 * `sklearn.metrics.cluster._supervised` and `_expected_mutual_info_fast` do,
 * in the same order of operations where rounding could show.
 */
import { logGamma } from "../../core/math/index.js";
import type { Label } from "../labels.js";
import { checkPair } from "./checks.js";
import { partition } from "./clustering-checks.js";

/** The non-zero cells of a contingency table, row by row, with its margins. */
export interface Contingency {
  readonly n: number;
  /** Rows per true class, in the sorted order of the classes. */
  readonly rowSums: readonly number[];
  /** Rows per predicted cluster, in the sorted order of the clusters. */
  readonly colSums: readonly number[];
  readonly cellRows: Int32Array;
  readonly cellCols: Int32Array;
  readonly cellCounts: Float64Array;
}

/** Both labellings checked (one label per row, at least one row) and tabulated. */
export function contingency(where: string, yTrue: readonly Label[], yPred: readonly Label[]): Contingency {
  const n = checkPair(where, yTrue, yPred);
  const truth = partition(where, "yTrue", yTrue);
  const found = partition(where, "yPred", yPred);
  const cols = found.sizes.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = truth.codes[i] * cols + found.codes[i];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // row-major order, as scipy's sparse `find` lists a CSR matrix's cells
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const cellRows = new Int32Array(keys.length);
  const cellCols = new Int32Array(keys.length);
  const cellCounts = new Float64Array(keys.length);
  keys.forEach((key, c) => {
    cellRows[c] = Math.floor(key / cols);
    cellCols[c] = key % cols;
    cellCounts[c] = counts.get(key)!;
  });
  return { n, rowSums: truth.sizes, colSums: found.sizes, cellRows, cellCols, cellCounts };
}

/** Shannon entropy (natural log) of a labelling given its cluster sizes; 0 for one cluster. */
export function entropyOfSizes(sizes: readonly number[]): number {
  if (sizes.length === 1) return 0;
  let total = 0;
  for (const size of sizes) total += size;
  const logTotal = Math.log(total);
  let sum = 0;
  // log(a / b) as log(a) − log(b), which keeps more digits
  for (const size of sizes) sum += (size / total) * (Math.log(size) - logTotal);
  return -sum;
}

export function entropyOf(where: string, name: string, labels: readonly Label[]): number {
  return entropyOfSizes(partition(where, name, labels).sizes);
}

/** Mutual information (natural log) of the two labellings; 0 when either has one cluster. */
export function mutualInformation(table: Contingency): number {
  const { rowSums, colSums, cellRows, cellCols, cellCounts, n } = table;
  if (rowSums.length === 1 || colSums.length === 1) return 0;
  const logN = Math.log(n);
  let sum = 0;
  for (let c = 0; c < cellCounts.length; c++) {
    const count = cellCounts[c];
    const share = count / n;
    const logOuter = -Math.log(rowSums[cellRows[c]] * colSums[cellCols[c]]) + logN + logN;
    const term = share * (Math.log(count) - logN) + share * logOuter;
    // scikit-learn zeroes terms below machine epsilon before summing
    if (Math.abs(term) >= Number.EPSILON) sum += term;
  }
  return Math.max(sum, 0);
}

/**
 * E[MI] over all labellings with the same class and cluster sizes (the
 * hypergeometric model of Vinh, Epps & Bailey 2010): a sum over every cell and
 * every count it could hold, with the factorials in log space (`logGamma`).
 */
export function expectedMutualInformation(table: Contingency): number {
  const { rowSums: a, colSums: b, n } = table;
  if (a.length === 1 || b.length === 1) return 0;
  const logN = Math.log(n);
  const logGammaN = logGamma(n + 1);
  const logFactA = a.map((v) => logGamma(v + 1));
  const logFactB = b.map((v) => logGamma(v + 1));
  const logFactRestA = a.map((v) => logGamma(n - v + 1));
  const logFactRestB = b.map((v) => logGamma(n - v + 1));
  const largest = Math.max(...a, ...b);
  const logFactCount = new Float64Array(largest + 1);
  for (let k = 1; k <= largest; k++) logFactCount[k] = logGamma(k + 1);
  let emi = 0;
  for (let i = 0; i < a.length; i++) {
    const logA = Math.log(a[i]);
    for (let j = 0; j < b.length; j++) {
      const logB = Math.log(b[j]);
      const start = Math.max(1, a[i] - n + b[j]);
      const end = Math.min(a[i], b[j]);
      for (let k = start; k <= end; k++) {
        const logTerm = logN + Math.log(k) - logA - logB;
        const logProbability =
          logFactA[i] +
          logFactB[j] +
          logFactRestA[i] +
          logFactRestB[j] -
          logGammaN -
          logFactCount[k] -
          logGamma(a[i] - k + 1) -
          logGamma(b[j] - k + 1) -
          logGamma(n - a[i] - b[j] + k + 1);
        emi += (k / n) * logTerm * Math.exp(logProbability);
      }
    }
  }
  return emi;
}
