/**
 * Sums added in numpy's order, so that PCA's variance ratios carry the same last bits as
 * scikit-learn's: a fraction of the variance that equals a cumulative ratio then picks
 * the same number of components.
 */

/** Blocks up to this size are summed with eight running sums (numpy's `PW_BLOCKSIZE`). */
const BLOCK = 128;

/** `np.sum` of a float64 vector: numpy's pairwise summation. */
export function pairwiseSum(values: readonly number[], start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < end; i++) sum += values[i];
    return sum;
  }
  if (n <= BLOCK) {
    const r = values.slice(start, start + 8);
    let i = start + 8;
    for (; i < end - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[i + j];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < end; i++) sum += values[i];
    return sum;
  }
  const half = Math.floor(n / 2);
  const split = start + half - (half % 8);
  return pairwiseSum(values, start, split) + pairwiseSum(values, split, end);
}

/** `np.mean` of a float64 vector. */
export function pairwiseMean(values: readonly number[]): number {
  return pairwiseSum(values) / values.length;
}

/** `np.cumsum`: running sums, added one after another. */
export function cumulativeSum(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((value) => (sum += value));
}

/** The mean of each column, summed row after row (`np.mean(X, axis=0)` on rows). */
export function columnMeans(X: readonly (readonly number[])[]): number[] {
  const sums = new Array<number>(X[0].length).fill(0);
  for (const row of X) for (let j = 0; j < sums.length; j++) sums[j] += row[j];
  return sums.map((sum) => sum / X.length);
}
