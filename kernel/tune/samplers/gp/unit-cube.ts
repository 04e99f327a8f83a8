import type { Distribution } from "../../distributions.js";

/**
 * One numeric parameter mapped to [0, 1]: log parameters in log space; integer and
 * stepped parameters padded by half a step on each side, so that every grid value owns
 * an equal slice of the unit interval and rounding a uniform point is unbiased.
 */
export interface UnitInterval {
  /** Bounds in transformed (possibly log) space, padded for grids. */
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Grid spacing, or null for a continuous float. */
  readonly step: number | null;
  readonly distribution: Exclude<Distribution, { kind: "categorical" }>;
}

export function unitInterval(distribution: Exclude<Distribution, { kind: "categorical" }>): UnitInterval {
  const step = distribution.step;
  const half = step === null ? 0 : step / 2;
  let low = distribution.low - half;
  let high = distribution.high + half;
  if (distribution.log) {
    low = Math.log(low);
    high = Math.log(high);
  }
  return { low, high, log: distribution.log, step, distribution };
}

/** The internal value's position in [0, 1]. */
export function toUnit(interval: UnitInterval, value: number): number {
  if (interval.high === interval.low) return 0.5;
  const transformed = interval.log ? Math.log(value) : value;
  return (transformed - interval.low) / (interval.high - interval.low);
}

/** The valid internal value at position `t` (clipped into range, rounded to the grid). */
export function fromUnit(interval: UnitInterval, t: number): number {
  const { distribution } = interval;
  const transformed = interval.low + Math.min(1, Math.max(0, t)) * (interval.high - interval.low);
  let value = interval.log ? Math.exp(transformed) : transformed;
  if (interval.step !== null) {
    const k = Math.round((value - distribution.low) / interval.step);
    const last = Math.round((distribution.high - distribution.low) / interval.step);
    value = distribution.low + Math.min(last, Math.max(0, k)) * interval.step;
    if (distribution.kind === "int") return Math.round(value);
    // so that repeated grid values compare equal (0.1·3 is 0.30000000000000004)
    value = Number.parseFloat(value.toPrecision(14));
  }
  return Math.min(distribution.high, Math.max(distribution.low, value));
}

/** The number of grid values, or Infinity for a continuous float. */
export function gridSize(interval: UnitInterval): number {
  if (interval.step === null) return Infinity;
  return Math.round((interval.distribution.high - interval.distribution.low) / interval.step) + 1;
}

/** The unit position of the k-th grid value. */
export function gridUnit(interval: UnitInterval, k: number): number {
  const d = interval.distribution;
  return toUnit(interval, d.low + k * (interval.step ?? 0));
}

/** The grid index of a valid internal value. */
export function gridIndex(interval: UnitInterval, value: number): number {
  return Math.round((value - interval.distribution.low) / (interval.step ?? 1));
}
