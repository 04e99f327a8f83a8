/**
 * NSGA-III's niching (Deb and Jain 2014), as Optuna's NSGAIIISampler does it: reference
 * points on the unit simplex, objective values normalised by the ideal point and the
 * intercepts of the hyperplane through the extreme points, each trial associated with the
 * reference line nearest to it, and the last front cut by filling the least crowded
 * reference points first. Every objective is minimised here.
 */
import { show, ValueError } from "../../../core/errors.js";
import type { Rng } from "../../../core/rng.js";

/**
 * Das and Dennis's structured points: every vector of `objectives` non-negative multiples
 * of 1/`divisions` that sum to 1, C(objectives + divisions − 1, divisions) of them, in the
 * order of Python's `combinations_with_replacement` (Optuna's order; its points sum to
 * `divisions`, which gives the same reference lines).
 */
export function dasDennisPoints(objectives: number, divisions: number): number[][] {
  if (!Number.isInteger(objectives) || objectives < 1)
    throw new ValueError(`dasDennisPoints: objectives must be a positive integer, got ${show(objectives)}.`);
  if (!Number.isInteger(divisions) || divisions < 1)
    throw new ValueError(`dasDennisPoints: divisions must be a positive integer, got ${show(divisions)}.`);
  const points: number[][] = [];
  const combination: number[] = [];
  const extend = (from: number) => {
    if (combination.length === divisions) {
      const point = new Array<number>(objectives).fill(0);
      for (const axis of combination) point[axis] += 1 / divisions;
      points.push(point);
      return;
    }
    for (let axis = from; axis < objectives; axis++) {
      combination.push(axis);
      extend(axis);
      combination.pop();
    }
  };
  extend(0);
  return points;
}

/**
 * The points normalised as NSGA-III does (a copy): infinite values replaced by the finite
 * range widened 3 times on each side (Optuna's `_filter_inf`), the ideal point (each
 * objective's minimum) subtracted, and each objective divided by the intercept of the
 * hyperplane through the extreme points (each axis's best by the achievement scalarising
 * function). Where the extreme points do not span a hyperplane, or it meets an axis at or
 * below zero (the paper's fallback, which Optuna lacks), each objective's maximum is used.
 */
export function normalisedObjectives(points: readonly (readonly number[])[]): number[][] {
  const objectives = points[0]?.length ?? 0;
  const matrix = points.map((p) => [...p]);
  for (let m = 0; m < objectives; m++) {
    let low = Infinity;
    let high = -Infinity;
    for (const row of matrix) {
      if (Number.isFinite(row[m])) {
        low = Math.min(low, row[m]);
        high = Math.max(high, row[m]);
      }
    }
    if (low > high) low = high = 0; // no finite value at all
    const margin = 3 * (high - low);
    let ideal = Infinity;
    for (const row of matrix) {
      row[m] = Math.min(high + margin, Math.max(low - margin, row[m]));
      ideal = Math.min(ideal, row[m]);
    }
    for (const row of matrix) row[m] -= ideal;
  }
  // Extreme point of axis d: the point whose largest weighted value is smallest, other axes weighted 1e6.
  const extremes = Array.from({ length: objectives }, (_, d) => {
    let best = 0;
    let bestValue = Infinity;
    matrix.forEach((row, n) => {
      const value = Math.max(...row.map((v, m) => (m === d ? v : 1e6 * v)));
      if (value < bestValue) {
        bestValue = value;
        best = n;
      }
    });
    return matrix[best];
  });
  let inverse = solve(extremes, new Array<number>(objectives).fill(1));
  if (inverse === null || inverse.some((a) => !(a > 0) || !Number.isFinite(a))) {
    inverse = Array.from({ length: objectives }, (_, m) => {
      const max = Math.max(...matrix.map((row) => row[m]));
      return max > 0 ? 1 / max : 1;
    });
  }
  for (const row of matrix) for (let m = 0; m < objectives; m++) row[m] *= inverse[m];
  return matrix;
}

/** For each point, the index of the reference line (through the origin) nearest to it and its distance from that line. */
export function associate(
  points: readonly (readonly number[])[],
  referencePoints: readonly (readonly number[])[],
): { nearest: number[]; distance: number[] } {
  const squaredNorms = referencePoints.map((r) => r.reduce((sum, v) => sum + v * v, 0));
  const nearest: number[] = [];
  const distance: number[] = [];
  for (const p of points) {
    let best = 0;
    let bestDistance = Infinity;
    referencePoints.forEach((r, j) => {
      const scale = r.reduce((sum, v, m) => sum + v * p[m], 0) / squaredNorms[j];
      const d = Math.hypot(...p.map((v, m) => v - scale * r[m]));
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    });
    nearest.push(best);
    distance.push(bestDistance);
  }
  return { nearest, distance };
}

/**
 * Optuna's `_preserve_niche_individuals`: `count` members of the last front to keep, as
 * indices into it. `nearest` and `distance` cover the elite (the first `eliteCount`
 * entries) then the last front. Among the reference points some member of the last front
 * is nearest to, the one with the fewest elite members so far goes first (ties at random);
 * it takes its nearest member when it has none yet, a random one otherwise, and counts one
 * more member.
 */
export function nicheSelect(
  count: number,
  eliteCount: number,
  nearest: readonly number[],
  distance: readonly number[],
  rng: Rng,
): number[] {
  const frontSize = nearest.length - eliteCount;
  if (count > frontSize) throw new ValueError(`nicheSelect: cannot keep ${count} of a front of ${frontSize}.`);
  const members = new Map<number, [number, number][]>(); // reference point → [distance, index in front]
  for (let i = 0; i < frontSize; i++) {
    const j = nearest[eliteCount + i];
    if (!members.has(j)) members.set(j, []);
    members.get(j)!.push([distance[eliteCount + i], i]);
  }
  const eliteCounts = new Map<number, number>();
  for (let i = 0; i < eliteCount; i++) eliteCounts.set(nearest[i], (eliteCounts.get(nearest[i]) ?? 0) + 1);
  const byCount = new Map<number, number[]>(); // elite count → reference points with members left
  for (const j of members.keys()) {
    const c = eliteCounts.get(j) ?? 0;
    if (!byCount.has(c)) byCount.set(c, []);
    byCount.get(c)!.push(j);
  }
  const listAt = (c: number) => {
    if (!byCount.has(c)) byCount.set(c, []);
    return byCount.get(c)!;
  };
  const shuffled = new Set<number>();
  const kept: number[] = [];
  let level = -1;
  while (kept.length < count) {
    if (listAt(level).length === 0) {
      level++;
      rng.shuffle(listAt(level));
      continue;
    }
    const j = listAt(level).pop()!;
    const candidates = members.get(j)!;
    if (level > 0 && !shuffled.has(j)) {
      rng.shuffle(candidates);
      shuffled.add(j);
    } else if (level === 0) {
      // Nearest last (popped first); equal distances: the lower index.
      candidates.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    }
    kept.push(candidates.pop()![1]);
    if (candidates.length > 0) listAt(level + 1).push(j);
  }
  return kept;
}

/** x with A·x = b by Gaussian elimination with partial pivoting; null when A is singular (rank below its size). */
function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  const scale = Math.max(...a.flat().map(Math.abs));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) <= 1e-12 * scale * n) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const factor = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= factor * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = m[r][n];
    for (let c = r + 1; c < n; c++) sum -= m[r][c] * x[c];
    x[r] = sum / m[r][r];
  }
  return x;
}
