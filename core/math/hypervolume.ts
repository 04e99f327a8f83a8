/**
 * The hypervolume indicator: the volume of objective space that a set of points
 * dominates, bounded by a reference point, and each point's exclusive share of it. All
 * objectives are minimised (callers flip the ones they maximise), as in pareto.ts.
 */
import { show, ValueError } from "../errors.js";
import { checkPoints, paretoFrontIndices } from "./pareto.js";

type Point = readonly number[];

/**
 * The exact volume of the union of the boxes [point, referencePoint]. Points not strictly
 * better than the reference in every objective bound nothing and are ignored, including
 * points with a +Infinity. NaN, -Infinity (an infinite volume) and a reference point
 * that is not finite are refused.
 *
 * One objective: the best value's distance to the reference. Two: a sort and a sweep,
 * O(n log n). Three: a sweep along the third objective over a staircase of the first two
 * (Beume et al. 2009), O(n log n) comparisons plus block copies as the staircase changes.
 * Four or more: WFG (While, Bradstreet and Barone 2012), the sum of each point's
 * exclusive volume against its limit set, down to the three-objective sweep.
 */
export function hypervolume(points: readonly Point[], referencePoint: Point): number {
  const inside = indicesInside("hypervolume", points, referencePoint).map((i) => points[i]);
  return volume(inside, referencePoint, referencePoint.length);
}

/**
 * Each point's exclusive contribution: the hypervolume of all the points minus the
 * hypervolume without that point. Dominated points, points outside the reference box
 * and every copy of a repeated point contribute 0 (removing one copy leaves the other).
 * Two objectives take O(n log n); more take one limit-set volume per front point (for
 * three, a sweep over the other points each: O(n² log n)).
 */
export function hypervolumeContributions(points: readonly Point[], referencePoint: Point): Float64Array {
  const inside = indicesInside("hypervolumeContributions", points, referencePoint);
  const contributions = new Float64Array(points.length);
  const objectives = referencePoint.length;
  if (objectives === 2) {
    staircaseContributions(points, inside, referencePoint, contributions);
    return contributions;
  }
  // Sorted by the last objective, every limit set comes out sorted as the sweeps sort it.
  inside.sort((a, b) => points[a][objectives - 1] - points[b][objectives - 1]);
  const candidates = inside.map((i) => points[i]);
  for (const k of paretoFrontIndices(candidates)) {
    const point = candidates[k];
    const others = candidates.filter((_, j) => j !== k);
    const limited = limitSet(point, others, objectives);
    if (limited === null) continue; // a copy covers the whole box
    contributions[inside[k]] = boxVolume(point, referencePoint, objectives) - volume(limited, referencePoint, objectives);
  }
  return contributions;
}

/**
 * The reference point used when none is given: per objective, the worst (largest) value
 * among the points plus a tenth of that objective's range (largest minus smallest). Where
 * the range is 0 (a single point, or all points equal in that objective) the margin is a
 * tenth of the worst value's magnitude, or 1 where the worst value is 0. The result is
 * always strictly above the worst value, so every point contributes volume.
 */
export function defaultReferencePoint(points: readonly Point[]): number[] {
  const objectives = checkPoints("defaultReferencePoint", points);
  if (points.length === 0)
    throw new ValueError("defaultReferencePoint: there are no points to derive a reference point from; pass the reference point itself.");
  const reference: number[] = [];
  for (let j = 0; j < objectives; j++) {
    let worst = -Infinity;
    let best = Infinity;
    for (let i = 0; i < points.length; i++) {
      const value = points[i][j];
      if (!Number.isFinite(value)) {
        throw new ValueError(`defaultReferencePoint: points[${i}][${j}] is ${show(value)}; drop it or give the reference point yourself.`);
      }
      worst = Math.max(worst, value);
      best = Math.min(best, value);
    }
    const margin = worst > best ? 0.1 * (worst - best) : worst !== 0 ? 0.1 * Math.abs(worst) : 1;
    // A margin below the spacing of doubles near `worst` would round away.
    const bound = Math.max(worst + margin, nextUp(worst));
    if (!Number.isFinite(bound)) {
      throw new ValueError(
        `defaultReferencePoint: objective ${j} reaches ${show(worst)}, too close to the largest double to bound; rescale it.`,
      );
    }
    reference.push(bound);
  }
  return reference;
}

