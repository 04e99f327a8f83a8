/**
 * Lloyd's iterations of k-means on flat arrays, with Elkan's bounds to skip distances.
 *
 * Every row is labelled by its nearest centre under the squared distance Σ (x_f − c_f)²
 * summed in feature order, the first centre on ties, exactly as computing every
 * distance would label it. Elkan's triangle-inequality bounds (an upper bound on each
 * row's distance to its centre, a lower bound to every other centre, half the distance
 * between centres) only skip a centre when it is provably farther by more than the
 * round-off of the distances, so no label can come out differently; any doubt is settled
 * by measuring the distance exactly.
 */
import type { Features } from "../../estimator.js";
import type { KMeansRun } from "./kmeans-core.js";

/** Σ (a_f − b_f)² in feature order, for the rows starting at offsets `i` and `j`. */
export function flatSquaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, width: number): number {
  let sum = 0;
  for (let f = 0; f < width; f++) {
    const d = a[i + f] - b[j + f];
    sum += d * d;
  }
  return sum;
}

/** The rows of X, one after another. */
export function flattenRows(X: Features, width: number): Float64Array {
  const out = new Float64Array(X.length * width);
  for (let i = 0; i < X.length; i++) out.set(X[i], i * width);
  return out;
}

/** Bounds move by at least this factor of their value when rounded outward. */
const OUTWARD = 2 ** -50;

/**
 * The distances, bounds and labels of one k-means run. `slack` bounds the relative
 * round-off of a computed squared distance (and of its square root) with room to spare.
 */
class ElkanState {
  readonly labels: Int32Array;
  /** Upper bound on each row's distance to its centre. */
  readonly upper: Float64Array;
  /** Whether `upper` is the row's measured distance to its current centre. */
  readonly tight: Uint8Array;
  /** The row's measured squared distance to its current centre, where `tight`. */
  readonly nearestSquared: Float64Array;
  /** Lower bound on the distance of row i to centre j, at i·k + j. */
  readonly lower: Float64Array;
  /** Lower bound on half the distance between centres j and l, at j·k + l. */
  readonly halfGap: Float64Array;
  /** Lower bound on half the distance from each centre to its nearest other centre. */
  readonly nearestHalfGap: Float64Array;
  readonly slack: number;

  constructor(
    readonly X: Float64Array,
    readonly n: number,
    readonly k: number,
    readonly width: number,
  ) {
    this.labels = new Int32Array(n);
    this.upper = new Float64Array(n).fill(Infinity);
    this.tight = new Uint8Array(n);
    this.nearestSquared = new Float64Array(n);
    this.lower = new Float64Array(n * k);
    this.halfGap = new Float64Array(k * k);
    this.nearestHalfGap = new Float64Array(k);
    this.slack = 4 * (width + 8) * 2 ** -53;
  }

  /** Measured distance as an upper and a lower bound on the exact one. */
  private up(squared: number): number {
    return Math.sqrt(squared) * (1 + this.slack);
  }

  private down(squared: number): number {
    return Math.sqrt(squared) * (1 - this.slack);
  }

  /** Label every row by its nearest centre (the first on ties), measuring only where the bounds leave doubt. */
  assign(centers: Float64Array): void {
    const { X, n, k, width: p, labels, upper, tight, nearestSquared, lower, halfGap, nearestHalfGap } = this;
    for (let j = 0; j < k; j++) {
      let nearest = Infinity;
      for (let l = 0; l < k; l++) {
        if (l === j) continue;
        const half = this.down(flatSquaredDistance(centers, j * p, centers, l * p, p)) / 2;
        halfGap[j * k + l] = half;
        nearest = Math.min(nearest, half);
      }
      nearestHalfGap[j] = nearest;
    }
    const margin = 1 + this.slack;
    for (let i = 0; i < n; i++) {
      let label = labels[i];
      // every other centre is farther by more than round-off: the label stands
      if (upper[i] * margin < nearestHalfGap[label]) continue;
      const row = i * p;
      const bounds = i * k;
      for (let j = 0; j < k; j++) {
        if (j === label) continue;
        if (upper[i] * margin < lower[bounds + j] || upper[i] * margin < halfGap[label * k + j]) continue;
        if (!tight[i]) {
          const squared = flatSquaredDistance(X, row, centers, label * p, p);
          nearestSquared[i] = squared;
          upper[i] = this.up(squared);
          lower[bounds + label] = this.down(squared);
          tight[i] = 1;
          if (upper[i] * margin < lower[bounds + j] || upper[i] * margin < halfGap[label * k + j]) continue;
        }
        const distance = flatSquaredDistance(X, row, centers, j * p, p);
        lower[bounds + j] = this.down(distance);
        if (distance < nearestSquared[i] || (distance === nearestSquared[i] && j < label)) {
          label = j;
          nearestSquared[i] = distance;
          upper[i] = this.up(distance);
        }
      }
      labels[i] = label;
    }
  }

  /** Centres moved by `moves` (upper bounds on each centre's shift): loosen the bounds to match. */
  moved(moves: Float64Array): void {
    const { n, k, labels, upper, tight, lower } = this;
    for (let i = 0; i < n; i++) {
      const move = moves[labels[i]];
      if (move > 0) {
        upper[i] = (upper[i] + move) * (1 + OUTWARD);
        tight[i] = 0;
      }
      for (let j = 0, b = i * k; j < k; j++, b++) {
        if (moves[j] > 0) lower[b] = Math.max(0, (lower[b] - moves[j]) * (1 - OUTWARD));
      }
    }
  }

