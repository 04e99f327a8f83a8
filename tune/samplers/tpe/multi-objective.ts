/**
 * How multi-objective TPE (Ozaki et al. 2020, "Multiobjective tree-structured Parzen
 * estimator for computationally expensive optimization problems"; Optuna 3.1's
 * `TPESampler` with several objectives) picks its good trials and weighs them. Points
 * are objective vectors, every objective minimised (maximised ones negated first).
 */
import { hypervolume, hypervolumeContributions } from "../../../core/math/hypervolume.js";
import { nonDominatedSort } from "../../../core/math/pareto.js";

type Point = readonly number[];

/** Optuna's floor: for a reference coordinate that would be 0, and added to every contribution. */
const EPS = 1e-12;

/**
 * Optuna's reference point for a set of points: each objective's worst value pushed a
 * tenth of its magnitude further out (max(1.1·worst, 0.9·worst)), EPS where that is 0,
 * so every point lies strictly inside and bounds some volume.
 */
export function tpeReferencePoint(points: readonly Point[]): number[] {
  const reference: number[] = [];
  for (let j = 0; j < points[0].length; j++) {
    let worst = -Infinity;
    for (const point of points) worst = Math.max(worst, point[j]);
    let bound = Math.max(1.1 * worst, 0.9 * worst);
    if (bound === 0) bound = EPS;
    // Beyond 1e308 the margin overflows; the largest double still bounds every smaller value.
    reference.push(Number.isFinite(bound) ? bound : Number.MAX_VALUE);
  }
  return reference;
}

/**
 * The positions of the `count` best points: whole non-dominated fronts, best first, while
 * they fit; then, from the first front that does not fit, the subset chosen by
 * `greedyHypervolumeSubset` against that front's own reference point (Optuna 3.1's
 * `_split_observation_pairs`). In the order chosen: fronts in ascending position, then
 * the greedy picks in the order picked.
 */
export function bestByFronts(points: readonly Point[], count: number): number[] {
  if (count <= 0) return [];
  if (count >= points.length) return points.map((_, i) => i);
  const chosen: number[] = [];
  for (const front of nonDominatedSort(points, count)) {
    if (chosen.length + front.length <= count) {
      chosen.push(...front);
      continue;
    }
    const frontPoints = front.map((i) => points[i]);
    const picked = greedyHypervolumeSubset(frontPoints, count - chosen.length, tpeReferencePoint(frontPoints));
    for (const k of picked) chosen.push(front[k]);
    break;
  }
  return chosen;
}

/**
 * Hypervolume subset selection, greedily (Guerreiro, Fonseca and Paquete 2016; Optuna's
 * `_solve_hssp`): `size` times, take the point that adds the most hypervolume to those
 * taken, the earliest among equals. Its hypervolume is at least (1 − 1/e) of the best
 * subset's. Returns positions in `points`, in the order taken.
 *
 * Lazily (Minoux's accelerated greedy): a point's gain only shrinks as points are taken,
 * so a gain computed in an earlier round bounds the current one, and only the point on
 * top of those bounds needs its gain computed again — a few hypervolumes per round
 * instead of one per point (Optuna updates every point every round).
 */
export function greedyHypervolumeSubset(points: readonly Point[], size: number, referencePoint: Point): number[] {
  const bounds = points.map((point) => boxVolume(point, referencePoint));
  /** The round in which each bound was last computed exactly; -1 once the point is taken. */
  const freshIn = new Int32Array(points.length);
  const chosen: number[] = [];
  const chosenPoints: Point[] = [];
  while (chosen.length < Math.min(size, points.length)) {
    const round = chosen.length;
    for (;;) {
      let top = -1;
      for (let j = 0; j < points.length; j++) if (freshIn[j] >= 0 && (top === -1 || bounds[j] > bounds[top])) top = j;
      if (freshIn[top] === round) {
        freshIn[top] = -1;
        chosen.push(top);
        chosenPoints.push(points[top]);
        break;
      }
      bounds[top] = exclusiveVolume(points[top], chosenPoints, referencePoint);
      freshIn[top] = round;
    }
  }
  return chosen;
}

/** The volume `point` dominates that none of `others` does: its box less its limit set's hypervolume. */
function exclusiveVolume(point: Point, others: readonly Point[], referencePoint: Point): number {
  const limited = others.map((other) => other.map((v, d) => Math.max(v, point[d])));
  return boxVolume(point, referencePoint) - hypervolume(limited, referencePoint);
}

function boxVolume(point: Point, referencePoint: Point): number {
  let product = 1;
  for (let d = 0; d < point.length; d++) product *= Math.max(0, referencePoint[d] - point[d]);
  return product;
}

/**
 * Weights of the good points in l(x): each point's exclusive hypervolume contribution
 * among them (against their own reference point), plus EPS, over the largest, so the
 * best-spread point weighs 1 and dominated ones almost nothing (Optuna 3.1's
 * `_calculate_weights_below_for_multi_objective`). One point weighs 1.
 */
export function contributionWeights(points: readonly Point[]): Float64Array {
  const weights = new Float64Array(points.length);
  if (points.length === 1) weights[0] = 1;
  if (points.length <= 1) return weights;
  const contributions = hypervolumeContributions(points, tpeReferencePoint(points));
  let largest = 0;
  for (const c of contributions) largest = Math.max(largest, c + EPS);
  for (let i = 0; i < points.length; i++) {
    const w = (contributions[i] + EPS) / largest;
    // Volumes that overflow leave no usable ratio: the points then weigh alike.
    weights[i] = Number.isFinite(w) ? Math.min(1, Math.max(0, w)) : 1;
  }
  return weights;
}