/** Validate the arguments; indices of the points strictly better than the reference in every objective. */
function indicesInside(where: string, points: readonly Point[], reference: Point): number[] {
  if (!Array.isArray(reference) || reference.length === 0 || !reference.every((value) => Number.isFinite(value))) {
    throw new ValueError(
      `${where}: referencePoint must be a non-empty array of finite numbers, got ${show(reference)}; give the worst acceptable value of each objective, or use defaultReferencePoint(points).`,
    );
  }
  checkPoints(where, points, { count: reference.length, of: "referencePoint" });
  const inside: number[] = [];
  for (let i = 0; i < points.length; i++) {
    let within = true;
    for (let j = 0; j < reference.length; j++) {
      if (points[i][j] === -Infinity) {
        throw new ValueError(`${where}: points[${i}][${j}] is -Infinity, which dominates an infinite volume; clip it to a finite value.`);
      }
      if (!(points[i][j] < reference[j])) within = false;
    }
    if (within) inside.push(i);
  }
  return inside;
}

/** The volume dominated by `points` (all strictly inside the box) in their first `objectives` objectives. */
function volume(points: readonly Point[], reference: Point, objectives: number): number {
  if (points.length === 0) return 0;
  if (points.length === 1) return boxVolume(points[0], reference, objectives);
  if (objectives === 1) return reference[0] - points.reduce((best, point) => Math.min(best, point[0]), Infinity);
  if (objectives === 2) return sweep2d(points, reference);
  if (objectives === 3) return sweep3d(points, reference);
  const front = paretoFrontIndices(points).map((i) => points[i]);
  return wfg(front, reference, objectives);
}

function boxVolume(point: Point, reference: Point, objectives: number): number {
  let product = 1;
  for (let j = 0; j < objectives; j++) product *= reference[j] - point[j];
  return product;
}

/** Sorted by the first objective, each point that improves the second adds a strip reaching the reference. */
function sweep2d(points: readonly Point[], reference: Point): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let area = 0;
  let lowest = reference[1];
  for (const [x, y] of sorted) {
    if (y >= lowest) continue;
    area += (reference[0] - x) * (lowest - y);
    lowest = y;
  }
  return area;
}

/**
 * Sorted by the third objective, the points are added one by one to a staircase of the
 * first two (x increasing, y decreasing, kept in typed arrays), whose area is updated by
 * what each new point adds; each slab between consecutive third values has that area.
 */
function sweep3d(points: readonly Point[], reference: Point): number {
  const sorted = [...points].sort((a, b) => a[2] - b[2]);
  const xs = new Float64Array(sorted.length);
  const ys = new Float64Array(sorted.length);
  let size = 0;
  let area = 0;
  let total = 0;
  let previousZ = sorted[0][2];
  for (const [x, y, z] of sorted) {
    total += area * (z - previousZ);
    previousZ = z;
    let at = 0; // the first step with xs[at] >= x
    for (let high = size; at < high; ) {
      const middle = (at + high) >>> 1;
      if (xs[middle] < x) at = middle + 1;
      else high = middle;
    }
    const above = at > 0 ? ys[at - 1] : reference[1];
    if (above <= y || (at < size && xs[at] === x && ys[at] <= y)) continue; // already covered
    // Remove the steps the point covers, adding the area between them and the point.
    let end = at;
    let left = x;
    let height = above;
    while (end < size && ys[end] >= y) {
      area += (xs[end] - left) * (height - y);
      left = xs[end];
      height = ys[end];
      end++;
    }
    area += ((end < size ? xs[end] : reference[0]) - left) * (height - y);
    if (end === at) {
      xs.copyWithin(at + 1, at, size);
      ys.copyWithin(at + 1, at, size);
      size++;
    } else {
      xs.copyWithin(at + 1, end, size);
      ys.copyWithin(at + 1, end, size);
      size -= end - at - 1;
    }
    xs[at] = x;
    ys[at] = y;
  }
  return total + area * (reference[2] - previousZ);
}

