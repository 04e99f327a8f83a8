/**
 * The arithmetic of k-means as scikit-learn 1.2 runs it: greedy k-means++ seeding,
 * random seeding, the data-scaled tolerance, nearest-centre assignment and Lloyd's
 * iterations (with empty clusters moved to the rows farthest from their centres).
 */
import type { Rng } from "../../../core/rng.js";
import type { Features } from "../../estimator.js";
import { squaredEuclidean } from "./distances.js";

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
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.integer(0, n - 1);
  const centers = [X[first].slice()];
  let closest = Float64Array.from(X, (row) => squaredEuclidean(X[first], row));
  let potential = closest.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i];
    let best = -1;
    let bestPotential = Infinity;
    let bestClosest = closest;
    for (let t = 0; t < trials; t++) {
      const candidate = searchSorted(cumulative, rng.random() * potential);
      const next = new Float64Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        next[i] = Math.min(closest[i], squaredEuclidean(X[candidate], X[i]));
        total += next[i];
      }
      if (total < bestPotential) {
        best = candidate;
        bestPotential = total;
        bestClosest = next;
      }
    }
    centers.push(X[best].slice());
    closest = bestClosest;
    potential = bestPotential;
  }
  return centers;
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

/**
 * The mean of each cluster. A cluster left empty takes the row farthest from its
 * centre (the farthest first, to the lowest-numbered empty cluster first), which
 * leaves the cluster it came from. When every row sits on its centre there is no
 * row to take, and the empty cluster's centre goes to the origin: the mean of X,
 * since `lloyd` runs on centred rows as scikit-learn's does.
 */
function updateCenters(X: Features, centers: readonly number[][], labels: readonly number[]): number[][] {
  const k = centers.length;
  const width = X[0].length;
  const sums = Array.from({ length: k }, () => new Array<number>(width).fill(0));
  const counts = new Array<number>(k).fill(0);
  X.forEach((row, i) => {
    const sum = sums[labels[i]];
    for (let f = 0; f < width; f++) sum[f] += row[f];
    counts[labels[i]]++;
  });
  const empty = counts.flatMap((count, j) => (count === 0 ? [j] : []));
  if (empty.length > 0) {
    const distances = X.map((row, i) => squaredEuclidean(row, centers[labels[i]]));
    if (distances.some((d) => d > 0)) {
      const farthest = X.map((_, i) => i).sort((a, b) => distances[b] - distances[a] || a - b);
      empty.forEach((target, e) => {
        const row = X[farthest[e]];
        const source = labels[farthest[e]];
        for (let f = 0; f < width; f++) {
          sums[source][f] -= row[f];
          sums[target][f] = row[f];
        }
        counts[target] = 1;
        counts[source] -= 1;
      });
    }
  }
  return sums.map((sum, j) => (counts[j] > 0 ? sum.map((v) => v * (1 / counts[j])) : sum));
}

function sameLabels(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Lloyd's algorithm on centred rows X from `initial` centres (centred alike):
 * assign, re-centre, and stop when no
 * label changes or the centres moved by at most `tol` in total squared distance.
 * When it stops on `tol` or `maxIter`, the rows are assigned once more so that
 * labels and centres agree.
 */
export function lloyd(X: Features, initial: readonly (readonly number[])[], maxIter: number, tol: number): KMeansRun {
  let centers = initial.map((c) => c.slice());
  let labels = new Array<number>(X.length).fill(-1);
  let previous = labels;
  let converged = false;
  let iteration = 0;
  for (; iteration < maxIter; iteration++) {
    labels = X.map((row) => nearest(row, centers)[0]);
    const next = updateCenters(X, centers, labels);
    const shift = next.reduce((total, center, j) => total + squaredEuclidean(center, centers[j]), 0);
    centers = next;
    if (sameLabels(labels, previous)) {
      converged = true;
      break;
    }
    if (shift <= tol) break;
    previous = labels;
  }
  if (!converged) labels = X.map((row) => nearest(row, centers)[0]);
  const inertia = X.reduce((total, row, i) => total + squaredEuclidean(row, centers[labels[i]]), 0);
  return { centers, labels, inertia, nIter: Math.min(iteration, maxIter - 1) + 1 };
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
