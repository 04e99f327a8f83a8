/**
 * A chain of preprocessing steps ending in an estimator, itself an estimator:
 * `fit` fits each step on the output of the previous one, so under
 * cross-validation every statistic comes from the training fold alone.
 */
import { show, ValueError } from "../core/errors.js";
import type { Estimator, Features } from "./estimator.js";
import type { Label } from "./labels.js";
import type { MaybeNumber, RawFeatures, Transformer } from "./preprocessing.js";

export class Pipeline<Y extends Label = Label> implements Estimator<Y> {
  readonly steps: readonly Transformer[];
  readonly estimator: Estimator<Y>;
  /** Present when the final estimator has `predictProba`. */
  readonly predictProba?: (X: RawFeatures) => number[][];

  constructor(steps: readonly Transformer[], estimator: Estimator<Y>) {
    steps.forEach((step, i) => {
      if (!step || typeof step.fit !== "function" || typeof step.transform !== "function") {
        throw new ValueError(`Pipeline: step ${i} is not a transformer with fit and transform: ${show(step)}.`);
      }
    });
    if (!estimator || typeof estimator.fit !== "function" || typeof estimator.predict !== "function") {
      throw new ValueError(`Pipeline: the last step must be an estimator with fit and predict, got ${show(estimator)}.`);
    }
    this.steps = [...steps];
    this.estimator = estimator;
    if (typeof estimator.predictProba === "function") {
      this.predictProba = (X) => estimator.predictProba!(this.transform(X));
    }
  }

  get kind(): "classifier" | "regressor" | undefined {
    return this.estimator.kind;
  }

  get classes(): readonly Label[] | undefined {
    return this.estimator.classes;
  }

  /** Apply the fitted steps (not the estimator). */
  transform(X: RawFeatures): Features {
    let current: RawFeatures = X;
    for (const step of this.steps) current = step.transform(current);
    return current as Features;
  }

  fit(X: RawFeatures, y: readonly Y[]): void | Promise<void> {
    let current: readonly (readonly MaybeNumber[])[] = X;
    for (const step of this.steps) {
      step.fit(current, y);
      current = step.transform(current);
    }
    return this.estimator.fit(current as Features, y);
  }

  predict(X: RawFeatures): Y[] {
    return this.estimator.predict(this.transform(X));
  }
}

/** `makePipeline(new SimpleImputer(), new StandardScaler(), new KNNClassifier({ k: 5 }))`. */
export function makePipeline<Y extends Label = Label>(...steps: [...Transformer[], Estimator<Y>]): Pipeline<Y> {
  if (steps.length === 0) throw new ValueError("makePipeline: give at least the final estimator.");
  const estimator = steps[steps.length - 1] as Estimator<Y>;
  return new Pipeline(steps.slice(0, -1) as Transformer[], estimator);
}
