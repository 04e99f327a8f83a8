/**
 * The unsupervised counterpart of crossValidate, for tuning a clustering:
 * clustering is transductive, so a fresh model is fitted on all of X and its
 * labels are scored — against X (silhouette, Calinski–Harabasz, Davies–Bouldin)
 * or against known classes (adjustedRand, …) — optionally with the stability
 * of the clustering under bootstrap resampling. With a trial, the scores are
 * kept in the user attributes the tracker's cluster-quality chart reads.
 */
import type { DataFrame, Series } from "danfojs-node";
import { checkChoice, checkOptionKeys, show, ValueError } from "../core/errors.js";
import type { JsonValue } from "../core/records.js";
import { clusterStability, type Stability, type StabilityOptions, stabilitySettings } from "./cluster-stability.js";
import { describeModel, finalStep, rowsSeenByFinalStep } from "./clusterer-parts.js";
import { type ClusteringScoring, clusteringScorers } from "./clustering-scoring.js";
import type { CrossValidationTrial } from "./cross-validate.js";
import { type Features, isClusterer } from "./estimator.js";
import type { Label } from "./labels.js";
import type { NoiseHandling, SilhouetteMetric } from "./metrics/index.js";
import { toRows, toTargets } from "./model-inputs.js";
import type { Clusterer } from "./models/cluster/clusterer.js";
import type { Pipeline } from "./pipeline.js";
import type { RawFeatures } from "./preprocessing.js";

/** Where the internal scores see the rows: as the final clusterer does (after a pipeline's steps), or as given. */
export type ClusteringSpace = "transformed" | "input";
const SPACES: readonly ClusteringSpace[] = ["transformed", "input"];

/** User attribute: the number of clusters found, noise excluded. */
const N_CLUSTERS_ATTR = "n_clusters";
/** User attribute: the number of rows labelled noise (−1). */
const N_NOISE_ATTR = "n_noise";
/** User attribute: { scorer name: value, …, inertia?, stability? (its mean) }. */
const CLUSTER_SCORES_ATTR = "cluster_scores";

export interface EvaluateClusteringOptions {
  /** One clustering scorer name or object, or a list of them; the first is `score`. Default "silhouette". */
  scoring?: ClusteringScoring | readonly ClusteringScoring[];
  /** The known class of each row, for the scorers that compare with them (adjustedRand, vMeasure, …). Default none. */
  yTrue?: readonly Label[] | Series;
  /** DBSCAN's noise (−1) for the scorers against X given by name: "cluster", "exclude" or "error". Default "cluster". */
  noise?: NoiseHandling;
  /** The silhouette's distance, when it is given by name: "euclidean", "manhattan" or "cosine". Default "euclidean". */
  metric?: SilhouetteMetric;
  /** "transformed": score the rows the final clusterer saw (a pipeline's transform of X); "input": X as given. Default "transformed". */
  space?: ClusteringSpace;
  /** Also measure the stability under bootstrap resampling: true, or { resamples = 10, seed = 0 }. Default false. */
  stability?: boolean | StabilityOptions;
  /** Keep "n_clusters", "n_noise" and "cluster_scores" in this trial's user attributes. */
  trial?: Pick<CrossValidationTrial, "setUserAttr">;
}

export interface ClusteringEvaluation {
  /** The cluster of each row of X (−1 for noise). */
  labels: number[];
  /** Clusters found, noise excluded. */
  nClusters: number;
  /** Rows labelled noise (−1). */
  nNoise: number;
  /** Each scorer's value, by its name. */
  scores: Record<string, number>;
  /** The first scorer's value: what an objective returns. */
  score: number;
  /** The first scorer's direction, and so the study's. */
  greaterIsBetter: boolean;
  /** The fitted model's inertia, when it has one (KMeans, MiniBatchKMeans). */
  inertia?: number;
  /** Agreement between clusterings of bootstrap resamples, with `stability`. */
  stability?: Stability;
  /** Seconds spent fitting on X. */
  fitTime: number;
}

const OPTION_KEYS = ["scoring", "yTrue", "noise", "metric", "space", "stability", "trial"];

/** What evaluateClustering fits: a clusterer, or a pipeline ending in one. */
export type ClusteringModel = Clusterer | Pipeline<number>;

