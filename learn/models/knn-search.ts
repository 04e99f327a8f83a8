/**
 * Exhaustive (brute-force) k-nearest-neighbour search under the Euclidean distance,
 * with scikit-learn's choice among equally distant rows.
 *
 * Each query offers the training rows, in order, to a max-heap of k squared distances
 * that refuses a distance equal to its largest (scikit-learn's `heap_push`). That is
 * scikit-learn's brute force, which it picks for more than 15 features: on digits the
 * neighbours are the same rows, ties included. With fewer features scikit-learn walks a
 * k-d tree, which offers rows in another order, so among rows exactly as far as the k-th
 * neighbour it may keep another one. A squared distance is Σ (q_f − x_f)² summed in
 * feature order, as scikit-learn's tree computes it, so equal distances stay equal.
 *
 * Speed: squared distances are first bounded through ‖q‖² + ‖x‖² − 2 q·x, computed four
 * queries by four rows at a time; a row whose lower bound (that value less its largest
 * possible round-off) already reaches the heap's largest distance would be refused by
 * the heap, so its exact distance is never computed. Only the few rows that may enter
 * the heap are measured exactly, and the heap sees the same offers in the same order as
 * without the bound.
 */
import type { Features } from "../estimator.js";

/** Training rows stored flat, with their squared norms. */
export class NeighbourSearch {
  readonly rows: number;
  readonly width: number;
  private readonly values: Float64Array;
  private readonly norms: Float64Array;

  constructor(X: Features) {
    this.rows = X.length;
    this.width = X[0].length;
    this.values = flatten(X, this.width);
    this.norms = squaredNorms(this.values, this.rows, this.width);
  }

  /** The training rows, as given (a saved model keeps them). */
  trainingRows(): number[][] {
    return Array.from({ length: this.rows }, (_, i) => Array.from(this.values.subarray(i * this.width, (i + 1) * this.width)));
  }

  /**
   * The k nearest training rows of each query row: row `i`'s neighbours are entries
   * `i·k` to `i·k + k − 1` (in heap order, not sorted). Needs 1 ≤ k ≤ rows.
   */
  kNearest(Q: Features, k: number): Int32Array {
    const m = Q.length;
    const p = this.width;
    const queries = flatten(Q, p);
    const queryNorms = squaredNorms(queries, m, p);
    const heapDistances = new Float64Array(m * k).fill(Infinity);
    const heapRows = new Int32Array(m * k).fill(-1);
    const search = { queries, queryNorms, heapDistances, heapRows, k, slack: roundOffFactor(p) };
    for (let q = 0; q < m; q += 4) this.searchBlock(search, q, Math.min(4, m - q));
    return heapRows;
  }

