/** Tree options shared by the decision-tree and random-forest adapters, mapped onto ml-cart's. */
import { ValueError, show } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";

export interface TreeOptions {
  /** Deepest level a tree may reach. Default: unlimited. */
  maxDepth?: number;
  /** A node with fewer rows than this becomes a leaf (scikit-learn's `min_samples_split`). Default 2. */
  minSamplesSplit?: number;
  /**
   * A split must improve the node's impurity by more than this (ml-cart's
   * `gainThreshold`, classifiers only). Default 0.01, ml-cart's own default.
   */
  minGain?: number;
}

/** ml-cart's own tree options. */
export interface CartOptions {
  maxDepth: number;
  minNumSamples: number;
  gainThreshold?: number;
}

export const TREE_OPTION_KEYS = ["maxDepth", "minSamplesSplit", "minGain"] as const;

export function cartOptions(where: string, options: TreeOptions, classifier: boolean): CartOptions {
  const maxDepth = options.maxDepth ?? Infinity;
  if (!(maxDepth >= 1) || (maxDepth !== Infinity && !Number.isInteger(maxDepth))) {
    throw new ValueError(`${where}: maxDepth must be an integer >= 1 (or Infinity), got ${show(options.maxDepth)}.`);
  }
  const minSamplesSplit = options.minSamplesSplit ?? 2;
  if (!Number.isInteger(minSamplesSplit) || minSamplesSplit < 2) {
    throw new ValueError(`${where}: minSamplesSplit must be an integer >= 2, got ${show(options.minSamplesSplit)}.`);
  }
  const minGain = options.minGain ?? 0.01;
  if (typeof minGain !== "number" || !(minGain >= 0)) {
    throw new ValueError(`${where}: minGain must be a number >= 0, got ${show(options.minGain)}.`);
  }
  // ml-cart makes a leaf of any node with at most minNumSamples rows.
  const cart: CartOptions = { maxDepth, minNumSamples: minSamplesSplit - 1 };
  if (classifier) cart.gainThreshold = minGain;
  return cart;
}

/** A 32-bit seed for the ml.js libraries: the given one, or one drawn from a fresh `Rng`. */
export function librarySeed(where: string, seed: number | undefined): number {
  if (seed === undefined) return new Rng().seed() >>> 1;
  if (!Number.isInteger(seed)) throw new ValueError(`${where}: seed must be an integer, got ${show(seed)}.`);
  return new Rng(seed).seed() >>> 1;
}
