import { loadArrays } from "../../../learn/datasets.js";
import type { Label } from "../../../learn/labels.js";
import { DecisionTreeClassifier } from "../../../learn/models/decision-tree.js";
import { GaussianNB } from "../../../learn/models/gaussian-nb.js";
import { KNNClassifier } from "../../../learn/models/knn.js";
import { KFold } from "../../../learn/splitters/index.js";
import { type NestedCrossValidateResult, nestedCrossValidate } from "../../../select/nested-cv.js";
import type { NestedCrossValidateOptions } from "../../../select/nested-options.js";
import type { NestedSearch } from "../../../select/nested-search.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { setVerbosity } from "../../../tune/log.js";

/**
 * Nested cross-validation runs on iris, logged by `nestedCrossValidate` into one
 * experiment: three algorithms on the same outer folds (an integer, a categorical with an
 * integer, a float on a log scale) and one more on other outer folds, which cannot pair.
 */

setVerbosity("silent");

export const NESTED_EXPERIMENT = "iris-nested";

export interface NestedFixture {
  /** The runs on 5 stratified outer folds, in the order they were logged. */
  knn: NestedCrossValidateResult;
  tree: NestedCrossValidateResult;
  nb: NestedCrossValidateResult;
  /** Naive Bayes on 5 unshuffled KFold outer folds: other test rows. */
  otherFolds: NestedCrossValidateResult;
}

export const SEARCHES = {
  knn: {
    space: (t) => {
      const k = t.suggestInt("k", 1, 30);
      return () => new KNNClassifier({ k });
    },
  },
  tree: {
    space: (t) => {
      const criterion = t.suggestCategorical("criterion", ["gini", "entropy"]);
      const maxDepth = t.suggestInt("maxDepth", 1, 5);
      return () => new DecisionTreeClassifier({ criterion, maxDepth, seed: 0 });
    },
  },
  nb: {
    space: (t) => {
      const varSmoothing = t.suggestFloat("varSmoothing", 1e-9, 1, { log: true });
      return () => new GaussianNB({ varSmoothing });
    },
  },
} satisfies Record<string, NestedSearch<Label>>;

export const iris = loadArrays("iris");

/** One run of `search` on iris, logged into `storage` under the experiment. */
export function irisRun(
  storage: Storage,
  name: string,
  search: NestedSearch<Label>,
  options: Partial<NestedCrossValidateOptions> = {},
): Promise<NestedCrossValidateResult> {
  return nestedCrossValidate(search, iris.X, iris.y, {
    outer: 5,
    inner: 3,
    nTrials: 6,
    sampler: "random",
    seed: 1,
    storage,
    experiment: NESTED_EXPERIMENT,
    name,
    ...options,
  });
}

export async function buildNestedFixture(storage: Storage): Promise<NestedFixture> {
  const knn = await irisRun(storage, "knn", SEARCHES.knn);
  const tree = await irisRun(storage, "tree", SEARCHES.tree, { seed: 3 });
  const nb = await irisRun(storage, "nb", SEARCHES.nb, { seed: 2 });
  const otherFolds = await irisRun(storage, "nb-kfold", SEARCHES.nb, { outer: new KFold({ nSplits: 5 }), seed: 2 });
  return { knn, tree, nb, otherFolds };
}
