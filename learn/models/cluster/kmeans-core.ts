/**
 * The arithmetic of k-means as scikit-learn 1.2 runs it: greedy k-means++ seeding,
 * random seeding, the data-scaled tolerance and nearest-centre assignment. Lloyd's
 * iterations are in `kmeans-lloyd.ts`.
 */
import type { Rng } from "../../../core/rng.js";
import type { Features } from "../../estimator.js";
import { squaredEuclidean } from "./distances.js";
import { flattenRows } from "./kmeans-lloyd.js";

/** One run of k-means: its centres, the label of each row, the inertia and the iterations it took. */
export interface KMeansRun {
  centers: number[][];
  labels: number[];
  inertia: number;
  nIter: number;
}

/** `tol` times the mean of the per-feature variances of X (scikit-learn's `_tolerance`). */
export function scaledTolerance(X: Features, tol: number): number {
  if (tol === 0) return 0;
  const n = X.length;
  const width = X[0].length;
  let total = 0;
  for (let f = 0; f < width; f++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X[i][f];
    mean /= n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (X[i][f] - mean) ** 2;
    total += sum / n;
  }
  return (total / width) * tol;
}

/** The mean of each column. */
export function columnMeans(X: Features): number[] {
  const means = new Array<number>(X[0].length).fill(0);
  for (const row of X) for (let f = 0; f < row.length; f++) means[f] += row[f];
  return means.map((sum) => sum / X.length);
}

/** First index whose running total reaches `value` (numpy's `searchsorted`, side "left"), at most the last. */
function searchSorted(cumulative: Float64Array, value: number): number {
  let low = 0;
  let high = cumulative.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid] < value) low = mid + 1;
    else high = mid;
  }
  return Math.min(low, cumulative.length - 1);
}

/**
 * Greedy k-means++: the first centre is a uniform row; each next one is the best,
 * by the resulting inertia, of 2 + ⌊ln k⌋ rows drawn with probability proportional
 * to their squared distance to the nearest centre so far.
 */
export function kmeansPlusPlus(X: Features, k: number, rng: Rng): number[][] {
  const n = X.length;
  const rows = flattenRows(X, X[0].length);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.integer(0, n - 1);
  const centers = [X[first].slice()];
  let closest = Float64Array.from(X, (row) => squaredEuclidean(X[first], row));
  let potential = closest.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i];
    // the draws depend on nothing the trials compute, so all are drawn first and tried together
    const candidates = Array.from({ length: trials }, () => searchSorted(cumulative, rng.random() * potential));
    const tried = candidateDistances(rows, n, candidates, closest);
    let best = -1;
    let bestPotential = Infinity;
    let bestClosest = closest;
    tried.forEach(({ next, total }, t) => {
      if (total < bestPotential) {
        best = candidates[t];
        bestPotential = total;
        bestClosest = next;
      }
    });
    centers.push(X[best].slice());
    closest = bestClosest;
    potential = bestPotential;
  }
  return centers;
}

/**
 * For each candidate row, each row's squared distance to the nearest of the centres so
 * far and the candidate (min of `closest` and the distance to it), and their total, summed
 * in row order. Four candidates share each pass over a row.
 */
function candidateDistances(
  rows: Float64Array,
  n: number,
  candidates: readonly number[],
  closest: Float64Array,
): { next: Float64Array; total: number }[] {
  const width = rows.length / n;
  const tried = candidates.map(() => ({ next: new Float64Array(n), total: 0 }));
  for (let t = 0; t < candidates.length; t += 4) {
    const count = Math.min(4, candidates.length - t);
    // a group of fewer than 4 repeats its last candidate
    const c0 = candidates[t] * width;
    const c1 = candidates[t + Math.min(1, count - 1)] * width;
    const c2 = candidates[t + Math.min(2, count - 1)] * width;
    const c3 = candidates[t + count - 1] * width;
    const outs = [0, 1, 2, 3].map((a) => tried[t + Math.min(a, count - 1)].next);
    const [o0, o1, o2, o3] = outs;
    for (let i = 0, row = 0; i < n; i++, row += width) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < width; f++) {
        const v = rows[row + f];
        const d0 = rows[c0 + f] - v;
        const d1 = rows[c1 + f] - v;
        const d2 = rows[c2 + f] - v;
        const d3 = rows[c3 + f] - v;
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
      }
      const near = closest[i];
      o0[i] = Math.min(near, s0);
      o1[i] = Math.min(near, s1);
      o2[i] = Math.min(near, s2);
      o3[i] = Math.min(near, s3);
    }
  }
  for (const trial of tried) {
    let total = 0;
    for (let i = 0; i < n; i++) total += trial.next[i];
    trial.total = total;
  }
  return tried;
}

/** k distinct indices from 0 … n−1, drawn uniformly (a partial Fisher–Yates shuffle). */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.random() * (n - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, k);
}

/** k distinct rows drawn uniformly. */
export function randomRows(X: Features, k: number, rng: Rng): number[][] {
  return sampleIndices(X.length, k, rng).map((i) => X[i].slice());
}

/** Index of the nearest centre (the first on ties) and the squared distance to it. */
export function nearest(row: readonly number[], centers: readonly (readonly number[])[]): [number, number] {
  let best = 0;
  let bestDistance = squaredEuclidean(row, centers[0]);
  for (let j = 1; j < centers.length; j++) {
    const d = squaredEuclidean(row, centers[j]);
    if (d < bestDistance) {
      best = j;
      bestDistance = d;
    }
  }
  return [best, bestDistance];
}

/** Each row's nearest centre, and the inertia: the sum of squared distances to them. */
export function assign(X: Features, centers: readonly (readonly number[])[]): { labels: number[]; inertia: number } {
  let inertia = 0;
  const labels = X.map((row) => {
    const [label, distance] = nearest(row, centers);
    inertia += distance;
    return label;
  });
  return { labels, inertia };
}

/** Whether two labellings are the same partition up to renaming (scikit-learn's `_is_same_clustering`). */
export function sameClustering(a: readonly number[], b: readonly number[], k: number): boolean {
  const mapping = new Array<number>(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (mapping[a[i]] === -1) mapping[a[i]] = b[i];
    else if (mapping[a[i]] !== b[i]) return false;
  }
  return true;
}
