/**
 * The distances the clustering models measure rows with, computed term by term in
 * feature order as SciPy's `pdist` and scikit-learn's `DistanceMetric` do, so that
 * equal distances stay equal and ties break as they do there.
 */
import type { Features } from "../../estimator.js";

/** How two rows are compared: scikit-learn's metric names. */
export type DistanceMetric = "euclidean" | "manhattan" | "chebyshev" | "cosine";

export const METRICS: readonly DistanceMetric[] = ["euclidean", "manhattan", "chebyshev", "cosine"];

/** Σ (a_f − b_f)². */
export function squaredEuclidean(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let f = 0; f < a.length; f++) {
    const d = a[f] - b[f];
    sum += d * d;
  }
  return sum;
}

function manhattan(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let f = 0; f < a.length; f++) sum += Math.abs(a[f] - b[f]);
  return sum;
}

function chebyshev(a: readonly number[], b: readonly number[]): number {
  let max = 0;
  for (let f = 0; f < a.length; f++) max = Math.max(max, Math.abs(a[f] - b[f]));
  return max;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let f = 0; f < a.length; f++) sum += a[f] * b[f];
  return sum;
}

/** The Euclidean length of each row. */
export function rowNorms(X: Features): Float64Array {
  return Float64Array.from(X, (row) => Math.sqrt(dot(row, row)));
}

/** Rows with no length: they have no direction, so no cosine distance. */
export function zeroRows(X: Features): number[] {
  const norms = rowNorms(X);
  return X.map((_, i) => i).filter((i) => norms[i] === 0);
}

/**
 * `distance(i, j)` between rows i and j of X under `metric`. Cosine distance is
 * 1 − cos, the cosine clipped to [−1, 1]; a zero row has cosine 0 with every row
 * (scikit-learn's convention) and distance 0 to itself.
 */
export function rowDistance(X: Features, metric: DistanceMetric): (i: number, j: number) => number {
  switch (metric) {
    case "euclidean":
      return (i, j) => Math.sqrt(squaredEuclidean(X[i], X[j]));
    case "manhattan":
      return (i, j) => manhattan(X[i], X[j]);
    case "chebyshev":
      return (i, j) => chebyshev(X[i], X[j]);
    case "cosine": {
      const norms = rowNorms(X);
      return (i, j) => {
        if (i === j) return 0;
        const scale = norms[i] * norms[j];
        const cosine = scale === 0 ? 0 : dot(X[i], X[j]) / scale;
        return 1 - Math.max(-1, Math.min(1, cosine));
      };
    }
  }
}

/** Position of the pair (i, j), i ≠ j, in a condensed distance matrix of n rows (SciPy's order). */
export function condensedIndex(n: number, i: number, j: number): number {
  return i < j ? n * i - (i * (i + 1)) / 2 + (j - i - 1) : n * j - (j * (j + 1)) / 2 + (i - j - 1);
}

/** The upper triangle of the distance matrix, row by row: SciPy's `pdist(X, metric)`. */
export function condensedDistances(X: Features, metric: DistanceMetric): Float64Array {
  const n = X.length;
  const distance = rowDistance(X, metric);
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[k++] = distance(i, j);
  return out;
}
