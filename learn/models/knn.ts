import KNN from "ml-knn";
import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import {
  argmax,
  ClassEncoder,
  checkFeatures,
  checkRegressionTarget,
  checkTraining,
  copyRows,
  type Estimator,
  type Features,
  fitted,
} from "../estimator.js";
import type { Label } from "../labels.js";

export interface KNNOptions {
  /** Number of neighbours that vote (or are averaged). Default 5. */
  k?: number;
}

function checkK(where: string, k: unknown): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) throw new ValueError(`${where}: k must be an integer >= 1, got ${show(k)}.`);
  return k;
}

function buildIndex(where: string, X: Features, targets: number[], k: number): KNN {
  if (k > X.length) {
    throw new ValueError(`${where}: k=${k} neighbours requested but only ${X.length} training rows; use k <= ${X.length}.`);
  }
  return new KNN(copyRows(X), targets, { k });
}

/**
 * k-nearest-neighbours classifier (Euclidean) on ml-knn's k-d tree. The
 * neighbours vote with equal weight; `predictProba` is the vote share, and a
 * tied vote goes to the smallest class, as in scikit-learn.
 */
export class KNNClassifier implements Estimator {
  readonly kind = "classifier";
  readonly k: number;
  private state?: { index: KNN; encoder: ClassEncoder; width: number };

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
    this.state = { index: buildIndex(where, X, encoder.encode(y), this.k), encoder, width };
  }

  predictProba(X: Features): number[][] {
    const { index, encoder, width } = fitted("KNNClassifier.predictProba", this.state);
    checkFeatures("KNNClassifier.predictProba", X, width);
    const classes = encoder.classes.length;
    return X.map((row) => {
      const votes = new Array<number>(classes).fill(0);
      const neighbours = index.kdTree.nearest([...row], this.k);
      for (const [point] of neighbours) votes[point[width]]++;
      return votes.map((v) => v / neighbours.length);
    });
  }

  predict(X: Features): Label[] {
    const { encoder } = fitted("KNNClassifier.predict", this.state);
    return encoder.decode(this.predictProba(X).map(argmax));
  }
}

/** k-nearest-neighbours regressor: the mean target of the k nearest rows (ml-knn's k-d tree). */
export class KNNRegressor implements Estimator<number> {
  readonly kind = "regressor";
  readonly k: number;
  private state?: { index: KNN; width: number };

  constructor(options: KNNOptions = {}) {
    checkOptionKeys("KNNRegressor", options, ["k"]);
    this.k = checkK("KNNRegressor", options.k ?? 5);
  }

  fit(X: Features, y: readonly number[]): void {
    const where = "KNNRegressor.fit";
    const width = checkTraining(where, X, y);
    checkRegressionTarget(where, y);
    this.state = { index: buildIndex(where, X, [...y], this.k), width };
  }

  predict(X: Features): number[] {
    const { index, width } = fitted("KNNRegressor.predict", this.state);
    checkFeatures("KNNRegressor.predict", X, width);
    return X.map((row) => {
      const neighbours = index.kdTree.nearest([...row], this.k);
      return neighbours.reduce((acc, [point]) => acc + point[width], 0) / neighbours.length;
    });
  }
}
