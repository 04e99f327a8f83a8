import { checkChoice, checkOptionKeys } from "../../../core/errors.js";
import { checkFeatures, type Features } from "../../estimator.js";
import { checkPositiveInteger } from "../../splitters/checks.js";
import { type ModelJSON, modelJSON, readModelJSON } from "../serial.js";
import { type Clusterer, noPredict } from "./clusterer.js";
import { type DistanceMetric, METRICS, rowDistance } from "./distances.js";
import { checkNumberAbove } from "./options.js";

export interface DBSCANOptions {
  /** Neighbourhood radius: rows at distance <= eps are neighbours. Default 0.5. */
  eps?: number;
  /** Neighbours (the row itself included) that make a row a core row. Default 5. */
  minSamples?: number;
  /** "euclidean" (default), "manhattan", "chebyshev" or "cosine". */
  metric?: DistanceMetric;
}

/**
 * Density-based clustering (scikit-learn's `DBSCAN`): a core row has at least
 * `minSamples` rows within `eps`; core rows within `eps` of each other share a
 * cluster, a non-core row within `eps` of a core row joins the first such cluster,
 * and the rest are noise, labelled −1. Clusters are numbered as scikit-learn numbers
 * them: in the order of their first core row. It labels only the rows it is fitted on.
 */
export class DBSCAN implements Clusterer {
  readonly kind = "clusterer";
  readonly eps: number;
  readonly minSamples: number;
  readonly metric: DistanceMetric;
  private state?: { labels: number[]; core: number[] };

  constructor(options: DBSCANOptions = {}) {
    const where = "DBSCAN";
    checkOptionKeys(where, options, ["eps", "minSamples", "metric"]);
    this.eps = checkNumberAbove(where, "eps", options.eps ?? 0.5, 0, false);
    this.minSamples = checkPositiveInteger(where, "minSamples", options.minSamples ?? 5);
    this.metric = checkChoice(where, "metric", options.metric, METRICS, "euclidean");
  }

  /** The cluster of each training row, −1 for noise. */
  get labels(): readonly number[] | undefined {
    return this.state?.labels;
  }

  /** Indices of the core rows, ascending (scikit-learn's `core_sample_indices_`). */
  get coreSampleIndices(): readonly number[] | undefined {
    return this.state?.core;
  }

  fit(X: Features, _y?: readonly unknown[]): void {
    checkFeatures("DBSCAN.fit", X);
    const n = X.length;
    const distance = rowDistance(X, this.metric);
    const neighbours = X.map((_, i) => X.flatMap((__, j) => (distance(i, j) <= this.eps ? [j] : [])));
    const isCore = neighbours.map((list) => list.length >= this.minSamples);
    const labels = new Array<number>(n).fill(-1);
    let cluster = 0;
    for (let start = 0; start < n; start++) {
      if (labels[start] !== -1 || !isCore[start]) continue;
      // Depth-first from the core row: every row reached is labelled, only core rows spread further.
      const stack = [start];
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (labels[i] !== -1) continue;
        labels[i] = cluster;
        if (isCore[i]) for (const j of neighbours[i]) if (labels[j] === -1) stack.push(j);
      }
      cluster++;
    }
    this.state = { labels, core: isCore.flatMap((core, i) => (core ? [i] : [])) };
  }

  /** Always a ValueError: DBSCAN has no rule for new rows. */
  predict(_X: Features): number[] {
    return noPredict("DBSCAN");
  }

  fitPredict(X: Features, _y?: readonly unknown[]): number[] {
    this.fit(X);
    return [...this.state!.labels];
  }

  /** The options and, once fitted, the labels and core rows, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("DBSCAN", { eps: this.eps, minSamples: this.minSamples, metric: this.metric }, this.state);
  }

  static fromJSON(json: unknown): DBSCAN {
    const { params, state } = readModelJSON<DBSCANOptions, { labels: number[]; core: number[] }>("DBSCAN", json);
    const model = new DBSCAN(params);
    if (state) model.state = state;
    return model;
  }
}
