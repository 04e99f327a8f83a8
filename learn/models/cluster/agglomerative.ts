import { checkChoice, checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import { checkFeatures, type Features } from "../../estimator.js";
import { checkPositiveInteger } from "../../splitters/checks.js";
import { type ModelJSON, modelJSON, readModelJSON } from "../serial.js";
import { type Clusterer, checkClustersFitRows, noPredict } from "./clusterer.js";
import { type DistanceMetric, METRICS, zeroRows } from "./distances.js";
import { LINKAGES, type Linkage, type LinkageTree, linkageTree } from "./linkage-tree.js";
import { checkNumberAbove } from "./options.js";
import { cutTree } from "./tree-cut.js";

export interface AgglomerativeClusteringOptions {
  /** Clusters to cut the tree into. Default 2; null (or left out) when `distanceThreshold` is given. */
  nClusters?: number | null;
  /** Cut the tree where merges reach this linkage distance instead: merges at or above it are undone. Default null. */
  distanceThreshold?: number | null;
  /** "ward" (default: least increase of within-cluster variance), "complete", "average" or "single". */
  linkage?: Linkage;
  /** "euclidean" (default), "manhattan", "chebyshev" or "cosine"; Ward needs "euclidean". */
  metric?: DistanceMetric;
}

/**
 * Bottom-up hierarchical clustering (scikit-learn's `AgglomerativeClustering`
 * without a connectivity graph): every row starts alone, the two nearest clusters
 * merge until one is left, and the tree is cut into `nClusters` clusters or where
 * merges reach `distanceThreshold`. Deterministic: the same tree, tie-breaks and
 * cluster numbers as scikit-learn. It labels only the rows it is fitted on.
 */
export class AgglomerativeClustering implements Clusterer {
  readonly kind = "clusterer";
  readonly nClusters: number | null;
  readonly distanceThreshold: number | null;
  readonly linkage: Linkage;
  readonly metric: DistanceMetric;
  private state?: LinkageTree & { labels: number[]; nClustersFound: number };

  constructor(options: AgglomerativeClusteringOptions = {}) {
    const where = "AgglomerativeClustering";
    checkOptionKeys(where, options, ["nClusters", "distanceThreshold", "linkage", "metric"]);
    const threshold = options.distanceThreshold ?? null;
    const nClusters = options.nClusters === undefined ? (threshold === null ? 2 : null) : options.nClusters;
    if ((nClusters === null) === (threshold === null)) {
      throw new ValueError(
        `${where}: give exactly one of nClusters and distanceThreshold, got nClusters=${show(nClusters)} and ` +
          `distanceThreshold=${show(threshold)}; set the other to null (or leave it out).`,
      );
    }
    this.nClusters = nClusters === null ? null : checkPositiveInteger(where, "nClusters", nClusters);
    this.distanceThreshold = threshold === null ? null : checkNumberAbove(where, "distanceThreshold", threshold, 0, true);
    this.linkage = checkChoice(where, "linkage", options.linkage, LINKAGES, "ward");
    this.metric = checkChoice(where, "metric", options.metric, METRICS, "euclidean");
    if (this.linkage === "ward" && this.metric !== "euclidean") {
      throw new ValueError(
        `${where}: Ward linkage works only with metric "euclidean", got ${show(this.metric)}; use another linkage for it.`,
      );
    }
  }

  get labels(): readonly number[] | undefined {
    return this.state?.labels;
  }

  /** Clusters found: nClusters, or the count the distance threshold gives (scikit-learn's `n_clusters_`). */
  get nClustersFound(): number | undefined {
    return this.state?.nClustersFound;
  }

  /** Merge i joins these two nodes into node n + i; nodes below n are rows (scikit-learn's `children_`). */
  get children(): readonly (readonly [number, number])[] | undefined {
    return this.state?.children;
  }

  /** The linkage distance of each merge, in the order of `children` (scikit-learn's `distances_`). */
  get distances(): readonly number[] | undefined {
    return this.state?.distances;
  }

  fit(X: Features, _y?: readonly unknown[]): void {
    const where = "AgglomerativeClustering.fit";
    checkFeatures(where, X);
    if (X.length < 2) throw new ValueError(`${where}: X has 1 row; agglomerative clustering needs at least 2.`);
    if (this.nClusters !== null) checkClustersFitRows(where, this.nClusters, X.length);
    if (this.metric === "cosine") {
      const zeros = zeroRows(X);
      if (zeros.length > 0) {
        throw new ValueError(
          `${where}: X[${zeros[0]}] is a zero row, which has no cosine distance; ` +
            `drop such rows or use another metric (${zeros.length} zero row${zeros.length === 1 ? "" : "s"}).`,
        );
      }
    }
    const tree = linkageTree(X, this.linkage, this.metric);
    const threshold = this.distanceThreshold;
    const found = threshold === null ? this.nClusters! : tree.distances.filter((d) => d >= threshold).length + 1;
    this.state = { ...tree, labels: cutTree(found, tree.children, X.length), nClustersFound: found };
  }

  /** Always a ValueError: agglomerative clustering has no rule for new rows. */
  predict(_X: Features): number[] {
    return noPredict("AgglomerativeClustering");
  }

  fitPredict(X: Features, _y?: readonly unknown[]): number[] {
    this.fit(X);
    return [...this.state!.labels];
  }

  /** The options and, once fitted, the merge tree and labels, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const params = { nClusters: this.nClusters, distanceThreshold: this.distanceThreshold, linkage: this.linkage, metric: this.metric };
    return modelJSON("AgglomerativeClustering", params, this.state);
  }

  static fromJSON(json: unknown): AgglomerativeClustering {
    type Saved = LinkageTree & { labels: number[]; nClustersFound: number };
    const { params, state } = readModelJSON<AgglomerativeClusteringOptions, Saved>("AgglomerativeClustering", json);
    const model = new AgglomerativeClustering(params);
    if (state) model.state = state;
    return model;
  }
}