  /** Offer every training row to the heaps of queries q … q + count − 1 (count ≤ 4). */
  private searchBlock(s: SearchState, q: number, count: number): void {
    const { values, norms, rows: n, width: p } = this;
    const { queries, queryNorms, heapDistances, k, slack } = s;
    // a block of fewer than 4 queries repeats its last one in the unused lanes
    const last = q + count - 1;
    const q0 = q * p;
    const q1 = Math.min(q + 1, last) * p;
    const q2 = Math.min(q + 2, last) * p;
    const q3 = Math.min(q + 3, last) * p;
    const dots = new Float64Array(16);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const r0 = j * p;
      const r1 = r0 + p;
      const r2 = r1 + p;
      const r3 = r2 + p;
      let d00 = 0;
      let d01 = 0;
      let d02 = 0;
      let d03 = 0;
      let d10 = 0;
      let d11 = 0;
      let d12 = 0;
      let d13 = 0;
      let d20 = 0;
      let d21 = 0;
      let d22 = 0;
      let d23 = 0;
      let d30 = 0;
      let d31 = 0;
      let d32 = 0;
      let d33 = 0;
      for (let f = 0; f < p; f++) {
        const a0 = queries[q0 + f];
        const a1 = queries[q1 + f];
        const a2 = queries[q2 + f];
        const a3 = queries[q3 + f];
        const b0 = values[r0 + f];
        const b1 = values[r1 + f];
        const b2 = values[r2 + f];
        const b3 = values[r3 + f];
        d00 += a0 * b0;
        d01 += a0 * b1;
        d02 += a0 * b2;
        d03 += a0 * b3;
        d10 += a1 * b0;
        d11 += a1 * b1;
        d12 += a1 * b2;
        d13 += a1 * b3;
        d20 += a2 * b0;
        d21 += a2 * b1;
        d22 += a2 * b2;
        d23 += a2 * b3;
        d30 += a3 * b0;
        d31 += a3 * b1;
        d32 += a3 * b2;
        d33 += a3 * b3;
      }
      dots[0] = d00;
      dots[1] = d01;
      dots[2] = d02;
      dots[3] = d03;
      dots[4] = d10;
      dots[5] = d11;
      dots[6] = d12;
      dots[7] = d13;
      dots[8] = d20;
      dots[9] = d21;
      dots[10] = d22;
      dots[11] = d23;
      dots[12] = d30;
      dots[13] = d31;
      dots[14] = d32;
      dots[15] = d33;
      for (let a = 0; a < count; a++) {
        const i = q + a;
        const queryNorm = queryNorms[i];
        for (let b = 0; b < 4; b++) {
          const scale = queryNorm + norms[j + b];
          // the lower bound; NaN or an overflow makes the comparison false, and the row is measured
          if (scale - 2 * dots[4 * a + b] - slack * scale - TINY < heapDistances[i * k]) this.offer(s, i, j + b);
        }
      }
    }
    for (; j < n; j++) {
      for (let a = 0; a < count; a++) this.offer(s, q + a, j);
    }
  }

  /** Offer training row j to query i's heap: measure their distance exactly and push it. */
  private offer(s: SearchState, i: number, j: number): void {
    const { heapDistances, heapRows, k } = s;
    const top = i * k;
    const distance = squaredDistance(s.queries, i * this.width, this.values, j * this.width, this.width);
    if (distance < heapDistances[top]) heapPush(heapDistances, heapRows, top, k, distance, j);
  }
}

interface SearchState {
  queries: Float64Array;
  queryNorms: Float64Array;
  heapDistances: Float64Array;
  heapRows: Int32Array;
  k: number;
  /** Relative bound on the round-off of both ways of computing a squared distance. */
  slack: number;
}

/** Covers round-off lost to underflow, which the relative bound does not. */
const TINY = 1e-290;

/**
 * A generous bound, relative to ‖q‖² + ‖x‖², on |fl(‖q‖² + ‖x‖² − 2 q·x) − Σ fl((q_f − x_f)²)|:
 * each side is within (p + 3)·2⁻⁵³ of the exact value relative to that scale.
 */
function roundOffFactor(p: number): number {
  return 8 * (p + 8) * 2 ** -53;
}

function flatten(X: Features, width: number): Float64Array {
  const out = new Float64Array(X.length * width);
  for (let i = 0; i < X.length; i++) out.set(X[i], i * width);
  return out;
}

function squaredNorms(values: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0, base = 0; i < rows; i++, base += width) {
    let sum = 0;
    for (let f = 0; f < width; f++) sum += values[base + f] * values[base + f];
    out[i] = sum;
  }
  return out;
}

/** Σ (a_f − b_f)² in feature order, for the rows starting at offsets `i` and `j`. */
function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, width: number): number {
  let sum = 0;
  for (let f = 0; f < width; f++) {
    const d = a[i + f] - b[j + f];
    sum += d * d;
  }
  return sum;
}

/**
 * Replace the largest of the k-entry max-heap at `top` by (value, row) and sift it down,
 * as scikit-learn's `heap_push` does (the caller has checked value < the largest).
 */
function heapPush(distances: Float64Array, rows: Int32Array, top: number, k: number, value: number, row: number): void {
  let current = 0;
  for (;;) {
    const left = 2 * current + 1;
    const right = left + 1;
    let swap: number;
    if (left >= k) break;
    if (right >= k) {
      if (distances[top + left] > value) swap = left;
      else break;
    } else if (distances[top + left] >= distances[top + right]) {
      if (value < distances[top + left]) swap = left;
      else break;
    } else if (value < distances[top + right]) swap = right;
    else break;
    distances[top + current] = distances[top + swap];
    rows[top + current] = rows[top + swap];
    current = swap;
  }
  distances[top + current] = value;
  rows[top + current] = row;
}
