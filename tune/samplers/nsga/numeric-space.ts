import type { FloatDistribution, IntDistribution } from "../../distributions.js";
import { roundToGrid } from "../search-space.js";

export type NumericDistribution = FloatDistribution | IntDistribution;

/**
 * The space numeric crossovers work in, as Optuna 3.1's `_SearchSpaceTransform` builds it:
 * a log range on the log scale, a stepped range (and every int) widened by half a step at
 * each end so its end values get a full cell, everything else as it is. Not scaled to the
 * unit cube: crossovers see the ranges' own widths.
 */
export class NumericSpace {
  /** Per coordinate, [low, high] in the transformed space. */
  readonly bounds: readonly (readonly [number, number])[];

  constructor(readonly distributions: readonly NumericDistribution[]) {
    this.bounds = distributions.map(transformedBounds);
  }

  /** Internal values (one per distribution) in the transformed space. */
  toVector(values: readonly number[]): number[] {
    return values.map((value, i) => (this.distributions[i].log ? Math.log(value) : value));
  }

  /**
   * A transformed vector back in internal values, as Optuna 3.1 untransforms it: grids and
   * ints are rounded and clipped into range; a continuous value above its range is clipped
   * to the top, and one below it is left below (the child is then refused and drawn again).
   * Null for such a child.
   */
  fromVector(vector: readonly number[]): number[] | null {
    const values: number[] = [];
    for (let i = 0; i < vector.length; i++) {
      const value = untransform(this.distributions[i], vector[i]);
      if (!(value >= this.distributions[i].low)) return null; // also NaN
      values.push(value);
    }
    return values;
  }

  /** The same, every value forced into its range: the way out when children keep falling outside. */
  clipped(vector: readonly number[]): number[] {
    return vector.map((v, i) => {
      const d = this.distributions[i];
      const value = untransform(d, v);
      return value >= d.low ? value : d.kind === "float" && d.step === null ? d.low : roundToGrid(d, d.low);
    });
  }
}

/** One transformed value back (continuous values below the range stay below). */
function untransform(d: NumericDistribution, v: number): number {
  if (d.kind === "int" && d.log) return Math.min(d.high, Math.max(d.low, Math.round(Math.exp(v))));
  if (d.kind === "int" || d.step !== null) return Number.isNaN(v) ? v : roundToGrid(d, v);
  return Math.min(d.high, d.log ? Math.exp(v) : v);
}

function transformedBounds(d: NumericDistribution): [number, number] {
  const half = d.kind === "int" ? 0.5 * d.step : d.step === null ? 0 : 0.5 * d.step;
  if (d.log) return d.kind === "int" ? [Math.log(d.low - half), Math.log(d.high + half)] : [Math.log(d.low), Math.log(d.high)];
  return [d.low - half, d.high + half];
}
