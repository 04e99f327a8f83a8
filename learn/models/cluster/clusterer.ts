/**
 * The clustering contract. A clusterer learns from X alone: `fit(X, y?)` ignores y,
 * so the code that fits supervised models (pipelines, cross-validation) can pass it.
 * `fitPredict(X)` labels the rows it is fitted on with cluster numbers 0, 1, …
 * (DBSCAN's noise is −1). Models with centres (KMeans, MiniBatchKMeans) also
 * `predict` new rows; the others label only the rows they were fitted on, and their
 * `predict` says to call `fitPredict` instead.
 */
import { ValueError } from "../../../core/errors.js";
import { type Features, NotFittedError } from "../../estimator.js";

export interface Clusterer {
  readonly kind: "clusterer";
  /** The cluster of each row seen by the last `fit`, or undefined before it. */
  readonly labels: readonly number[] | undefined;
  /** Learn the clusters of the rows of X; y is accepted and ignored. */
  fit(X: Features, y?: readonly unknown[]): void;
  /** The cluster of each new row (a ValueError for models that cannot label new rows). */
  predict(X: Features): number[];
  /** `fit(X)`, then the cluster of each of its rows. */
  fitPredict(X: Features, y?: readonly unknown[]): number[];
}

/** The fitted state, or a NotFittedError naming the call. */
export function fittedClusters<T>(where: string, state: T | undefined): T {
  if (state === undefined) throw new NotFittedError(`${where}: this model is not fitted yet; call fit(X) first.`);
  return state;
}

/** A ValueError for more clusters than rows, naming both numbers and the option (`nClusters`, or GaussianMixture's `nComponents`). */
export function checkClustersFitRows(where: string, nClusters: number, nRows: number, option = "nClusters"): void {
  if (nClusters > nRows) {
    throw new ValueError(
      `${where}: ${option}=${nClusters} clusters cannot be made from ${nRows} row${nRows === 1 ? "" : "s"} of X; ` +
        `use ${option} <= ${nRows}, or pass more rows.`,
    );
  }
}

/** The `predict` of a model that labels only the rows it is fitted on. */
export function noPredict(model: string): never {
  throw new ValueError(
    `${model}.predict: ${model} labels only the rows it is fitted on and has no rule for new rows; ` +
      `call fitPredict(X) (or fit(X) and read labels) instead.`,
  );
}