  /** An upper bound on the distance between two centres, from their squared distance. */
  shiftBound(squared: number): number {
    return squared === 0 ? 0 : this.up(squared) * (1 + OUTWARD);
  }
}

/** Σ of the rows `order[from … to − 1]` of X, into out[at … at + p − 1]: eight features at a time, each summed in the order given. */
function sumRows(X: Float64Array, p: number, order: Int32Array, from: number, to: number, out: Float64Array, at: number): void {
  let f = 0;
  for (; f + 8 <= p; f += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let m = from; m < to; m++) {
      const b = order[m] * p + f;
      s0 += X[b];
      s1 += X[b + 1];
      s2 += X[b + 2];
      s3 += X[b + 3];
      s4 += X[b + 4];
      s5 += X[b + 5];
      s6 += X[b + 6];
      s7 += X[b + 7];
    }
    out[at + f] = s0;
    out[at + f + 1] = s1;
    out[at + f + 2] = s2;
    out[at + f + 3] = s3;
    out[at + f + 4] = s4;
    out[at + f + 5] = s5;
    out[at + f + 6] = s6;
    out[at + f + 7] = s7;
  }
  for (; f < p; f++) {
    let sum = 0;
    for (let m = from; m < to; m++) sum += X[order[m] * p + f];
    out[at + f] = sum;
  }
}

/**
 * The mean of each cluster, into `next`. A cluster left empty takes the row farthest
 * from its centre (the farthest first, to the lowest-numbered empty cluster first), which
 * leaves the cluster it came from. When every row sits on its centre there is no row to
 * take, and the empty cluster's centre goes to the origin: the mean of X, since `lloyd`
 * runs on centred rows as scikit-learn's does.
 */
function updateCenters(X: Float64Array, n: number, p: number, centers: Float64Array, labels: Int32Array, next: Float64Array): void {
  const k = centers.length / p;
  // the rows of each cluster, in row order (a counting sort), so that a cluster's sums
  // add its rows in the same order as one pass over all rows would
  const starts = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) starts[labels[i] + 1]++;
  for (let j = 0; j < k; j++) starts[j + 1] += starts[j];
  const cursor = starts.slice(0, k);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[labels[i]]++] = i;
  const counts = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    sumRows(X, p, order, starts[j], starts[j + 1], next, j * p);
    counts[j] = starts[j + 1] - starts[j];
  }
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length > 0) {
    const distances = Float64Array.from({ length: n }, (_, i) => flatSquaredDistance(X, i * p, centers, labels[i] * p, p));
    if (distances.some((d) => d > 0)) {
      const farthest = Array.from({ length: n }, (_, i) => i).sort((a, b) => distances[b] - distances[a] || a - b);
      empty.forEach((target, e) => {
        const row = farthest[e] * p;
        const source = labels[farthest[e]];
        for (let f = 0; f < p; f++) {
          next[source * p + f] -= X[row + f];
          next[target * p + f] = X[row + f];
        }
        counts[target] = 1;
        counts[source] -= 1;
      });
    }
  }
  for (let j = 0; j < k; j++) {
    if (counts[j] === 0) continue;
    const scale = 1 / counts[j];
    for (let f = 0; f < p; f++) next[j * p + f] *= scale;
  }
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Lloyd's algorithm on centred rows X from `initial` centres (centred alike): assign,
 * re-centre, and stop when no label changes or the centres moved by at most `tol` in
 * total squared distance. When it stops on `tol` or `maxIter`, the rows are assigned
 * once more so that labels and centres agree.
 */
export function lloyd(X: Features, initial: readonly (readonly number[])[], maxIter: number, tol: number): KMeansRun {
  const n = X.length;
  const p = X[0].length;
  const k = initial.length;
  const rows = flattenRows(X, p);
  let centers = flattenRows(initial, p);
  let next = new Float64Array(k * p);
  const state = new ElkanState(rows, n, k, p);
  const previous = new Int32Array(n).fill(-1);
  const moves = new Float64Array(k);
  let converged = false;
  let iteration = 0;
  for (; iteration < maxIter; iteration++) {
    state.assign(centers);
    updateCenters(rows, n, p, centers, state.labels, next);
    let shift = 0;
    for (let j = 0; j < k; j++) {
      const squared = flatSquaredDistance(next, j * p, centers, j * p, p);
      shift += squared;
      moves[j] = state.shiftBound(squared);
    }
    [centers, next] = [next, centers];
    state.moved(moves);
    if (sameLabels(state.labels, previous)) {
      converged = true;
      break;
    }
    if (shift <= tol) break;
    previous.set(state.labels);
  }
  if (!converged) state.assign(centers);
  const labels = Array.from(state.labels);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += flatSquaredDistance(rows, i * p, centers, labels[i] * p, p);
  const centerRows = Array.from({ length: k }, (_, j) => Array.from(centers.subarray(j * p, (j + 1) * p)));
  return { centers: centerRows, labels, inertia, nIter: Math.min(iteration, maxIter - 1) + 1 };
}
