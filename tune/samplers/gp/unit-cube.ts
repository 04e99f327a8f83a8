import type { Distribution } from "../../distributions.js";
import { roundToGrid } from "../search-space.js";

/**
 * The grid of an integer or stepped parameter, for samplers that work in the unit cube
 * (positions come from `toUnit` / `fromUnit` in search-space.ts: log parameters in log
 * space, each grid value at the centre of an equal share of [0, 1]).
 */
export type NumericDistribution = Exclude<Distribution, { kind: "categorical" }>;

/** The number of grid values, or Infinity for a continuous float. */
export function gridSize(distribution: NumericDistribution): number {
  if (distribution.step === null) return Infinity;
  return Math.round((distribution.high - distribution.low) / distribution.step) + 1;
}

/** The k-th grid value (internal form). */
export function gridValue(distribution: NumericDistribution, k: number): number {
  return roundToGrid(distribution, distribution.low + k * (distribution.step ?? 0));
}

/** The index of a grid value. */
export function gridIndex(distribution: NumericDistribution, value: number): number {
  return Math.round((value - distribution.low) / (distribution.step ?? 1));
}
