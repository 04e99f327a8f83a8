/**
 * The one model contract: `fit(X, y)`, `predict(X)`, and for classifiers
 * `predictProba(X)` with one column per class in the order of `classes`.
 * Clusterers (kind "clusterer") keep it too, with y optional: see `Clusterer`.
 * A factory of hyperparameters → Estimator is what a tuning cell tunes.
 */
import { show, ValueError } from "../core/errors.js";
import { type Label, labelIndex, uniqueLabels } from "./labels.js";
import type { Clusterer } from "./models/cluster/clusterer.js";

export type { Label } from "./labels.js";

/** Rows of numeric features. */
export type Features = readonly (readonly number[])[];

/** What an estimator learns: classes, values, or clusters of X alone. */
export type EstimatorKind = "classifier" | "regressor" | "clusterer";

export interface Estimator<Y extends Label = Label> {
  /**
   * "classifier", "regressor" or "clusterer": decides the folds (stratified for a
   * classifier) and the default scoring (accuracy, r2, silhouette).
   */
  readonly kind?: EstimatorKind;
  /** A fitted classifier's sorted classes: the column order of `predictProba`. */
  readonly classes?: readonly Label[];
  /** Learn from the rows of X and their targets; may be async (TensorFlow.js models). */
  fit(X: Features, y: readonly Y[]): void | Promise<void>;
  predict(X: Features): Y[];
  predictProba?(X: Features): number[][];
}

/** Whether `model` keeps the clusterer contract: kind "clusterer" and a `fitPredict`. */
export function isClusterer(model: unknown): model is Clusterer {
  return (
    typeof model === "object" &&
    model !== null &&
    (model as { kind?: unknown }).kind === "clusterer" &&
    typeof (model as { fitPredict?: unknown }).fitPredict === "function"
  );
}

/** A user error: predict before fit. */
export class NotFittedError extends ValueError {}

/** Check X is a non-empty rectangular matrix of finite numbers; return its width. */
export function checkFeatures(where: string, X: Features, expectedWidth?: number): number {
  if (!Array.isArray(X)) throw new ValueError(`${where}: X must be an array of rows (number[][]), got ${show(X)}.`);
  if (X.length === 0) throw new ValueError(`${where}: X has no rows.`);
  const width = expectedWidth ?? (Array.isArray(X[0]) ? X[0].length : -1);
  if (width === 0) throw new ValueError(`${where}: X has no columns.`);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (!Array.isArray(row)) throw new ValueError(`${where}: X[${i}] is not an array of numbers: ${show(row)}.`);
    if (row.length !== width) {
      throw new ValueError(
        expectedWidth === undefined
          ? `${where}: X[${i}] has ${row.length} features but X[0] has ${width}; every row needs the same columns.`
          : `${where}: X[${i}] has ${row.length} features but the model was fitted on ${width}.`,
      );
    }
    for (let j = 0; j < width; j++) {
      const value = row[j];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new ValueError(
          `${where}: X[${i}][${j}] = ${show(value)} is not a finite number` +
            (value == null || Number.isNaN(value) ? "; fill missing values first, e.g. with SimpleImputer in a pipeline." : "."),
        );
      }
    }
  }
  return width;
}

/** Check X and y together: rows match, y has no missing values. */
export function checkTraining(where: string, X: Features, y: readonly unknown[]): number {
  const width = checkFeatures(where, X);
  if (!Array.isArray(y)) throw new ValueError(`${where}: y must be an array, got ${show(y)}.`);
  if (y.length !== X.length) {
    throw new ValueError(`${where}: X has ${X.length} rows but y has ${y.length} values; pass one target per row.`);
  }
  return width;
}

/** Regression targets: finite numbers. */
export function checkRegressionTarget(where: string, y: readonly unknown[]): asserts y is readonly number[] {
  y.forEach((value, i) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new ValueError(`${where}: y[${i}] = ${show(value)} is not a finite number; a regressor needs numeric targets.`);
    }
  });
}

/** Class labels ↔ 0..k-1 codes, for libraries that want integer classes. */
export class ClassEncoder {
  readonly classes: Label[];
  private readonly index: Map<Label, number>;

  constructor(where: string, y: readonly Label[], minClasses = 2) {
    this.classes = uniqueLabels(where, y);
    if (this.classes.length < minClasses) {
      throw new ValueError(
        `${where}: y has ${this.classes.length} class${this.classes.length === 1 ? "" : "es"} (${show(this.classes)}); ` +
          `a classifier needs at least ${minClasses}.`,
      );
    }
    this.index = labelIndex(this.classes);
  }

  encode(y: readonly Label[]): number[] {
    return y.map((label) => this.index.get(label)!);
  }

  decode(codes: readonly number[]): Label[] {
    return codes.map((code) => this.classes[code]);
  }
}

/** The model state, or a NotFittedError naming the model. */
export function fitted<T>(where: string, state: T | undefined): T {
  if (state === undefined) throw new NotFittedError(`${where}: this model is not fitted yet; call fit(X, y) before predicting.`);
  return state;
}

/** Index of the largest value (the first on ties, like numpy's argmax). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Copy rows into mutable arrays (the ml.js libraries may keep references). */
export function copyRows(X: Features): number[][] {
  return X.map((row) => row.slice());
}
