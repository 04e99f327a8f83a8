import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { ParamValue } from "../../core/records.js";
import { checkSeed, Rng } from "../../core/rng.js";
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
 *
 * Points are never listed: point k is the number k written in the mixed radix of the
 * parameters' value counts (the last parameter varies fastest, the grid's own order),
 * so a grid of 2^60 points costs no more memory than its values.
 */
export class GridSampler implements Sampler {
  readonly name = "grid";
  readonly multiObjective = true;
  private readonly names: string[];
  private readonly values: ParamValue[][];
  /** The number of points, exact however large. */
  private readonly count: bigint;
  /** Visiting position → point index: the identity, or a seeded permutation. */
  private readonly order: (position: bigint) => bigint;
  /** Per study: positions before this one are known to be claimed (claims are never released). */
  private readonly claimedPrefix = new Map<string, bigint>();

  constructor(searchSpace: Record<string, readonly ParamValue[]>, options: GridSamplerOptions = {}) {
    if (searchSpace == null || typeof searchSpace !== "object" || Array.isArray(searchSpace)) {
      throw new ValueError(`GridSampler: the search space must be an object of name → values, got ${show(searchSpace)}.`);
    }
    checkOptionKeys("GridSampler", options, ["seed"]);
    checkSeed("GridSampler", options.seed);
    this.names = Object.keys(searchSpace);
    if (this.names.length === 0)
      throw new ValueError("GridSampler: the search space is empty; give at least one parameter with its values.");
    this.values = this.names.map((name) => checkedValues(name, searchSpace[name]));
    this.count = this.values.reduce((product, values) => product * BigInt(values.length), 1n);
    this.order = options.seed === undefined ? (position) => position : seededPermutation(this.count, new Rng(options.seed));
  }

  /** Number of grid points (not exact beyond Number.MAX_SAFE_INTEGER). */
  get size(): number {
    return Number(this.count);
  }

  /**
   * The first unclaimed points in visiting order, a batch at a time: enough for the
   * workers that claim at once, and the next call offers the next ones.
   */
  unclaimedKeys(study: StudyView, claimed: ReadonlySet<string>): readonly string[] {
    const studyKey = `${study.studyId}\u0000${study.name}`;
    let position = this.claimedPrefix.get(studyKey) ?? 0n;
    // Every position before the prefix holds its own claimed key; if the claims do not
    // show that (another study by the same id), start over.
    if (position > BigInt(claimed.size) || (position > 0n && !claimed.has(this.keyAt(position - 1n)))) position = 0n;
    while (position < this.count && claimed.has(this.keyAt(position))) position++;
    this.claimedPrefix.set(studyKey, position);
    const keys: string[] = [];
    for (; position < this.count && keys.length < KEYS_PER_CLAIM; position++) {
      const key = this.keyAt(position);
      if (!claimed.has(key)) keys.push(key);
    }
    return keys;
  }

  paramsForKey(key: string): Record<string, ParamValue> {
    let index = BigInt(key.slice(GRID_PREFIX.length));
    const digits: number[] = [];
    for (let i = this.values.length - 1; i >= 0; i--) {
      const radix = BigInt(this.values[i].length);
      digits[i] = Number(index % radix);
      index /= radix;
    }
    return Object.fromEntries(this.names.map((name, i) => [name, this.values[i][digits[i]]]));
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

  /** The claim key of the point visited at `position`: its index in the grid's own order. */
  private keyAt(position: bigint): string {
    return GRID_PREFIX + this.order(position);
  }
}

const GRID_PREFIX = "grid:";

/** Keys offered per claim: more than the trials that usually start at the same moment. */
const KEYS_PER_CLAIM = 64;

/** A parameter's values: distinct strings, finite numbers, booleans or null (what storage keeps as given, as in Optuna). */
function checkedValues(name: string, values: readonly ParamValue[] | undefined): ParamValue[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new ValueError(`GridSampler: parameter ${show(name)} needs a non-empty array of values, got ${show(values)}.`);
  }
  // A Set tells values apart as storage does: 0 and -0 are one value, 1 and "1" two.
  const seen = new Set<unknown>();
  for (const value of values as readonly unknown[]) {
    const scalar = value === null || typeof value === "string" || typeof value === "boolean" || Number.isFinite(value);
    if (!scalar) {
      throw new ValueError(
        `GridSampler: parameter ${show(name)} has the value ${show(value)}; grid values must be strings, finite numbers, booleans or null (name an object and look it up in the objective).`,
      );
    }
    if (seen.has(value))
      throw new ValueError(`GridSampler: parameter ${show(name)} has the value ${show(value)} twice; give each value once.`);
    seen.add(value);
  }
  return [...values];
}

/**
 * A seeded permutation of [0, count), computed one position at a time: a four-round
 * Feistel network over the smallest even number of bits that holds count − 1, walking
 * the cycle until the result falls inside the range (at most four tries on average).
 */
function seededPermutation(count: bigint, rng: Rng): (position: bigint) => bigint {
  if (count <= 1n) return (position) => position;
  const halfBits = BigInt(Math.ceil((count - 1n).toString(2).length / 2));
  const halfMask = (1n << halfBits) - 1n;
  const roundKeys = Array.from({ length: 4 }, () => (BigInt(rng.nextUint32()) << 32n) | BigInt(rng.nextUint32()));
  const permute = (x: bigint): bigint => {
    let left = x >> halfBits;
    let right = x & halfMask;
    for (const key of roundKeys) [left, right] = [right, left ^ (mix64(right ^ key) & halfMask)];
    return (left << halfBits) | right;
  };
  return (position) => {
    let x = permute(position);
    while (x >= count) x = permute(x);
    return x;
  };
}

const MASK_64 = (1n << 64n) - 1n;

/** splitmix64's finaliser: every bit of the output depends on every bit of the input. */
function mix64(x: bigint): bigint {
  let z = x & MASK_64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}
