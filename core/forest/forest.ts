/**
 * Random forests over the tree engine: each tree grown on its own bootstrap sample
 * (row counts as weights, so a row drawn twice weighs twice), with the features
 * drawn anew at every split. Classification forests average the trees' class
 * shares (soft voting), regression forests their predictions, as scikit-learn.
 */
import type { Rng } from "../rng.js";
import type { PreparedData } from "./data.js";
import { type GrowOptions, TreeGrower } from "./grow.js";
import type { Tree } from "./tree.js";

export interface BaggingOptions {
  nEstimators: number;
  /** Grow each tree on a bootstrap sample; false: every tree on every row once. */
  bootstrap: boolean;
  /** Rows drawn (with replacement) for each bootstrap sample. */
  draws: number;
}

/**
 * Grow the trees one after another. Each tree takes its own generator forked from
 * `rng`, which draws its bootstrap sample and its split features.
 */
export function growForest(data: PreparedData, grow: GrowOptions, bagging: BaggingOptions, rng: Rng): Tree[] {
  const grower = new TreeGrower(data);
  const trees: Tree[] = [];
  const n = data.n;
  const weights = new Float64Array(n);
  for (let t = 0; t < bagging.nEstimators; t++) {
    const treeRng = rng.fork();
    if (bagging.bootstrap) {
      weights.fill(0);
      for (let j = 0; j < bagging.draws; j++) weights[Math.floor(treeRng.random() * n)]++;
      trees.push(grower.grow(weights, grow, treeRng));
    } else trees.push(grower.grow(null, grow, treeRng));
  }
  return trees;
}

/** Class shares of one row, averaged over the trees (each tree's leaf normalised first). */
export function forestProba(trees: readonly Tree[], row: ArrayLike<number>, nClasses: number): number[] {
  const shares = new Array<number>(nClasses).fill(0);
  const scale = 1 / trees.length;
  for (const tree of trees) tree.addProba(row, shares, scale);
  return shares;
}

/** Mean of the trees' predictions for one row. */
export function forestValue(trees: readonly Tree[], row: ArrayLike<number>): number {
  let sum = 0;
  for (const tree of trees) sum += tree.predictValue(row);
  return sum / trees.length;
}

/**
 * Mean decrease in impurity of each of d features (scikit-learn's
 * `feature_importances_`): per tree, each feature's share of the tree's total
 * weighted impurity decrease; averaged over the trees that split at all, then
 * normalised to sum to 1 (all 0 when no tree splits).
 */
export function impurityImportances(trees: readonly Tree[], d: number): number[] {
  const mean = new Float64Array(d);
  for (const tree of trees) {
    const sums = new Float64Array(d);
    let total = 0;
    for (let node = 0; node < tree.nodeCount; node++) {
      const f = tree.feature[node];
      if (f < 0) continue;
      sums[f] += tree.decrease[node];
      total += tree.decrease[node];
    }
    if (total > 0) for (let f = 0; f < d; f++) mean[f] += sums[f] / total;
  }
  let sum = 0;
  for (let f = 0; f < d; f++) sum += mean[f];
  return Array.from(mean, (v) => (sum > 0 ? v / sum : 0));
}