/**
 * Fit `makeModel()` on all of X and score its clusters:
 * `const { score } = await evaluateClustering(() => new KMeans({ nClusters: k, seed: 0 }), X, { trial })`.
 * `score` is the first scoring's value (default the silhouette); ask for more with
 * `scoring: ["silhouette", "daviesBouldin"]`, compare with known classes through `yTrue`,
 * and measure the stability of the clustering with `stability: true`.
 */
export async function evaluateClustering(
  makeModel: () => ClusteringModel,
  X: RawFeatures | DataFrame,
  options: EvaluateClusteringOptions = {},
): Promise<ClusteringEvaluation> {
  const where = "evaluateClustering";
  checkOptionKeys(where, options, OPTION_KEYS);
  if (typeof makeModel !== "function") {
    throw new ValueError(`${where}: the first argument must be a function returning a new clusterer, got ${show(makeModel)}.`);
  }
  const rows = toRows(where, X);
  const yTrue = options.yTrue === undefined ? undefined : toTargets(where, options.yTrue, "yTrue");
  if (yTrue && yTrue.length !== rows.length) {
    throw new ValueError(`${where}: X has ${rows.length} rows but yTrue has ${yTrue.length} values; pass one class per row.`);
  }
  const scorers = clusteringScorers(where, options.scoring ?? "silhouette", { noise: options.noise, metric: options.metric });
  const needsTruth = scorers.find((s) => s.input === "truth");
  if (needsTruth && !yTrue) {
    throw new ValueError(`${where}: scoring ${show(needsTruth.name)} compares the clusters with known classes; pass them as yTrue.`);
  }
  const space = checkChoice(where, "space", options.space, SPACES, "transformed");
  const stability = stabilitySettings(where, options.stability);
  const fresh = () => checkClusterer(where, makeModel());

  const model = fresh();
  const started = performance.now();
  const labels = [...model.fitPredict(rows as Features)];
  const fitTime = (performance.now() - started) / 1000;
  const nNoise = labels.filter((label) => label === -1).length;
  const nClusters = new Set(labels.filter((label) => label !== -1)).size;
  const scored = space === "transformed" ? rowsSeenByFinalStep(model, rows) : (rows as Features);
  const scores: Record<string, number> = {};
  for (const s of scorers) {
    try {
      scores[s.name] = s.score(s.input === "features" ? { X: scored, labels } : { yTrue, labels });
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      throw new ValueError(
        `${where}: ${describeModel(model)} found ${nClusters} cluster${nClusters === 1 ? "" : "s"} ` +
          `and ${nNoise} noise row${nNoise === 1 ? "" : "s"} in ${rows.length}: ${error.message}`,
      );
    }
  }
  const inertia = (finalStep(model) as { inertia?: unknown }).inertia;
  const result: ClusteringEvaluation = {
    labels,
    nClusters,
    nNoise,
    scores,
    score: scores[scorers[0].name],
    greaterIsBetter: scorers[0].greaterIsBetter,
    fitTime,
  };
  if (typeof inertia === "number") result.inertia = inertia;
  if (stability) result.stability = clusterStability(rows as Features, (sample) => fresh().fitPredict(sample), stability);
  if (options.trial) record(options.trial, result);
  return result;
}

function checkClusterer(where: string, model: unknown): Clusterer {
  if (!isClusterer(model)) {
    throw new ValueError(
      `${where}: makeModel() must return a clusterer (KMeans, MiniBatchKMeans, AgglomerativeClustering, DBSCAN, ` +
        `or a pipeline ending in one), got ${typeof model === "object" && model !== null ? describeModel(model) : show(model)}.`,
    );
  }
  return model;
}

/** The user attributes the tracker's cluster-quality chart reads. */
function record(trial: Pick<CrossValidationTrial, "setUserAttr">, result: ClusteringEvaluation): void {
  const scores: Record<string, JsonValue> = { ...result.scores };
  if (result.inertia !== undefined) scores.inertia = result.inertia;
  if (result.stability) scores.stability = result.stability.mean;
  trial.setUserAttr(N_CLUSTERS_ATTR, result.nClusters);
  trial.setUserAttr(N_NOISE_ATTR, result.nNoise);
  trial.setUserAttr(CLUSTER_SCORES_ATTR, scores);
}
