/**
 * The tree and forest options a user sets, with scikit-learn's names in camelCase
 * and its defaults; checked where a model is built, resolved against the data's
 * size at fit time.
 */
import { show, ValueError } from "../errors.js";
import type { Criterion, GrowOptions } from "./grow.js";

/** How many features a split looks at: a rule, a fraction of them in (0, 1], or a count > 1. */
export type MaxFeatures = "sqrt" | "log2" | number;

export interface TreeParams {
  /** Deepest level a tree may reach (the root is level 0). Default: unlimited. */
  maxDepth?: number;
  /**
   * A node with fewer distinct training rows is not split: an integer >= 2, or a
   * fraction in (0, 1) of the training rows (rounded up). Default 2.
   */
  minSamplesSplit?: number;
  /**
   * Each child of a split keeps at least this many distinct training rows: an
   * integer >= 1, or a fraction in (0, 1) of the training rows (rounded up). Default 1.
   */
  minSamplesLeaf?: number;
  /**
   * Features looked at for each split, drawn anew at every split (as scikit-learn):
   * "sqrt", "log2", a fraction in (0, 1] of the features, or a count > 1. A count of
   * exactly one feature is written as a fraction below 2/d. Default: all (1.0) for
   * trees and regression forests, "sqrt" for classification forests.
   */
  maxFeatures?: MaxFeatures;
  /**
   * A node is split only if the split decreases the weighted impurity by at least
   * this, as a share of all training weight (scikit-learn's `min_impurity_decrease`:
   * N_t / N · (impurity − N_tL / N_t · left impurity − N_tR / N_t · right impurity)). Default 0.
   */
  minImpurityDecrease?: number;
  /** Grow best-first, splitting the node that decreases impurity most, up to this many leaves (>= 2). Default: unlimited, depth-first. */
  maxLeafNodes?: number;
}

export interface ForestParams extends TreeParams {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /** Train each tree on a bootstrap sample of the rows (drawn with replacement). Default true. */
  bootstrap?: boolean;
  /**
   * Rows drawn for each bootstrap sample: a fraction in (0, 1] of the training rows,
   * or a count > 1. Needs `bootstrap`. Default: as many as there are training rows.
   */
  maxSamples?: number;
  /** Seed of the bootstrap samples and feature draws. Default: a fresh random seed. */
  seed?: number;
}

export const TREE_PARAM_KEYS = [
  "maxDepth",
  "minSamplesSplit",
  "minSamplesLeaf",
  "maxFeatures",
  "minImpurityDecrease",
  "maxLeafNodes",
] as const;
export const FOREST_PARAM_KEYS = [...TREE_PARAM_KEYS, "nEstimators", "bootstrap", "maxSamples", "seed"] as const;

