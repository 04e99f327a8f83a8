import { featureCount, growForest as growCoreForest } from "../../../core/forest/index.js";
import type { Rng } from "../../../core/rng.js";
import { presort, RegressionTree, regressionOptions, type TreeData } from "./tree.js";

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

/** Grow the forest on the project's tree engine (core/forest); `rng` draws every bootstrap sample and split. */
export function growForest(data: TreeData, options: ForestOptions, rng: Rng): RegressionTree[] {
  const d = data.columns.length;
  const grow = regressionOptions({
    maxDepth: options.maxDepth ?? 64,
    minSamplesSplit: options.minSamplesSplit ?? 2,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    maxFeatures: featureCount("paramImportances", options.maxFeatures ?? 1, d),
  });
  const bagging = { nEstimators: options.nTrees ?? 64, bootstrap: options.bootstrap ?? true, draws: data.n };
  return growCoreForest(presort(data), grow, bagging, rng).map((tree) => RegressionTree.of(tree));
}
