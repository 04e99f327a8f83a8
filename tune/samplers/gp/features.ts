import type { Distribution } from "../../distributions.js";
import type { InternalParams } from "../sampler.js";
import { fromUnit, toUnit } from "../search-space.js";
import { gridIndex, gridSize, gridValue, type NumericDistribution } from "./unit-cube.js";

/**
 * The GP's input space: each numeric parameter is one column in [0, 1] (`toUnit`: log
 * parameters in log space, grid values at the centres of equal shares); each
 * categorical parameter is one-hot encoded over its choices.
 * One-hot entries are 1/√2 rather than 1 so that two different choices are at squared
 * distance 1, like two numeric values at opposite ends of their range.
 */
export type FeatureParam =
  | { readonly name: string; readonly kind: "continuous"; readonly column: number; readonly distribution: NumericDistribution }
  | {
      readonly name: string;
      readonly kind: "discrete";
      readonly column: number;
      readonly distribution: NumericDistribution;
      readonly size: number;
    }
  | { readonly name: string; readonly kind: "categorical"; readonly column: number; readonly size: number };

export const ONE_HOT = Math.SQRT1_2;

export class FeatureSpace {
  readonly params: readonly FeatureParam[];
  /** Number of feature columns. */
  readonly dim: number;
  /** The parameter (index into `params`) each column belongs to. */
  readonly paramOfColumn: Int32Array;
  /** Columns of continuous floats (optimised by gradient). */
  readonly continuousColumns: readonly number[];

  constructor(space: Record<string, Distribution>) {
    const params: FeatureParam[] = [];
    const owner: number[] = [];
    for (const [name, distribution] of Object.entries(space)) {
      const column = owner.length;
      if (distribution.kind === "categorical") {
        params.push({ name, kind: "categorical", column, size: distribution.choices.length });
        for (let c = 0; c < distribution.choices.length; c++) owner.push(params.length - 1);
        continue;
      }
      const size = gridSize(distribution);
      params.push(
        size === Infinity ? { name, kind: "continuous", column, distribution } : { name, kind: "discrete", column, distribution, size },
      );
      owner.push(params.length - 1);
    }
    this.params = params;
    this.dim = owner.length;
    this.paramOfColumn = Int32Array.from(owner);
    this.continuousColumns = params.filter((p) => p.kind === "continuous").map((p) => p.column);
  }

  /** Writes the features of internal values `values` (by parameter name) at `out[offset..]`. */
  encode(values: InternalParams, out: Float64Array, offset = 0): void {
    for (const p of this.params) {
      const v = values[p.name];
      if (p.kind === "categorical") {
        for (let c = 0; c < p.size; c++) out[offset + p.column + c] = c === v ? ONE_HOT : 0;
      } else {
        out[offset + p.column] = toUnit(p.distribution, v);
      }
    }
  }

  /** Internal values of the point at `x[offset..]` (rounded to grids, clipped to ranges). */
  decode(x: Float64Array, offset = 0): InternalParams {
    const result: InternalParams = {};
    for (const p of this.params) result[p.name] = this.valueOf(p, x, offset);
    return result;
  }

  valueOf(p: FeatureParam, x: Float64Array, offset = 0): number {
    if (p.kind === "categorical") {
      let best = 0;
      for (let c = 1; c < p.size; c++) if (x[offset + p.column + c] > x[offset + p.column + best]) best = c;
      return best;
    }
    return fromUnit(p.distribution, Math.min(1, Math.max(0, x[offset + p.column])));
  }

  /**
   * Maps a point of the unit cube with one coordinate per parameter (a QMC point) to
   * features: grid parameters snapped to their grid, categorical ones to a choice.
   */
  fromUnitPoint(u: ArrayLike<number>, out: Float64Array, offset = 0): void {
    this.params.forEach((p, i) => {
      if (p.kind === "categorical") {
        const choice = Math.min(p.size - 1, Math.floor(u[i] * p.size));
        for (let c = 0; c < p.size; c++) out[offset + p.column + c] = c === choice ? ONE_HOT : 0;
      } else if (p.kind === "discrete") {
        out[offset + p.column] = toUnit(p.distribution, fromUnit(p.distribution, u[i]));
      } else {
        out[offset + p.column] = Math.min(1, Math.max(0, u[i]));
      }
    });
  }

  /** Sets a discrete parameter of the point at `x[offset..]` to its k-th grid value or choice. */
  setLevel(p: FeatureParam, k: number, x: Float64Array, offset = 0): void {
    if (p.kind === "categorical") {
      for (let c = 0; c < p.size; c++) x[offset + p.column + c] = c === k ? ONE_HOT : 0;
    } else if (p.kind === "discrete") {
      x[offset + p.column] = toUnit(p.distribution, gridValue(p.distribution, k));
    }
  }

  /** The grid index or choice of a discrete or categorical parameter at `x[offset..]`. */
  levelOf(p: FeatureParam, x: Float64Array, offset = 0): number {
    if (p.kind === "discrete") return gridIndex(p.distribution, this.valueOf(p, x, offset));
    return this.valueOf(p, x, offset);
  }
}
