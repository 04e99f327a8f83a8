/**
 * A chain of preprocessing steps ending in an estimator, itself an estimator:
 * `fit` fits each step on the output of the previous one, so under
 * cross-validation every statistic comes from the training fold alone. A
 * pipeline ending in a clusterer is a clusterer: `fitPredict(X)` passes X
 * through the fitted steps, and `labels` are its final clusterer's.
 */
import { show, ValueError } from "../core/errors.js";
import { type Estimator, type EstimatorKind, type Features, isClusterer } from "./estimator.js";
import type { Label } from "./labels.js";
import type { Clusterer } from "./models/cluster/clusterer.js";
import { readSaved } from "./models/kinds.js";
import { checkModelJSON, MODEL_FORMAT_VERSION, type ModelJSON, type Serializable } from "./models/serial.js";
import type { MaybeNumber, RawFeatures, Transformer } from "./preprocessing.js";

export class Pipeline<Y extends Label = Label> implements Estimator<Y> {
  readonly steps: readonly Transformer[];
  readonly estimator: Estimator<Y>;
  /** Present when the final estimator has `predictProba`. */
  readonly predictProba?: (X: RawFeatures) => number[][];
  /** Present when the final estimator is a clusterer: fit every step and the clusterer on X, and return each row's cluster. */
  readonly fitPredict?: (X: RawFeatures, y?: readonly Y[]) => number[];

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
    if (isClusterer(estimator)) {
      this.fitPredict = (X, y) => estimator.fitPredict(this.fitSteps(X, y), y);
    }
  }

  get kind(): EstimatorKind | undefined {
    return this.estimator.kind;
  }

  get classes(): readonly Label[] | undefined {
    return this.estimator.classes;
  }

  /** The final clusterer's cluster of each row of the last fit; undefined before fit or when the final step is no clusterer. */
  get labels(): readonly number[] | undefined {
    return isClusterer(this.estimator) ? this.estimator.labels : undefined;
  }

  /** Apply the fitted steps (not the estimator). */
  transform(X: RawFeatures): Features {
    let current: RawFeatures = X;
    for (const step of this.steps) current = step.transform(current);
    return current as Features;
  }

  /** y may be left out when the final step is a clusterer. */
  fit(X: RawFeatures, y?: readonly Y[]): void | Promise<void> {
    const { estimator } = this;
    if (isClusterer(estimator)) return estimator.fit(this.fitSteps(X, y), y);
    if (y === undefined) {
      throw new ValueError(
        "Pipeline.fit: y is missing; the final estimator learns from targets, so call fit(X, y). " +
          "Only a pipeline ending in a clusterer fits on X alone.",
      );
    }
    return estimator.fit(this.fitSteps(X, y), y);
  }

  predict(X: RawFeatures): Y[] {
    return this.estimator.predict(this.transform(X));
  }

  /**
   * Every step and the final estimator, each by its own `toJSON`, fitted or not:
   * `{ kind: "Pipeline", params: { steps, estimator } }`. A ValueError names a step
   * that cannot be saved.
   */
  toJSON(): ModelJSON {
    const save = (step: unknown, i: number): ModelJSON => {
      if (typeof (step as Partial<Serializable>).toJSON !== "function") {
        throw new ValueError(`Pipeline.toJSON: step ${i} (${show(step)}) has no toJSON(), so the pipeline cannot be saved.`);
      }
      return (step as Serializable).toJSON();
    };
    const steps = this.steps.map(save);
    const estimator = save(this.estimator, this.steps.length);
    return {
      kind: "Pipeline",
      version: MODEL_FORMAT_VERSION,
      params: { steps: steps as never, estimator: estimator as never },
      state: null,
    };
  }

  /** Read what `toJSON` gave; async, since a step may be a network to load. */
  static async fromJSON(json: unknown): Promise<Pipeline> {
    const where = "Pipeline.fromJSON";
    checkModelJSON(where, json);
    if (json.kind !== "Pipeline")
      throw new ValueError(`${where}: this is a saved ${show(json.kind)}, not a Pipeline; read it with modelFromJSON(json).`);
    const { steps, estimator } = json.params as { steps?: unknown; estimator?: unknown };
    if (!Array.isArray(steps)) throw new ValueError(`${where}: params.steps must be an array of saved steps, got ${show(steps)}.`);
    const read = (step: unknown) => readSaved(where, step, { Pipeline: Pipeline.fromJSON });
    const revived: unknown[] = [];
    for (const step of steps) revived.push(await read(step));
    return new Pipeline(revived as Transformer[], (await read(estimator)) as unknown as Estimator);
  }

  /** Fit each step on the output of the previous one; return what the final estimator sees. */
  private fitSteps(X: RawFeatures, y: readonly Y[] | undefined): Features {
    let current: readonly (readonly MaybeNumber[])[] = X;
    for (const step of this.steps) {
      step.fit(current, y);
      current = step.transform(current);
    }
    // Missing cells reach the estimator only if no step imputed them; its own check names them.
    return current as Features;
  }
}

/** A pipeline whose final step is a clusterer: itself a clusterer. */
export type ClusteringPipeline = Pipeline<number> & Clusterer;

/**
 * `makePipeline(new SimpleImputer(), new StandardScaler(), new KNNClassifier({ k: 5 }))`;
 * ending in a clusterer, e.g. `makePipeline(new StandardScaler(), new KMeans({ nClusters: 3 }))`,
 * it is typed as a clusterer.
 */
export function makePipeline(...steps: [...Transformer[], Clusterer]): ClusteringPipeline;
export function makePipeline<Y extends Label = Label>(...steps: [...Transformer[], Estimator<Y>]): Pipeline<Y>;
export function makePipeline<Y extends Label = Label>(...steps: [...Transformer[], Estimator<Y>]): Pipeline<Y> {
  if (steps.length === 0) throw new ValueError("makePipeline: give at least the final estimator.");
  const estimator = steps[steps.length - 1] as Estimator<Y>;
  return new Pipeline(steps.slice(0, -1) as Transformer[], estimator);
}
