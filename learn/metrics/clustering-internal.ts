/**
 * Scores of a clustering from the data alone (no true classes), with
 * scikit-learn 1.2's definitions: silhouette, Calinski–Harabasz and
 * Davies–Bouldin. Each needs 2 ≤ clusters ≤ rows − 1, and refuses anything
 * else (one cluster, every row alone, every row noise) with a ValueError
 * instead of scikit-learn's NaN or 1.0 for degenerate input.
 *
 * DBSCAN marks noise with the label −1 (the number; a string "-1" is an
 * ordinary label). The `noise` option says what to do with it: "cluster"
 * (the default, scikit-learn's behaviour) scores it as one more cluster,
 * "exclude" drops the noise rows first and scores the clusters alone, and
 * "error" refuses labels holding any −1.
 */
import { checkChoice, checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { checkFeatures, type Features } from "../estimator.js";
import type { Label } from "../labels.js";
import { type Partition, partition } from "./clustering-checks.js";
import { silhouetteValues } from "./silhouette-values.js";

/** What to do with DBSCAN's noise label −1. */
export type NoiseHandling = "cluster" | "exclude" | "error";
export const NOISE_HANDLING: readonly NoiseHandling[] = ["cluster", "exclude", "error"];

/** DBSCAN's (and HDBSCAN's) label for points in no cluster. */
export const NOISE_LABEL = -1;

export interface ClusterScoreOptions {
  /**
   * Rows labelled −1 (DBSCAN's noise): "cluster" scores them as one more
   * cluster, as scikit-learn does; "exclude" leaves them out, so the score
   * describes the clusters found; "error" throws a ValueError if any row is
   * noise. Default "cluster".
   */
  noise?: NoiseHandling;
}

/** Distances for the silhouette. */
export type SilhouetteMetric = "euclidean" | "manhattan" | "cosine";
export const SILHOUETTE_METRICS: readonly SilhouetteMetric[] = ["euclidean", "manhattan", "cosine"];

export interface SilhouetteOptions extends ClusterScoreOptions {
  /**
   * "euclidean", "manhattan" (sum of absolute differences) or "cosine"
   * (1 − cosine similarity; a row of zeros is at distance 1 from every other
   * row, as in scikit-learn). A row's distance to itself is 0 under every
   * metric. Default "euclidean".
   */
  metric?: SilhouetteMetric;
}

/** Rows to score, flattened, with their cluster codes. */
interface Scored {
  readonly rows: number;
  readonly width: number;
  readonly values: Float64Array;
  readonly clusters: Partition;
  /** Positions of the scored rows in the input (all rows unless noise was excluded). */
  readonly kept: readonly number[];
}

/** Check X and labels, drop noise when asked, and check the cluster count. */
function scoredRows(where: string, X: Features, labels: readonly Label[], noise: NoiseHandling): Scored {
  const width = checkFeatures(where, X);
  if (!Array.isArray(labels)) throw new ValueError(`${where}: labels must be an array, got ${show(labels)}.`);
  if (labels.length !== X.length) {
    throw new ValueError(`${where}: X has ${X.length} rows but labels has ${labels.length}; pass one cluster label per row.`);
  }
  partition(where, "labels", labels); // checks the label types before any is dropped
  if (noise === "error") refuseNoise(where, labels);
  const kept: number[] = [];
  for (let i = 0; i < labels.length; i++) if (noise === "cluster" || labels[i] !== NOISE_LABEL) kept.push(i);
  const dropped = labels.length - kept.length;
  if (kept.length === 0) {
    throw new ValueError(
      `${where}: all ${labels.length} rows are noise (label -1) and noise is "exclude", so no cluster is left to score; ` +
        `loosen the clustering (e.g. a larger eps or smaller minSamples for DBSCAN).`,
    );
  }
  const clusters = partition(
    where,
    "labels",
    kept.map((i) => labels[i]),
  );
  checkClusterCount(where, clusters, kept.length, dropped);
  const values = new Float64Array(kept.length * width);
  kept.forEach((row, r) => {
    for (let f = 0; f < width; f++) values[r * width + f] = X[row][f];
  });
  return { rows: kept.length, width, values, clusters, kept };
}

function refuseNoise(where: string, labels: readonly Label[]): void {
  const first = labels.indexOf(NOISE_LABEL);
  if (first < 0) return;
  const count = labels.filter((label) => label === NOISE_LABEL).length;
  throw new ValueError(
    `${where}: labels[${first}] = -1 is DBSCAN's noise label (${count} of ${labels.length} rows) and noise is "error"; ` +
      `pass noise: "exclude" to score the clustered rows only, or noise: "cluster" to score the noise as one more cluster.`,
  );
}

function checkClusterCount(where: string, clusters: Partition, rows: number, dropped: number): void {
  const count = clusters.labels.length;
  if (count > 1 && count < rows) return;
  const scored = dropped > 0 ? `${rows} rows left after leaving out ${dropped} noise rows` : `${rows} rows`;
  const rule =
    rows < 3
      ? "the score needs at least 3 rows and 2 to rows − 1 clusters"
      : `the score needs 2 to rows − 1 clusters, here 2 to ${rows - 1}`;
  if (count <= 1) {
    const allNoise = clusters.labels[0] === NOISE_LABEL ? ", every row noise (label -1)" : "";
    throw new ValueError(
      `${where}: labels hold one cluster only (${show(clusters.labels[0])}${allNoise}) among ${scored}, but ${rule}; ` +
        `score a clustering that splits the rows.`,
    );
  }
  throw new ValueError(
    `${where}: ${count} clusters for ${scored}: every row is alone in its cluster, but ${rule}; ` +
      `score a clustering with fewer clusters than rows.`,
  );
}

function readOptions(where: string, given: SilhouetteOptions | undefined, keys: readonly string[]) {
  checkOptionKeys(where, given, keys);
  return {
    noise: checkChoice(where, "noise", given?.noise, NOISE_HANDLING, "cluster"),
    metric: checkChoice(where, "metric", given?.metric, SILHOUETTE_METRICS, "euclidean"),
  };
}

/** Rows scaled to unit length (rows of zeros stay zero), as scikit-learn's `normalize`. */
function unitRows(values: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) {
    let squares = 0;
    for (let f = 0; f < width; f++) squares += values[r * width + f] ** 2;
    const norm = Math.sqrt(squares) || 1;
    for (let f = 0; f < width; f++) out[r * width + f] = values[r * width + f] / norm;
  }
  return out;
}

