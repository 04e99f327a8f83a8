/** What KMeans and MiniBatchKMeans share: their centre options, and predicting and transforming with fitted centres. */
import { show, ValueError } from "../../../core/errors.js";
import { checkSeed, Rng } from "../../../core/rng.js";
import { checkFeatures, type Features } from "../../estimator.js";
import { checkPositiveInteger } from "../../splitters/checks.js";
import { type Clusterer, checkClustersFitRows, fittedClusters } from "./clusterer.js";
import { squaredEuclidean } from "./distances.js";
import { type KMeansRun, kmeansPlusPlus, nearest, randomRows } from "./kmeans-core.js";

/** How the first centres are chosen: greedy k-means++ (default), k random rows, or the centres themselves. */
export type KMeansInit = "k-means++" | "random" | Features;

export interface CentroidOptions {
  /** Number of clusters (centres). Default 8, or the number of rows of `init` when it is an array. */
  nClusters?: number;
  /** "k-means++" (default), "random", or an array of nClusters starting centres. */
  init?: KMeansInit;
  /** Seed of the seeding and of any other draw. Default: a fresh random seed. */
  seed?: number;
}

export const CENTROID_OPTION_KEYS = ["nClusters", "init", "seed"] as const;

/** The validated centre options. */
export interface CentroidSettings {
  nClusters: number;
  init: "k-means++" | "random" | number[][];
  seed: number | undefined;
}

export function checkCentroidOptions(where: string, options: CentroidOptions): CentroidSettings {
  const { init = "k-means++", nClusters, seed } = options;
  checkSeed(where, seed);
  if (init === "k-means++" || init === "random") {
    return { nClusters: checkPositiveInteger(where, "nClusters", nClusters ?? 8), init, seed };
  }
  if (!Array.isArray(init) || init.length === 0 || !init.every((row) => Array.isArray(row))) {
    throw new ValueError(`${where}: init must be "k-means++", "random" or an array of starting centres (number[][]), got ${show(init)}.`);
  }
  const rows = init as readonly (readonly unknown[])[];
  const width = rows[0].length;
  rows.forEach((row, j) => {
    if (row.length !== width || width === 0 || !row.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new ValueError(`${where}: init[${j}] = ${show(row)} is not a centre of ${width} finite numbers like init[0].`);
    }
  });
  if (nClusters !== undefined && nClusters !== init.length) {
    throw new ValueError(
      `${where}: nClusters=${show(nClusters)} but init gives ${init.length} centres; leave nClusters out or pass ${nClusters} centres.`,
    );
  }
  return { nClusters: init.length, init: init.map((row) => row.slice()), seed };
}

/** The starting centres for one run on X. */
export function startingCenters(where: string, settings: CentroidSettings, X: Features, rng: Rng): number[][] {
  const { init, nClusters } = settings;
  if (init === "k-means++") return kmeansPlusPlus(X, nClusters, rng);
  if (init === "random") return randomRows(X, nClusters, rng);
  if (init[0].length !== X[0].length) {
    throw new ValueError(`${where}: the init centres have ${init[0].length} features but X has ${X[0].length}; pass centres as wide as X.`);
  }
  return init.map((row) => row.slice());
}

/** A clusterer whose fit leaves centres: rows are labelled by their nearest centre. */
export abstract class CentroidClusterer implements Clusterer {
  readonly kind = "clusterer";
  readonly nClusters: number;
  protected readonly settings: CentroidSettings;
  protected state?: KMeansRun & { width: number };

  protected constructor(
    protected readonly name: string,
    options: CentroidOptions,
  ) {
    this.settings = checkCentroidOptions(name, options);
    this.nClusters = this.settings.nClusters;
  }

  /** Check X for fit and return the generator of this fit's draws. */
  protected startFit(X: Features): Rng {
    const where = `${this.name}.fit`;
    checkFeatures(where, X);
    checkClustersFitRows(where, this.nClusters, X.length);
    return new Rng(this.settings.seed);
  }

  /** The fitted centres, one row per cluster (scikit-learn's `cluster_centers_`). */
  get clusterCenters(): readonly (readonly number[])[] | undefined {
    return this.state?.centers;
  }

  get labels(): readonly number[] | undefined {
    return this.state?.labels;
  }

  /** Sum of squared distances of the training rows to their centres (scikit-learn's `inertia_`). */
  get inertia(): number | undefined {
    return this.state?.inertia;
  }

  /** Iterations run (scikit-learn's `n_iter_`). */
  get nIter(): number | undefined {
    return this.state?.nIter;
  }

  abstract fit(X: Features, y?: readonly unknown[]): void;

  /** The centre options as given to the constructor, for `toJSON`. */
  protected centroidParams(): CentroidOptions {
    const { nClusters, init, seed } = this.settings;
    return { nClusters, init, seed };
  }

  /** The nearest centre of each row (the first on ties). */
  predict(X: Features): number[] {
    const { centers, width } = fittedClusters(`${this.name}.predict`, this.state);
    checkFeatures(`${this.name}.predict`, X, width);
    return X.map((row) => nearest(row, centers)[0]);
  }

  /** The Euclidean distance of each row to each centre: one column per cluster. */
  transform(X: Features): number[][] {
    const { centers, width } = fittedClusters(`${this.name}.transform`, this.state);
    checkFeatures(`${this.name}.transform`, X, width);
    return X.map((row) => centers.map((center) => Math.sqrt(squaredEuclidean(row, center))));
  }

  fitPredict(X: Features, _y?: readonly unknown[]): number[] {
    this.fit(X);
    return [...this.state!.labels];
  }
}
