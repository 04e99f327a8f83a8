import { show, ValueError } from "../../core/errors.js";
import type { ParamValue } from "../../core/records.js";
import { Rng } from "../../core/rng.js";
import type { Distribution } from "../distributions.js";
import type { InternalParams, Sampler, StudyView } from "./sampler.js";

export interface GridSamplerOptions {
  /** Shuffles the order in which grid points are visited (default: the grid's own order). */
  seed?: number;
}

/**
 * Grid search: every combination of the given values, each evaluated exactly once
 * across all workers of the study (points are claimed atomically in storage). When
 * every point is taken, `optimize` stops.
 */
export class GridSampler implements Sampler {
  readonly name = "grid";
  private readonly names: string[];
  private readonly points: ParamValue[][];
  /** Keys of the points in visiting order. */
  private readonly keys: string[];

  constructor(searchSpace: Record<string, readonly ParamValue[]>, options: GridSamplerOptions = {}) {
    if (searchSpace == null || typeof searchSpace !== "object" || Array.isArray(searchSpace)) {
      throw new ValueError(`GridSampler: the search space must be an object of name → values, got ${show(searchSpace)}.`);
    }
    this.names = Object.keys(searchSpace);
    if (this.names.length === 0)
      throw new ValueError("GridSampler: the search space is empty; give at least one parameter with its values.");
    for (const name of this.names) {
      const values = searchSpace[name];
      if (!Array.isArray(values) || values.length === 0) {
        throw new ValueError(`GridSampler: parameter ${show(name)} needs a non-empty array of values, got ${show(values)}.`);
      }
    }
    this.points = cartesian(this.names.map((n) => [...searchSpace[n]]));
    const order = this.points.map((_, i) => i);
    if (options.seed !== undefined) new Rng(options.seed).shuffle(order);
    this.keys = order.map((i) => GRID_PREFIX + i);
  }

  /** Number of grid points. */
  get size(): number {
    return this.points.length;
  }

  unclaimedKeys(_study: StudyView, claimed: ReadonlySet<string>): readonly string[] {
    return this.keys.filter((key) => !claimed.has(key));
  }

  paramsForKey(key: string): Record<string, ParamValue> {
    const point = this.points[Number(key.slice(GRID_PREFIX.length))];
    return Object.fromEntries(this.names.map((name, i) => [name, point[i]]));
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): InternalParams {
    return {};
  }

  sampleIndependent(_study: StudyView, _trial: unknown, name: string): number {
    throw new ValueError(
      `GridSampler: parameter ${show(name)} is not in the grid (${this.names.map((n) => show(n)).join(", ")}); add its values to the grid.`,
    );
  }
}

const GRID_PREFIX = "grid:";

function cartesian(lists: ParamValue[][]): ParamValue[][] {
  let result: ParamValue[][] = [[]];
  for (const list of lists) result = result.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return result;
}