/** Silhouette of each scored row (`silhouette-values.ts`). */
function silhouetteOfScored(scored: Scored, metric: SilhouetteMetric): Float64Array {
  const { rows, width, clusters } = scored;
  const values = metric === "cosine" ? unitRows(scored.values, rows, width) : scored.values;
  return silhouetteValues(metric, values, rows, width, clusters.codes, clusters.sizes);
}

/**
 * The silhouette coefficient of each row (scikit-learn's `silhouette_samples`),
 * from −1 (closer to another cluster) to 1 (well inside its own), in the order
 * of X. With `noise: "exclude"` the noise rows get NaN, so the array still
 * lines up with X. Options: `metric` (default "euclidean"), `noise` (default
 * "cluster", scikit-learn's behaviour).
 */
export function silhouetteSamples(X: Features, labels: readonly Label[], options: SilhouetteOptions = {}): number[] {
  const where = "silhouetteSamples";
  const { noise, metric } = readOptions(where, options, ["metric", "noise"]);
  const scored = scoredRows(where, X, labels, noise);
  const values = silhouetteOfScored(scored, metric);
  const result = new Array<number>(labels.length).fill(Number.NaN);
  scored.kept.forEach((row, r) => {
    result[row] = values[r];
  });
  return result;
}

/**
 * The mean silhouette coefficient over the scored rows (scikit-learn's
 * `silhouette_score` on all rows), from −1 to 1; greater is better. Options:
 * `metric` (default "euclidean"), `noise` (default "cluster": −1 is one more
 * cluster, as in scikit-learn; "exclude" averages over the clustered rows only).
 */
