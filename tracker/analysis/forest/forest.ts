import type { Rng } from "../../../core/rng.js";
import { growTree, presort, type RegressionTree, type TreeData } from "./tree.js";

/** A random forest of regression trees: bootstrap resamples, all features tried per split by default (scikit-learn's regressor default). */
export interface ForestOptions {
  /** Number of trees (default 64, as Optuna's fANOVA). */
  nTrees?: number;
  /** Maximum depth of a tree (default 64). */
  maxDepth?: number;
  /** A node with fewer samples is not split (default 2). */
  minSamplesSplit?: number;
  /** Each child keeps at least this many samples (default 1). */
  minSamplesLeaf?: number;
  /** Fraction of the features tried at each split, in (0, 1] (default 1). */
  maxFeatures?: number;
  /** Grow each tree on a bootstrap resample (default true). */
  bootstrap?: boolean;
}

export function growForest(data: TreeData, options: ForestOptions, rng: Rng): RegressionTree[] {
  const nTrees = options.nTrees ?? 64;
  const d = data.columns.length;
  const treeOptions = {
    maxDepth: options.maxDepth ?? 64,
    minSamplesSplit: options.minSamplesSplit ?? 2,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    maxFeatures: Math.max(1, Math.round((options.maxFeatures ?? 1) * d)),
  };
  const sorted = presort(data);
  const trees: RegressionTree[] = [];
  const weights = new Float64Array(data.n);
  for (let t = 0; t < nTrees; t++) {
    if (options.bootstrap ?? true) {
      weights.fill(0);
      for (let j = 0; j < data.n; j++) weights[Math.floor(rng.random() * data.n)]++;
    } else weights.fill(1);
    trees.push(growTree(data, sorted, weights, treeOptions, rng));
  }
  return trees;
}
