import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import {
  argmax,
  ClassEncoder,
  checkFeatures,
  checkRegressionTarget,
  checkTraining,
  type Estimator,
  type Features,
  fitted,
} from "../estimator.js";
import type { Label } from "../labels.js";
import { NeighbourSearch } from "./knn-search.js";
import { encoderOf, type ModelJSON, modelJSON, readModelJSON } from "./serial.js";

export interface KNNOptions {
  /** Number of neighbours that vote (or are averaged). Default 5. */
  k?: number;
}

function checkK(where: string, k: unknown): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) throw new ValueError(`${where}: k must be an integer >= 1, got ${show(k)}.`);
  return k;
}

function buildIndex(where: string, X: Features, k: number): NeighbourSearch {
  if (k > X.length) {
    throw new ValueError(`${where}: k=${k} neighbours requested but only ${X.length} training rows; use k <= ${X.length}.`);
  }
  return new NeighbourSearch(X);
}

/**
 * k-nearest-neighbours classifier (Euclidean, exhaustive search). The neighbours
 * vote with equal weight; `predictProba` is the vote share, and a tied vote goes
 * to the smallest class, as in scikit-learn. Among rows equally far from a query,
 * the neighbours are those scikit-learn's brute-force search keeps (`knn-search.ts`).
 */
export class KNNClassifier implements Estimator {
  readonly kind = "classifier";
  readonly k: number;
  private state?: { index: NeighbourSearch; targets: Int32Array; encoder: ClassEncoder; width: number };

  constructor(options: KNNOptions = {}) {
    checkOptionKeys("KNNClassifier", options, ["k"]);
    this.k = checkK("KNNClassifier", options.k ?? 5);
  }

  get classes(): readonly Label[] | undefined {
    return this.state?.encoder.classes;
  }

  fit(X: Features, y: readonly Label[]): void {
    const where = "KNNClassifier.fit";
    const width = checkTraining(where, X, y);
    const encoder = new ClassEncoder(where, y, 1);
    this.state = { index: buildIndex(where, X, this.k), targets: Int32Array.from(encoder.encode(y)), encoder, width };
  }

  predictProba(X: Features): number[][] {
    const { index, targets, encoder, width } = fitted("KNNClassifier.predictProba", this.state);
    checkFeatures("KNNClassifier.predictProba", X, width);
    const classes = encoder.classes.length;
    const k = this.k;
    const neighbours = index.kNearest(X, k);
    return X.map((_, i) => {
      const votes = new Array<number>(classes).fill(0);
      for (let n = i * k; n < (i + 1) * k; n++) votes[targets[neighbours[n]]]++;
      return votes.map((v) => v / k);
    });
  }

  predict(X: Features): Label[] {
    const { encoder } = fitted("KNNClassifier.predict", this.state);
    return encoder.decode(this.predictProba(X).map(argmax));
  }

  /** k and, once fitted, the training rows and their classes, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { state } = this;
    return modelJSON(
      "KNNClassifier",
      { k: this.k },
      state && { rows: state.index.trainingRows(), targets: state.targets, classes: state.encoder.classes, width: state.width },
    );
  }

  static fromJSON(json: unknown): KNNClassifier {
    const { params, state } = readModelJSON<KNNOptions, { rows: number[][]; targets: Int32Array; classes: Label[]; width: number }>(
      "KNNClassifier",
      json,
    );
    const model = new KNNClassifier(params);
    if (state) {
      const encoder = encoderOf("KNNClassifier.fromJSON", state.classes);
      model.state = { index: new NeighbourSearch(state.rows), targets: state.targets, encoder, width: state.width };
    }
    return model;
  }
}

/** k-nearest-neighbours regressor: the mean target of the k nearest rows (Euclidean, exhaustive search). */
export class KNNRegressor implements Estimator<number> {
  readonly kind = "regressor";
  readonly k: number;
  private state?: { index: NeighbourSearch; targets: Float64Array; width: number };

  constructor(options: KNNOptions = {}) {
    checkOptionKeys("KNNRegressor", options, ["k"]);
    this.k = checkK("KNNRegressor", options.k ?? 5);
  }

  fit(X: Features, y: readonly number[]): void {
    const where = "KNNRegressor.fit";
    const width = checkTraining(where, X, y);
    checkRegressionTarget(where, y);
    this.state = { index: buildIndex(where, X, this.k), targets: Float64Array.from(y), width };
  }

  predict(X: Features): number[] {
    const { index, targets, width } = fitted("KNNRegressor.predict", this.state);
    checkFeatures("KNNRegressor.predict", X, width);
    const k = this.k;
    const neighbours = index.kNearest(X, k);
    return X.map((_, i) => {
      let sum = 0;
      for (let n = i * k; n < (i + 1) * k; n++) sum += targets[neighbours[n]];
      return sum / k;
    });
  }

  /** k and, once fitted, the training rows and targets, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { state } = this;
    return modelJSON(
      "KNNRegressor",
      { k: this.k },
      state && { rows: state.index.trainingRows(), targets: state.targets, width: state.width },
    );
  }

  static fromJSON(json: unknown): KNNRegressor {
    const { params, state } = readModelJSON<KNNOptions, { rows: number[][]; targets: Float64Array; width: number }>("KNNRegressor", json);
    const model = new KNNRegressor(params);
    if (state) model.state = { index: new NeighbourSearch(state.rows), targets: state.targets, width: state.width };
    return model;
  }
}
