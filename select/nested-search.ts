/**
 * The search a nested cross-validation tunes: a function of the trial that suggests
 * parameters and returns the estimator factory they define, so the same function samples
 * configurations (inner studies), rebuilds the chosen one (`FixedTrial`), and tells the
 * estimator's kind before anything runs (a probe).
 */
import { show, ValueError } from "../core/errors.js";
import type { ParamValue } from "../core/records.js";
import type { Estimator } from "../learn/estimator.js";
import type { Label } from "../learn/labels.js";
import { CategoricalDistribution, type Distribution } from "../tune/distributions.js";
import { DistributionSuggester, type SuggestingTrial } from "../tune/suggesting-trial.js";

/**
 * What `nestedCrossValidate` tunes:
 * ```ts
 * const search = {
 *   space: (trial) => {
 *     const k = trial.suggestInt("k", 1, 30);
 *     return () => new KNNClassifier({ k });
 *   },
 * };
 * ```
 */
export interface NestedSearch<Y extends Label = Label> {
  /**
   * Suggests the parameters on `trial` and returns a factory of fresh, unfitted estimators
   * built with them (each fold fits its own). Called once per inner trial (a `Trial`), once
   * per outer fold with a `FixedTrial` of the chosen parameters (the refit), and once before
   * the run with a probe that takes each range's low end or first choice, to learn the
   * estimator's kind (a classifier gets stratified folds). Suggest only: reports and
   * pruning are done by the cross-validation.
   */
  space: (trial: SuggestingTrial) => () => Estimator<Y>;
}

/** The search, checked: an object with a `space` function. */
export function checkSearch<Y extends Label>(where: string, search: NestedSearch<Y>): NestedSearch<Y> {
  if (typeof search === "function") {
    throw new ValueError(`${where}: search must be an object { space }, got a function; pass { space: ${show(search)} }.`);
  }
  if (search === null || typeof search !== "object" || typeof search.space !== "function") {
    throw new ValueError(
      `${where}: search must be { space: (trial) => () => estimator }, a function that suggests parameters and returns an estimator factory; got ${show(search)}.`,
    );
  }
  const unknown = Object.keys(search).filter((key) => key !== "space");
  if (unknown.length > 0) throw new ValueError(`${where}: search has unknown key ${show(unknown[0])}; it takes { space } only.`);
  return search;
}

/** The estimator factory `space` returned for `trial`, checked. */
export function factoryOf<Y extends Label>(where: string, search: NestedSearch<Y>, trial: SuggestingTrial): () => Estimator<Y> {
  const made: unknown = search.space(trial);
  if (typeof made === "function") return made as () => Estimator<Y>;
  const isEstimator = made !== null && typeof made === "object" && typeof (made as { fit?: unknown }).fit === "function";
  throw new ValueError(
    isEstimator
      ? `${where}: search.space returned an estimator; return a factory instead, () => new Model({ ... }), so each fold fits a fresh one.`
      : `${where}: search.space must return a function that builds a fresh estimator, e.g. () => new KNNClassifier({ k }), got ${show(made)}.`,
  );
}

/**
 * A trial that takes each range's low end and each list's first choice, checking the
 * ranges as a real trial would: enough to build one estimator and read its kind.
 */
export class ProbeTrial extends DistributionSuggester {
  protected override suggest(_name: string, distribution: Distribution): ParamValue {
    return distribution instanceof CategoricalDistribution ? distribution.choices[0] : distribution.low;
  }
}