const isFraction = (v: unknown): v is number => typeof v === "number" && v > 0 && v < 1;
const isCount = (v: unknown, min: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min;

/** Check the options that do not depend on the data; throws `ValueError` naming the bad value. */
export function checkTreeParams(where: string, params: TreeParams): void {
  const { maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures, minImpurityDecrease, maxLeafNodes } = params;
  if (maxDepth !== undefined && maxDepth !== Infinity && !isCount(maxDepth, 1)) {
    throw new ValueError(`${where}: maxDepth must be an integer >= 1 (or Infinity for no limit), got ${show(maxDepth)}.`);
  }
  if (minSamplesSplit !== undefined && !isCount(minSamplesSplit, 2) && !isFraction(minSamplesSplit)) {
    throw new ValueError(`${where}: minSamplesSplit must be an integer >= 2 or a fraction in (0, 1), got ${show(minSamplesSplit)}.`);
  }
  if (minSamplesLeaf !== undefined && !isCount(minSamplesLeaf, 1) && !isFraction(minSamplesLeaf)) {
    throw new ValueError(`${where}: minSamplesLeaf must be an integer >= 1 or a fraction in (0, 1), got ${show(minSamplesLeaf)}.`);
  }
  if (maxFeatures !== undefined) featureCount(where, maxFeatures, Number.MAX_SAFE_INTEGER);
  if (
    minImpurityDecrease !== undefined &&
    !(typeof minImpurityDecrease === "number" && minImpurityDecrease >= 0 && Number.isFinite(minImpurityDecrease))
  ) {
    throw new ValueError(`${where}: minImpurityDecrease must be a finite number >= 0, got ${show(minImpurityDecrease)}.`);
  }
  if (maxLeafNodes !== undefined && maxLeafNodes !== Infinity && !isCount(maxLeafNodes, 2)) {
    throw new ValueError(`${where}: maxLeafNodes must be an integer >= 2 (or Infinity for no limit), got ${show(maxLeafNodes)}.`);
  }
}

/** Check forest options; throws `ValueError` naming the bad value. */
export function checkForestParams(where: string, params: ForestParams): void {
  checkTreeParams(where, params);
  const { nEstimators, bootstrap, maxSamples, seed } = params;
  if (nEstimators !== undefined && !isCount(nEstimators, 1))
    throw new ValueError(`${where}: nEstimators must be an integer >= 1, got ${show(nEstimators)}.`);
  if (bootstrap !== undefined && typeof bootstrap !== "boolean")
    throw new ValueError(`${where}: bootstrap must be true or false, got ${show(bootstrap)}.`);
  if (maxSamples !== undefined) {
    if (bootstrap === false)
      throw new ValueError(`${where}: maxSamples=${show(maxSamples)} needs bootstrap: true (without bootstrap every tree sees every row).`);
    if (!(typeof maxSamples === "number" && maxSamples > 0 && (maxSamples <= 1 || Number.isInteger(maxSamples)))) {
      throw new ValueError(`${where}: maxSamples must be a fraction in (0, 1] or a count > 1, got ${show(maxSamples)}.`);
    }
  }
  if (seed !== undefined && !Number.isInteger(seed)) throw new ValueError(`${where}: seed must be an integer, got ${show(seed)}.`);
}

/** The number of features a split looks at, out of `width`. */
export function featureCount(where: string, maxFeatures: MaxFeatures, width: number): number {
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(width)));
  if (maxFeatures === "log2") return Math.max(1, Math.floor(Math.log2(width)));
  if (typeof maxFeatures === "number" && maxFeatures > 0 && maxFeatures <= 1) return Math.max(1, Math.floor(maxFeatures * width));
  if (isCount(maxFeatures, 2)) {
    if (maxFeatures > width)
      throw new ValueError(
        `${where}: maxFeatures=${maxFeatures} exceeds the ${width} features of X; pass at most ${width}, or a fraction.`,
      );
    return maxFeatures;
  }
  throw new ValueError(`${where}: maxFeatures must be "sqrt", "log2", a fraction in (0, 1] or a count > 1, got ${show(maxFeatures)}.`);
}

/** Resolve the options against the training data's n rows and d features. */
export function growOptions(
  where: string,
  params: TreeParams,
  criterion: Criterion,
  n: number,
  d: number,
  defaultMaxFeatures: MaxFeatures,
): GrowOptions {
  const minSamplesLeaf =
    params.minSamplesLeaf === undefined
      ? 1
      : isFraction(params.minSamplesLeaf)
        ? Math.ceil(params.minSamplesLeaf * n)
        : params.minSamplesLeaf;
  let minSamplesSplit =
    params.minSamplesSplit === undefined
      ? 2
      : isFraction(params.minSamplesSplit)
        ? Math.ceil(params.minSamplesSplit * n)
        : params.minSamplesSplit;
  minSamplesSplit = Math.max(2, minSamplesSplit, 2 * minSamplesLeaf);
  return {
    criterion,
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit,
    minSamplesLeaf,
    maxFeatures: featureCount(where, params.maxFeatures ?? defaultMaxFeatures, d),
    minImpurityDecrease: params.minImpurityDecrease ?? 0,
    maxLeafNodes: params.maxLeafNodes ?? Infinity,
  };
}

/** Rows drawn for each bootstrap sample, out of n. */
export function bootstrapDraws(where: string, maxSamples: number | undefined, n: number): number {
  if (maxSamples === undefined) return n;
  if (maxSamples <= 1) return Math.max(1, Math.round(maxSamples * n));
  if (maxSamples > n)
    throw new ValueError(`${where}: maxSamples=${maxSamples} exceeds the ${n} training rows; pass at most ${n}, or a fraction.`);
  return maxSamples;
}
