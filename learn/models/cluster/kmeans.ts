import { checkOptionKeys, ValueError } from "../../../core/errors.js";
import type { Features } from "../../estimator.js";
import { checkPositiveInteger } from "../../splitters/checks.js";
import { type ModelJSON, modelJSON, readModelJSON } from "../serial.js";
import { CENTROID_OPTION_KEYS, CentroidClusterer, type CentroidOptions, startingCenters } from "./centroid-clusterer.js";
import type { KMeansRun as Run } from "./kmeans-core.js";
import { columnMeans, type KMeansRun, sameClustering, scaledTolerance } from "./kmeans-core.js";
import { lloyd } from "./kmeans-lloyd.js";
import { checkNumberAbove } from "./options.js";

export interface KMeansOptions extends CentroidOptions {
  /** Runs from different seedings; the one of least inertia is kept. Default 10 (scikit-learn 1.2's); one run with an init array. */
  nInit?: number;
  /** Most Lloyd iterations in one run. Default 300. */
  maxIter?: number;
  /** Convergence threshold on the total squared shift of the centres, as a share of the mean feature variance. Default 1e-4. */
  tol?: number;
}

/**
 * k-means by Lloyd's algorithm (scikit-learn's `KMeans`, algorithm "lloyd"): rows
 * are centred first, each of `nInit` runs starts from its own seeding, and a run
 * replaces the best so far only if its inertia is lower and its partition differs.
 * From the same init array, centres, labels and inertia are scikit-learn's.
 */
export class KMeans extends CentroidClusterer {
  readonly nInit: number;
  readonly maxIter: number;
  readonly tol: number;

  constructor(options: KMeansOptions = {}) {
    const where = "KMeans";
    checkOptionKeys(where, options, [...CENTROID_OPTION_KEYS, "nInit", "maxIter", "tol"]);
    super(where, options);
    if (Array.isArray(this.settings.init) && options.nInit !== undefined && options.nInit !== 1) {
      throw new ValueError(
        `${where}: nInit=${options.nInit} runs would all start from the same init centres; leave nInit out (or set it to 1), ` +
          `or use init "k-means++" or "random" for different starts.`,
      );
    }
    this.nInit = Array.isArray(this.settings.init) ? 1 : checkPositiveInteger(where, "nInit", options.nInit ?? 10);
    this.maxIter = checkPositiveInteger(where, "maxIter", options.maxIter ?? 300);
    this.tol = checkNumberAbove(where, "tol", options.tol ?? 1e-4, 0, true);
  }

  fit(X: Features, _y?: readonly unknown[]): void {
    const rng = this.startFit(X);
    const mean = columnMeans(X);
    const centred = X.map((row) => row.map((v, f) => v - mean[f]));
    const tol = scaledTolerance(X, this.tol);
    let best: KMeansRun | undefined;
    for (let run = 0; run < this.nInit; run++) {
      let start = startingCenters("KMeans.fit", this.settings, centred, rng);
      if (Array.isArray(this.settings.init)) start = start.map((c) => c.map((v, f) => v - mean[f]));
      const result = lloyd(centred, start, this.maxIter, tol);
      if (best === undefined || (result.inertia < best.inertia && !sameClustering(result.labels, best.labels, this.nClusters))) {
        best = result;
      }
    }
    const centers = best!.centers.map((c) => c.map((v, f) => v + mean[f]));
    this.state = { ...best!, centers, width: X[0].length };
  }

  /** The options and, once fitted, the centres, labels and inertia, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("KMeans", { ...this.centroidParams(), nInit: this.nInit, maxIter: this.maxIter, tol: this.tol }, this.state);
  }

  static fromJSON(json: unknown): KMeans {
    const { params, state } = readModelJSON<KMeansOptions, Run & { width: number }>("KMeans", json);
    const model = new KMeans(params);
    if (state) model.state = state;
    return model;
  }
}
