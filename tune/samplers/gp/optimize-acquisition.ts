import type { Rng } from "../../../core/rng.js";
import type { AcquisitionFunction } from "./acquisition.js";
import type { FeatureParam, FeatureSpace } from "./features.js";
import { minimizeBounded } from "./lbfgsb.js";

/**
 * Maximises an acquisition function over the feature space: score a quasi-random
 * design of candidates, then refine the best few (and the best observed points) by a
 * local search that alternates gradient ascent over the continuous parameters with a
 * neighbour search over each integer, stepped or categorical one, until a whole pass
 * changes nothing.
 */

/** `count` points of [0, 1]^dims, row-major (a QMC design, or uniform draws). */
export type UnitDesign = (count: number, dims: number) => Float64Array;

export interface OptimizeAcquisitionOptions {
  rng: Rng;
  design: UnitDesign;
  /** Candidates scored before local search (default 1024). */
  candidates?: number;
  /** Local searches, including the best candidate and the warm starts (default 8). */
  localSearches?: number;
  /** Feature rows to refine as well, e.g. the best observed point. */
  warmStarts?: readonly Float64Array[];
  /** ρ per parameter: the continuous search runs in units of each lengthscale, which evens out the curvature. */
  inverseSquaredLengthscales: Float64Array;
}

export interface AcquisitionOptimum {
  point: Float64Array;
  value: number;
}

/** Grids up to this size are searched exhaustively; larger ones by doubling steps. */
const EXHAUSTIVE_LEVELS = 16;

export function optimizeAcquisition(
  acquisition: AcquisitionFunction,
  space: FeatureSpace,
  options: OptimizeAcquisitionOptions,
): AcquisitionOptimum {
  const { dim } = space;
  const nParams = space.params.length;
  const count = Math.max(1, options.candidates ?? 1024);
  const unit = options.design(count, nParams);
  const features = new Float64Array(count * dim);
  const values = new Float64Array(count);
  let bestIndex = 0;
  for (let i = 0; i < count; i++) {
    space.fromUnitPoint(unit.subarray(i * nParams, (i + 1) * nParams), features, i * dim);
    values[i] = acquisition.value(features, i * dim);
    if (values[i] > values[bestIndex] || Number.isNaN(values[bestIndex])) bestIndex = i;
  }

  const starts: Float64Array[] = [
    features.slice(bestIndex * dim, (bestIndex + 1) * dim),
    ...(options.warmStarts ?? []).map((w) => Float64Array.from(w)),
  ];
  // Roulette selection of further starting points, weighted by exp(acquisition − best):
  // mostly promising candidates, sometimes a distant basin.
  const weights = Float64Array.from(values, (v) => (Number.isFinite(v) ? Math.exp(v - values[bestIndex]) : 0));
  weights[bestIndex] = 0;
  const extra = Math.max(0, (options.localSearches ?? 8) - starts.length);
  for (let k = 0; k < extra; k++) {
    let total = 0;
    for (let i = 0; i < count; i++) total += weights[i];
    if (!(total > 0)) break;
    const pick = options.rng.weightedIndex(weights);
    weights[pick] = 0;
    starts.push(features.slice(pick * dim, (pick + 1) * dim));
  }

  let best: AcquisitionOptimum = { point: starts[0], value: values[bestIndex] };
  for (const start of starts) {
    const result = localSearch(acquisition, space, start, options.inverseSquaredLengthscales);
    if (result.value > best.value || !Number.isFinite(best.value)) best = result;
  }
  return best;
}

function localSearch(acquisition: AcquisitionFunction, space: FeatureSpace, start: Float64Array, rho: Float64Array): AcquisitionOptimum {
  let point = Float64Array.from(start);
  let value = acquisition.value(point);
  const discrete = space.params.filter((p): p is Exclude<FeatureParam, { kind: "continuous" }> => p.kind !== "continuous");
  for (let pass = 0; pass < 20; pass++) {
    let improved = false;
    if (space.continuousColumns.length > 0) {
      const ascent = gradientAscent(acquisition, space, point, value, rho);
      if (ascent.value > value) {
        point = ascent.point;
        value = ascent.value;
        improved = true;
      }
    }
    for (const p of discrete) {
      const moved = neighbourSearch(acquisition, space, p, point, value);
      if (moved.value > value) {
        point = moved.point;
        value = moved.value;
        improved = true;
      }
    }
    // With only continuous parameters one ascent is the whole search.
    if (!improved || discrete.length === 0) break;
  }
  return { point, value };
}

function gradientAscent(
  acquisition: AcquisitionFunction,
  space: FeatureSpace,
  start: Float64Array,
  startValue: number,
  rho: Float64Array,
): AcquisitionOptimum {
  const columns = space.continuousColumns;
  const scales = columns.map((c) => 1 / Math.sqrt(rho[space.paramOfColumn[c]]));
  const point = Float64Array.from(start);
  const negative = (z: Float64Array, gradient: Float64Array): number => {
    for (let m = 0; m < columns.length; m++) point[columns[m]] = z[m] * scales[m];
    const { value, gradient: g } = acquisition.valueAndGradient(point, columns);
    for (let m = 0; m < columns.length; m++) gradient[m] = -g[m] * scales[m];
    return Number.isFinite(value) ? -value : Infinity;
  };
  const result = minimizeBounded(
    negative,
    columns.map((c, m) => start[c] / scales[m]),
    { lower: columns.map(() => 0), upper: scales.map((s) => 1 / s), maxIterations: 200, gradientTolerance: 1e-2, relativeTolerance: 1e-9 },
  );
  if (!(-result.value > startValue)) return { point: start, value: startValue };
  const out = Float64Array.from(start);
  for (let m = 0; m < columns.length; m++) out[columns[m]] = Math.min(1, Math.max(0, result.x[m] * scales[m]));
  return { point: out, value: -result.value };
}

/** Tries other levels of one discrete parameter: all of them for small grids and categories, doubling steps either way otherwise. */
function neighbourSearch(
  acquisition: AcquisitionFunction,
  space: FeatureSpace,
  p: Exclude<FeatureParam, { kind: "continuous" }>,
  start: Float64Array,
  startValue: number,
): AcquisitionOptimum {
  const current = space.levelOf(p, start);
  const levels: number[] = [];
  if (p.kind === "categorical" || p.size <= EXHAUSTIVE_LEVELS) {
    for (let k = 0; k < p.size; k++) if (k !== current) levels.push(k);
  } else {
    for (let step = 1; step < p.size; step *= 2) {
      if (current - step >= 0) levels.push(current - step);
      if (current + step < p.size) levels.push(current + step);
    }
  }
  let best: AcquisitionOptimum = { point: start, value: startValue };
  const trial = Float64Array.from(start);
  for (const k of levels) {
    space.setLevel(p, k, trial);
    const v = acquisition.value(trial);
    if (v > best.value) best = { point: Float64Array.from(trial), value: v };
  }
  return best;
}
