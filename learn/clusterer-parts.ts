/**
 * What evaluation needs to know of a clusterer, or of a pipeline ending in one:
 * its final step, the rows that step sees, whether it labels new rows, and a
 * short description naming its parameters for error messages.
 */
import { show } from "../core/errors.js";
import { type Estimator, type Features, NotFittedError } from "./estimator.js";
import type { Label } from "./labels.js";
import { Pipeline } from "./pipeline.js";
import type { RawFeatures } from "./preprocessing.js";

/** The last estimator of nested pipelines (the model itself when it is no pipeline). */
export function finalStep(model: Estimator<Label>): Estimator<Label> {
  let current = model;
  while (current instanceof Pipeline) current = current.estimator;
  return current;
}

/** The rows of X as the final step of a fitted model sees them: through every pipeline's fitted steps. */
export function rowsSeenByFinalStep(model: Estimator<Label>, X: RawFeatures): Features {
  let current: RawFeatures = X;
  for (let step: Estimator<Label> = model; step instanceof Pipeline; step = step.estimator) current = step.transform(current);
  return current as Features;
}

/**
 * Whether the final step of a fresh (unfitted) model can label rows it was not
 * fitted on: its predict asks to be fitted first, rather than refusing outright.
 */
export function labelsNewRows(model: Estimator<Label>, row: readonly number[]): boolean {
  try {
    finalStep(model).predict([row]);
    return true;
  } catch (error) {
    return error instanceof NotFittedError;
  }
}

/** e.g. `DBSCAN(eps=0.5, minSamples=5, metric="euclidean")`, `Pipeline(StandardScaler(…), KMeans(nClusters=3, …))`. */
export function describeModel(model: object): string {
  if (model instanceof Pipeline) return `Pipeline(${[...model.steps, model.estimator].map(describeModel).join(", ")})`;
  const name = typeof model.constructor === "function" && model.constructor.name ? model.constructor.name : "model";
  const params = Object.entries(model)
    .filter(
      ([key, value]) => key !== "kind" && key !== "name" && (value === null || ["number", "string", "boolean"].includes(typeof value)),
    )
    .map(([key, value]) => `${key}=${show(value)}`);
  return `${name}(${params.join(", ")})`;
}
