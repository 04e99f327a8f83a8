/** Options and data plumbing shared by the decision-tree and random-forest adapters over core/forest. */
import { checkOptionKeys, ValueError } from "../../core/errors.js";
import { TREE_PARAM_KEYS, type TreeParams } from "../../core/forest/index.js";
import type { Features } from "../estimator.js";

/** scikit-learn's tree options in camelCase, with its defaults (see `TreeParams`). */
export type TreeOptions = TreeParams;

/** Split quality of a classification tree: Gini impurity (default) or entropy (information gain). */
export type ClassificationCriterion = "gini" | "entropy";

export const TREE_OPTION_KEYS = TREE_PARAM_KEYS;

/** Options an earlier version took, with what replaced them. */
const REMOVED = new Map<string, string>([
  [
    "minGain",
    "minGain (ml-cart's gain threshold) was removed; use minImpurityDecrease, scikit-learn's min_impurity_decrease " +
      "(the weighted impurity decrease a split must reach, as a share of all rows; default 0).",
  ],
]);

/** Reject unknown option keys (naming the closest known one) and removed ones (naming their replacement). */
export function checkTreeOptionKeys(where: string, options: object | undefined, known: readonly string[]): void {
  if (options != null && typeof options === "object") {
    for (const key of Object.keys(options)) {
      const replaced = REMOVED.get(key);
      if (replaced !== undefined) throw new ValueError(`${where}: ${replaced}`);
    }
  }
  checkOptionKeys(where, options, known);
}

export function checkCriterion(where: string, criterion: unknown): ClassificationCriterion {
  if (criterion === undefined) return "gini";
  if (criterion === "gini" || criterion === "entropy") return criterion;
  throw new ValueError(`${where}: criterion must be "gini" or "entropy", got ${JSON.stringify(criterion)}.`);
}

/** The rows of X as one typed array per feature, as the tree engine takes them. */
export function featureColumns(X: Features, width: number): Float64Array[] {
  const n = X.length;
  const columns = Array.from({ length: width }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = X[i];
    for (let f = 0; f < width; f++) columns[f][i] = row[f];
  }
  return columns;
}
