import { type GrowOptions, growTree as growCoreTree, type PreparedData, prepareData, Tree } from "../../../core/forest/index.js";
import type { Rng } from "../../../core/rng.js";

/**
 * The regression trees the functional ANOVA reads, grown by the project's one tree
 * engine (core/forest): squared error, scikit-learn's split search, and native
 * categorical splits (the categories present in a node ordered by mean target and
 * split as a prefix of that order, mirror-symmetric in the sign of the target).
 */

/** Training data, one column per feature. */
export interface TreeData {
  n: number;
  columns: Float64Array[];
  /** Number of categories of each feature (values 0..k-1); 0 for a numeric feature. */
  categories: Int32Array;
  y: Float64Array;
}

export interface TreeOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features looked at per split (at most the number of features). */
  maxFeatures: number;
}

/** A regression tree: the engine's `Tree` with one output, the mean target of each node. */
export class RegressionTree extends Tree {
  constructor(
    nodeCount: number,
    feature: Int32Array,
    threshold: Float64Array,
    left: Int32Array,
    right: Int32Array,
    value: Float64Array,
    weight: Float64Array,
    decrease: Float64Array,
    categoryOffset: Int32Array,
    goesLeft: Uint8Array,
    samples: Int32Array = new Int32Array(nodeCount),
    impurity: Float64Array = new Float64Array(nodeCount),
  ) {
    super(nodeCount, 1, feature, threshold, left, right, value, weight, samples, impurity, decrease, categoryOffset, goesLeft);
  }

  /** The same arrays, seen as a regression tree. */
  static of(tree: Tree): RegressionTree {
    const t = tree;
    return new RegressionTree(
      t.nodeCount,
      t.feature,
      t.threshold,
      t.left,
      t.right,
      t.value,
      t.weight,
      t.decrease,
      t.categoryOffset,
      t.goesLeft,
      t.samples,
      t.impurity,
    );
  }

  /** The prediction for one sample (values indexed by feature). */
  predict(x: ArrayLike<number>): number {
    return this.predictValue(x);
  }
}

/** The data ranked once per forest (every tree of it reuses the ranks). */
export function presort(data: TreeData): PreparedData {
  return prepareData({ n: data.n, columns: data.columns, categories: data.categories, target: { kind: "regression", y: data.y } });
}

/** Grow one tree on the samples of `data` with a positive weight (bootstrap counts); `prepared` is `presort(data)`. */
export function growTree(_data: TreeData, prepared: PreparedData, weights: Float64Array, options: TreeOptions, rng: Rng): RegressionTree {
  return RegressionTree.of(growCoreTree(prepared, weights, regressionOptions(options), rng));
}

/** The engine's growth options for a fANOVA regression tree. */
export function regressionOptions(options: TreeOptions): GrowOptions {
  return {
    criterion: "squared_error" as const,
    maxDepth: options.maxDepth,
    minSamplesSplit: options.minSamplesSplit,
    minSamplesLeaf: options.minSamplesLeaf,
    maxFeatures: options.maxFeatures,
    minImpurityDecrease: 0,
    maxLeafNodes: Infinity,
  };
}
