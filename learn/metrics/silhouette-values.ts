/**
 * The silhouette of each row from its total distance to the rows of each cluster.
 *
 * The totals are kept for all rows at once (rows × clusters numbers) so that each pair of
 * rows is measured once, distances being symmetric, and four rows at a time. Every row's
 * totals still add its distances in row order, so they are the same numbers as adding one
 * row of the distance matrix at a time, which is what happens when rows × clusters is too
 * many to hold.
 */
import type { SilhouetteMetric } from "./clustering-internal.js";

/** Above this many totals (rows × clusters), rows are summed one at a time in O(rows + clusters) memory. */
const MOST_SUMS = 2 ** 22;

/**
 * Silhouette of each row: (b − a) / max(a, b), a the mean distance to the rest of its
 * cluster, b the mean distance to the nearest other cluster; 0 for a row alone in its
 * cluster. `values` holds `rows` rows of `width` (flat); `codes` the cluster of each row,
 * 0 … k − 1, and `sizes` each cluster's rows. For "cosine", rows must already have unit
 * length (or be zero). A row's distance to itself counts as 0. O(rows²) time.
 */
export function silhouetteValues(
  metric: SilhouetteMetric,
  values: Float64Array,
  rows: number,
  width: number,
  codes: ArrayLike<number>,
  sizes: ArrayLike<number>,
): Float64Array {
  const k = sizes.length;
  const result = new Float64Array(rows);
  if (rows * k > MOST_SUMS) {
    const sums = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      sums.fill(0);
      for (let j = 0; j < rows; j++) {
        if (j !== i) sums[codes[j]] += pairDistance(metric, values, i * width, j * width, width);
      }
      result[i] = silhouetteOf(sums, 0, codes[i], sizes);
    }
    return result;
  }
  const sums = clusterDistanceSums(metric, values, rows, width, codes, k);
  for (let i = 0; i < rows; i++) result[i] = silhouetteOf(sums, i * k, codes[i], sizes);
  return result;
}

/** The silhouette of a row in cluster `own` from its totals at sums[at … at + k − 1]. */
function silhouetteOf(sums: Float64Array, at: number, own: number, sizes: ArrayLike<number>): number {
  const a = sums[at + own] / (sizes[own] - 1);
  let b = Infinity;
  for (let c = 0; c < sizes.length; c++) if (c !== own) b = Math.min(b, sums[at + c] / sizes[c]);
  const s = (b - a) / Math.max(a, b);
  // NaN: a row alone in its cluster (0/0), or a = b = 0 — scikit-learn scores both 0
  return Number.isNaN(s) ? 0 : s;
}

/** Row i's total distance to the rows of cluster c, at i·k + c. */
function clusterDistanceSums(
  metric: SilhouetteMetric,
  values: Float64Array,
  rows: number,
  width: number,
  codes: ArrayLike<number>,
  k: number,
): Float64Array {
  const sums = new Float64Array(rows * k);
  const distance = (i: number, j: number) => pairDistance(metric, values, i * width, j * width, width);
  for (let r = 0; r < rows; r += 4) {
    const size = Math.min(4, rows - r);
    // pairs inside the block first: each row's sums take lower rows before higher ones
    for (let a = 0; a < size; a++) {
      for (let b = a + 1; b < size; b++) {
        const d = distance(r + a, r + b);
        sums[(r + a) * k + codes[r + b]] += d;
        sums[(r + b) * k + codes[r + a]] += d;
      }
    }
    if (size < 4) continue;
    blockDistances(metric, values, rows, width, r, (j, d0, d1, d2, d3) => {
      const cj = j * k;
      sums[r * k + codes[j]] += d0;
      sums[cj + codes[r]] += d0;
      sums[(r + 1) * k + codes[j]] += d1;
      sums[cj + codes[r + 1]] += d1;
      sums[(r + 2) * k + codes[j]] += d2;
      sums[cj + codes[r + 2]] += d2;
      sums[(r + 3) * k + codes[j]] += d3;
      sums[cj + codes[r + 3]] += d3;
    });
  }
  return sums;
}

/**
 * The distances from rows r … r + 3 to every row j > r + 3, in order of j: four rows
 * share each pass over row j's values.
 */
function blockDistances(
  metric: SilhouetteMetric,
  values: Float64Array,
  rows: number,
  width: number,
  r: number,
  take: (j: number, d0: number, d1: number, d2: number, d3: number) => void,
): void {
  const a0 = r * width;
  const a1 = a0 + width;
  const a2 = a1 + width;
  const a3 = a2 + width;
  for (let j = r + 4, b = j * width; j < rows; j++, b += width) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    if (metric === "euclidean") {
      for (let f = 0; f < width; f++) {
        const v = values[b + f];
        const e0 = values[a0 + f] - v;
        const e1 = values[a1 + f] - v;
        const e2 = values[a2 + f] - v;
        const e3 = values[a3 + f] - v;
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      take(j, Math.sqrt(s0), Math.sqrt(s1), Math.sqrt(s2), Math.sqrt(s3));
    } else if (metric === "manhattan") {
      for (let f = 0; f < width; f++) {
        const v = values[b + f];
        s0 += Math.abs(values[a0 + f] - v);
        s1 += Math.abs(values[a1 + f] - v);
        s2 += Math.abs(values[a2 + f] - v);
        s3 += Math.abs(values[a3 + f] - v);
      }
      take(j, s0, s1, s2, s3);
    } else {
      for (let f = 0; f < width; f++) {
        const v = values[b + f];
        s0 += values[a0 + f] * v;
        s1 += values[a1 + f] * v;
        s2 += values[a2 + f] * v;
        s3 += values[a3 + f] * v;
      }
      take(j, cosineDistance(s0), cosineDistance(s1), cosineDistance(s2), cosineDistance(s3));
    }
  }
}

/** 1 − the dot product of unit rows, clipped to [0, 2] as scikit-learn does. */
function cosineDistance(dot: number): number {
  return Math.min(Math.max(1 - dot, 0), 2);
}

/** The distance between the rows at offsets i and j. */
function pairDistance(metric: SilhouetteMetric, values: Float64Array, i: number, j: number, width: number): number {
  let sum = 0;
  if (metric === "euclidean") {
    for (let f = 0; f < width; f++) {
      const d = values[i + f] - values[j + f];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }
  if (metric === "manhattan") {
    for (let f = 0; f < width; f++) sum += Math.abs(values[i + f] - values[j + f]);
    return sum;
  }
  for (let f = 0; f < width; f++) sum += values[i + f] * values[j + f];
  return cosineDistance(sum);
}
