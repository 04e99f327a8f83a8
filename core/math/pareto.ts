/**
 * Pareto dominance and the NSGA-II ranking built on it. Every function here minimises
 * every objective: callers flip the sign of the objectives they maximise.
 */
import { show, ValueError } from "../errors.js";

/**
 * Whether `a` Pareto-dominates `b`: no worse in every objective and better in at least
 * one. Both have the same length; NaN compares false both ways, so check for it first
 * (the functions below refuse it).
 */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/**
 * Check that every point is an array of `length.count` values (by default as many as
 * `points[0]`) and none is NaN, which is neither better nor worse than anything and so
 * would make dominance meaningless; returns the number of objectives.
 */
export function checkPoints(
  where: string,
  points: readonly (readonly number[])[],
  length: { count: number; of: string } = { count: points[0]?.length ?? 0, of: "points[0]" },
): number {
  if (!Array.isArray(points)) throw new ValueError(`${where}: points must be an array of objective vectors, got ${show(points)}.`);
  for (let i = 0; i < points.length; i++) {
    const point = points[i];
    if (!Array.isArray(point)) throw new ValueError(`${where}: points[${i}] must be an array of numbers, got ${show(point)}.`);
    if (point.length !== length.count) {
      throw new ValueError(
        `${where}: points[${i}] has ${point.length} values but ${length.of} has ${length.count}; give every point one value per objective.`,
      );
    }
    for (let j = 0; j < point.length; j++) {
      if (typeof point[j] !== "number" || Number.isNaN(point[j])) {
        throw new ValueError(
          `${where}: points[${i}][${j}] is ${show(point[j])}; every objective value must be a number, so drop such points.`,
        );
      }
    }
  }
  return length.count;
}

/**
 * Indices (ascending) of the points no other point dominates. Copies of a non-dominated
 * point are all on the front, as in Optuna's `best_trials`. O(n log n) for one or two
 * objectives, O(n·|front|) after a sort for more.
 */
export function paretoFrontIndices(points: readonly (readonly number[])[]): number[] {
  const objectives = checkPoints("paretoFrontIndices", points);
  const front: number[] = [];
  for (const i of lexicographicOrder(points)) {
    if (!frontDominates(points, front, points[i], objectives)) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/**
 * The non-dominated fronts, rank 0 first, each a list of indices in ascending order:
 * rank 0 is the Pareto front, rank 1 the front once rank 0 is removed, and so on. With
 * `maxCount`, only the first fronts that together hold at least `maxCount` points (all
 * of them by default), as NSGA-II needs to fill a population.
 *
 * Jensen's and Zhang et al.'s efficient non-dominated sort: points taken in
 * lexicographic order, so every dominator of a point is ranked before it, each joins the
 * first front that holds none of its dominators, found by binary search. O(n log n) for
 * two objectives, at most O(d·n²) for more, and usually far less.
 */
export function nonDominatedSort(points: readonly (readonly number[])[], maxCount: number = points.length): number[][] {
  const objectives = checkPoints("nonDominatedSort", points);
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    throw new ValueError(
      `nonDominatedSort: maxCount must be a non-negative integer, got ${show(maxCount)}; leave it out to rank every point.`,
    );
  }
  const fronts: number[][] = [];
  for (const i of lexicographicOrder(points)) {
    // The fronts holding a dominator of the point are a prefix: a dominator in front r has
    // its own dominators in every front before r, and they dominate the point too.
    let low = 0;
    let high = fronts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (frontDominates(points, fronts[middle], points[i], objectives)) low = middle + 1;
      else high = middle;
    }
    if (low === fronts.length) fronts.push([i]);
    else fronts[low].push(i);
  }
  const kept: number[][] = [];
  let count = 0;
  for (const front of fronts) {
    if (count >= maxCount) break;
    kept.push(front.sort((a, b) => a - b));
    count += front.length;
  }
  return kept;
}

/**
 * NSGA-II's crowding distance of each point of `front` (indices into `points`), in the
 * order of `front`: for every objective, the gap between a point's two neighbours in
 * that objective over the objective's range in the front, summed. The points at either
 * end of an objective get Infinity; an objective whose range is 0 adds nothing (not even
 * the Infinity), as in Optuna. An infinite gap over an infinite range counts as Infinity.
 */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): Float64Array {
  const objectives = checkPoints("crowdingDistance", points);
  for (const index of front) {
    if (!Number.isInteger(index) || index < 0 || index >= points.length) {
      throw new ValueError(`crowdingDistance: front holds ${show(index)}, which is not an index into the ${points.length} points.`);
    }
  }
  const distances = new Float64Array(front.length);
  const last = front.length - 1;
  const order = front.map((_, k) => k);
  for (let objective = 0; objective < objectives && last > 0; objective++) {
    const value = (k: number) => points[front[k]][objective];
    order.sort((a, b) => value(a) - value(b) || a - b);
    const range = value(order[last]) - value(order[0]);
    if (!(range > 0)) continue; // 0, or NaN when every value is the same infinity
    distances[order[0]] = Infinity;
    distances[order[last]] = Infinity;
    for (let r = 1; r < last; r++) {
      const below = value(order[r - 1]);
      const above = value(order[r + 1]);
      if (above === below) continue; // also keeps Infinity − Infinity out
      const share = (above - below) / range;
      distances[order[r]] += Number.isNaN(share) ? Infinity : share;
    }
  }
  return distances;
}

/** Indices of `points` sorted by the first objective, ties by the next, then by index. */
function lexicographicOrder(points: readonly (readonly number[])[]): number[] {
  return points
    .map((_, i) => i)
    .sort((i, j) => {
      const a = points[i];
      const b = points[j];
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
      return i - j;
    });
}

/**
 * Whether a member of `front` (built in lexicographic order) dominates `point` (later in
 * that order). With one or two objectives the front is a staircase whose last member is
 * the best in the last objective, so it is the only one that can.
 */
function frontDominates(
  points: readonly (readonly number[])[],
  front: readonly number[],
  point: readonly number[],
  objectives: number,
): boolean {
  if (objectives <= 2) return front.length > 0 && dominates(points[front[front.length - 1]], point);
  for (let k = front.length - 1; k >= 0; k--) if (dominates(points[front[k]], point)) return true;
  return false;
}