/**
 * WFG for four or more objectives, on non-dominated points: the sum over the points of
 * each one's exclusive volume against the points after it. Sorted worst first in the
 * last objective, every member of a point's limit set shares that objective with it, so
 * the exclusive volume is a height times a volume with one objective fewer.
 */
function wfg(points: readonly Point[], reference: Point, objectives: number): number {
  const last = objectives - 1;
  const sorted = [...points].sort((a, b) => b[last] - a[last]);
  let total = 0;
  for (let k = 0; k < sorted.length; k++) {
    const point = sorted[k];
    const limited = limitSet(point, sorted.slice(k + 1), last);
    if (limited === null) continue;
    total += (reference[last] - point[last]) * (boxVolume(point, reference, last) - volume(limited, reference, last));
  }
  return total;
}

/**
 * The limit set of `point` in its first `objectives` objectives: each other point made no
 * better than `point`, which bounds the part of the point's box the other covers. Null
 * when one of them covers the whole box (it is at least as good everywhere).
 */
function limitSet(point: Point, others: readonly Point[], objectives: number): number[][] | null {
  const limited: number[][] = [];
  for (const other of others) {
    const bounded = new Array<number>(objectives);
    let covers = true;
    for (let j = 0; j < objectives; j++) {
      if (other[j] > point[j]) {
        bounded[j] = other[j];
        covers = false;
      } else {
        bounded[j] = point[j];
      }
    }
    if (covers) return null;
    limited.push(bounded);
  }
  return limited;
}

/**
 * Two-objective contributions: a front point alone covers the rectangle up to its
 * neighbours on the staircase, less what the points it alone dominates cover there.
 */
function staircaseContributions(points: readonly Point[], inside: readonly number[], reference: Point, contributions: Float64Array): void {
  const front = paretoFrontIndices(inside.map((i) => points[i]))
    .map((k) => inside[k])
    .sort((a, b) => points[a][0] - points[b][0] || a - b);
  // One step per distinct front point (copies have equal x and y), x increasing.
  const steps: { index: number; copies: number; shadowed: Point[] }[] = [];
  for (const i of front) {
    const previous = steps[steps.length - 1];
    if (previous !== undefined && points[previous.index][0] === points[i][0]) previous.copies++;
    else steps.push({ index: i, copies: 1, shadowed: [] });
  }
  const onFront = new Set(front);
  for (const i of inside) {
    if (onFront.has(i)) continue;
    // The last step at or left of the point dominates it (it has the lowest y of those that might).
    let low = 0;
    let high = steps.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (points[steps[middle].index][0] <= points[i][0]) low = middle + 1;
      else high = middle;
    }
    steps[low - 1].shadowed.push(points[i]);
  }
  for (let s = 0; s < steps.length; s++) {
    if (steps[s].copies > 1) continue;
    const [x, y] = points[steps[s].index];
    const corner = [
      s + 1 < steps.length ? points[steps[s + 1].index][0] : reference[0],
      s > 0 ? points[steps[s - 1].index][1] : reference[1],
    ];
    const shadowed = steps[s].shadowed.filter((point) => point[0] < corner[0] && point[1] < corner[1]);
    contributions[steps[s].index] = (corner[0] - x) * (corner[1] - y) - volume(shadowed, corner, 2);
  }
}

/** The next double above a finite `value`. */
function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([value]).buffer);
  bits[0] += value > 0 ? 1n : -1n;
  return new Float64Array(bits.buffer)[0];
}