export function silhouette(X: Features, labels: readonly Label[], options: SilhouetteOptions = {}): number {
  const where = "silhouette";
  const { noise, metric } = readOptions(where, options, ["metric", "noise"]);
  const values = silhouetteOfScored(scoredRows(where, X, labels, noise), metric);
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

/** Each cluster's mean row (k × width, flattened). */
function centroids(scored: Scored): Float64Array {
  const { rows, width, values, clusters } = scored;
  const sums = new Float64Array(clusters.sizes.length * width);
  for (let r = 0; r < rows; r++) {
    const c = clusters.codes[r];
    for (let f = 0; f < width; f++) sums[c * width + f] += values[r * width + f];
  }
  clusters.sizes.forEach((size, c) => {
    for (let f = 0; f < width; f++) sums[c * width + f] /= size;
  });
  return sums;
}

/**
 * Calinski–Harabasz index (variance ratio criterion): between-cluster over
 * within-cluster dispersion, each divided by its degrees of freedom; greater is
 * better. 1 when every cluster is a single repeated point, as in scikit-learn.
 * Option `noise` (default "cluster", scikit-learn's behaviour).
 */
export function calinskiHarabasz(X: Features, labels: readonly Label[], options: ClusterScoreOptions = {}): number {
  const where = "calinskiHarabasz";
  const { noise } = readOptions(where, options, ["noise"]);
  const scored = scoredRows(where, X, labels, noise);
  const { rows, width, values, clusters } = scored;
  const k = clusters.sizes.length;
  const mean = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let f = 0; f < width; f++) mean[f] += values[r * width + f];
  for (let f = 0; f < width; f++) mean[f] /= rows;
  const centres = centroids(scored);
  let between = 0;
  clusters.sizes.forEach((size, c) => {
    let squares = 0;
    for (let f = 0; f < width; f++) squares += (centres[c * width + f] - mean[f]) ** 2;
    between += size * squares;
  });
  let within = 0;
  for (let r = 0; r < rows; r++) {
    const c = clusters.codes[r];
    for (let f = 0; f < width; f++) within += (values[r * width + f] - centres[c * width + f]) ** 2;
  }
  return within === 0 ? 1 : (between * (rows - k)) / (within * (k - 1));
}

/** numpy's `allclose(values, 0)`: every value within 1e-8 of zero. */
function allNearZero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > 1e-8) return false;
  return true;
}

/**
 * Davies–Bouldin index: the mean, over clusters, of the largest ratio
 * (spread of i + spread of j) / distance between their centroids, a spread
 * being the mean distance of a cluster's rows to its centroid; lower is better,
 * 0 at best. 0 when every spread or every centroid distance is within 1e-8 of
 * zero, as in scikit-learn. Option `noise` (default "cluster", scikit-learn's behaviour).
 */
export function daviesBouldin(X: Features, labels: readonly Label[], options: ClusterScoreOptions = {}): number {
  const where = "daviesBouldin";
  const { noise } = readOptions(where, options, ["noise"]);
  const scored = scoredRows(where, X, labels, noise);
  const { rows, width, values, clusters } = scored;
  const k = clusters.sizes.length;
  const centres = centroids(scored);
  const euclidean = (a: Float64Array, i: number, b: Float64Array, j: number) => {
    let squares = 0;
    for (let f = 0; f < width; f++) squares += (a[i * width + f] - b[j * width + f]) ** 2;
    return Math.sqrt(squares);
  };
  const spread = new Float64Array(k);
  for (let r = 0; r < rows; r++) spread[clusters.codes[r]] += euclidean(values, r, centres, clusters.codes[r]);
  for (let c = 0; c < k; c++) spread[c] /= clusters.sizes[c];
  const between = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) between[i * k + j] = i === j ? 0 : euclidean(centres, i, centres, j);
  if (allNearZero(spread) || allNearZero(between)) return 0;
  let total = 0;
  for (let i = 0; i < k; i++) {
    let worst = 0;
    for (let j = 0; j < k; j++) {
      // coinciding centroids count as infinitely far, as in scikit-learn (the pair is skipped)
      const distance = between[i * k + j] === 0 ? Infinity : between[i * k + j];
      worst = Math.max(worst, (spread[i] + spread[j]) / distance);
    }
    total += worst;
  }
  return total / k;
}
