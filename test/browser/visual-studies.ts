import type { DistributionJson, JsonValue, ParamValue } from "../../core/records.js";
import { Rng } from "../../core/rng.js";
import { crossValidate } from "../../learn/cross-validate.js";
import { learningCurve, validationCurve } from "../../learn/curves.js";
import { loadArrays } from "../../learn/datasets.js";
import { calinskiHarabasz, daviesBouldin, silhouette } from "../../learn/metrics/index.js";
import { KMeans } from "../../learn/models/cluster/index.js";
import { DecisionTreeClassifier } from "../../learn/models/decision-tree.js";
import { FOLD_SCORES_ATTR } from "../../tracker/analysis/compare.js";
import { OBJECTIVE_NAMES_ATTR } from "../../tracker/analysis/objectives.js";
import { CLUSTER_SCORES_ATTR, N_CLUSTERS_ATTR } from "../../tracker/charts/cluster-quality.js";
import type { Storage, TrialTemplate } from "../../tracker/storage/storage.js";
import { buildMultiObjectiveFixture } from "../tracker/server/multi-objective-fixture.js";

/**
 * Studies that look like real ones, for the visual tests: a short study with one
 * parameter, a long one with twenty (log, integer, categorical) cross-validated over five
 * folds with pruned and failed trials, an experiment of four such studies to compare,
 * studies with two objectives, and a k-means study over the number of clusters whose trials
 * record their scores as the evaluation library does, and a study of trees with training scores that keeps its curves. Cross-validated trials are stored as crossValidate
 * stores them: one intermediate value per fold (step = fold index) and the fold scores
 * in the user attribute `fold_scores`.
 */

export interface VisualStudies {
  /** One log parameter, 12 trials over about a minute, an unnamed objective, minimised; one failed trial. */
  short: number;
  /** Twenty parameters, 60 trials over three hours, accuracy (5-fold mean) maximised; pruned, failed and running trials. */
  long: number;
  /** The experiment "wine": `long` and three more cross-validated studies, in the order they are compared. */
  compare: number[];
  /** Two named objectives (accuracy, size), constrained. */
  twoObjectives: number;
  /** Studies with the same two objectives, two samplers over three seeds. */
  repeats: number[];
  /** k-means for 2 to 9 clusters, two seeds each, over 50 seconds, silhouette maximised; trials record n_clusters and cluster_scores. */
  clustering: number;
  /**
   * Decision trees on wine over maxDepth and minSamplesLeaf, cross-validated with training
   * scores (fold_scores_train), keeping a validation curve of maxDepth and a learning curve.
   */
  curves: number;
  /** Every study name, as stored (to tell a cut name from a whole one). */
  names: string[];
}

const float = (low: number, high: number, log = false): DistributionJson => ({
  name: "FloatDistribution",
  attributes: { low, high, log, step: null },
});
const int = (low: number, high: number, log = false): DistributionJson => ({
  name: "IntDistribution",
  attributes: { low, high, log, step: 1 },
});
const cat = (...choices: (string | boolean)[]): DistributionJson => ({ name: "CategoricalDistribution", attributes: { choices } });

/** Twenty parameters of a gradient-boosted forest, as a search space would declare them. */
const FOREST_SPACE: Record<string, DistributionJson> = {
  learning_rate: float(1e-4, 1, true),
  l2_regularization: float(1e-6, 10, true),
  min_impurity_decrease: float(1e-7, 0.1, true),
  subsample: float(0.5, 1),
  colsample_bytree: float(0.1, 1),
  validation_fraction: float(0.05, 0.3),
  momentum: float(0, 0.99),
  n_estimators: int(10, 500),
  max_depth: int(1, 32),
  min_samples_split: int(2, 20),
  min_samples_leaf: int(1, 20),
  max_leaf_nodes: int(8, 256, true),
  n_iter_no_change: int(1, 20),
  max_bins: int(16, 255),
  criterion: cat("gini", "entropy", "log_loss"),
  class_weight: cat("none", "balanced", "balanced_subsample"),
  max_features: cat("sqrt", "log2", "all"),
  bootstrap: cat(true, false),
  warm_start: cat(true, false),
  early_stopping: cat("auto", "on", "off"),
};

const SMALL_SPACES: Record<string, Record<string, DistributionJson>> = {
  "wine-gradient-boosting": {
    learning_rate: float(1e-3, 1, true),
    n_estimators: int(10, 300),
    max_depth: int(1, 8),
    loss: cat("log_loss", "exponential"),
  },
  "wine-k-nearest-neighbours": { n_neighbors: int(1, 30), weights: cat("uniform", "distance") },
  "wine-logistic-regression": { C: float(1e-3, 100, true), penalty: cat("l1", "l2") },
};

function sample(rng: Rng, space: Record<string, DistributionJson>): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [name, d] of Object.entries(space)) {
    if (d.name === "CategoricalDistribution") {
      params[name] = d.attributes.choices[rng.integer(0, d.attributes.choices.length - 1)];
      continue;
    }
    const { low, high, log } = d.attributes;
    const u = log ? Math.exp(rng.uniform(Math.log(low), Math.log(high))) : rng.uniform(low, high);
    params[name] = d.name === "IntDistribution" ? Math.min(high, Math.max(low, Math.round(u))) : u;
  }
  return params;
}

/** How good a configuration is, from 0.6 to 0.98: learning rate near 0.05 and a few other parameters matter. */
function quality(params: Record<string, ParamValue>): number {
  const lr = typeof params.learning_rate === "number" ? Math.abs(Math.log10(params.learning_rate) + 1.3) : 0.5;
  const depth = typeof params.max_depth === "number" ? Math.abs(params.max_depth - 6) / 30 : 0.05;
  const k = typeof params.n_neighbors === "number" ? Math.abs(params.n_neighbors - 9) / 40 : 0;
  const c = typeof params.C === "number" ? Math.abs(Math.log10(params.C)) / 10 : 0;
  return Math.max(0.6, 0.98 - 0.08 * lr - depth - k - c);
}

interface CrossValidatedOptions {
  name: string;
  space: Record<string, DistributionJson>;
  trials: number;
  /** Wall-clock span of the study, in minutes, ending a few minutes ago. */
  minutes: number;
  seed: number;
  /** Whether the last trial is still running. */
  running?: boolean;
}

/** A study of `crossValidate`d trials: every fifth pruned after two folds, the 7th failed in its second fold. */
async function crossValidatedStudy(storage: Storage, o: CrossValidatedOptions): Promise<number> {
  const rng = new Rng(o.seed);
  const id = await storage.createStudy({ name: o.name, direction: "maximize", experiment: "wine" });
  await storage.setStudyUserAttr(id, OBJECTIVE_NAMES_ATTR, ["accuracy"]);
  await storage.setStudySystemAttr(id, "tunebook:sampler", "TPESampler");
  const end = Date.now() - 5 * 60_000;
  const start = end - o.minutes * 60_000;
  const each = (o.minutes * 60_000) / o.trials;
  for (let i = 0; i < o.trials; i++) {
    const params = sample(rng, o.space);
    const q = quality(params);
    const folds = Array.from({ length: 5 }, () => Math.min(1, q + 0.03 * rng.normal()));
    const begun = new Date(start + i * each);
    const done = new Date(begun.getTime() + each * (0.5 + 0.4 * rng.random()));
    const kept = i === 6 ? 1 : i % 5 === 3 ? 2 : 5;
    const reported = folds.slice(0, kept);
    const template: TrialTemplate = {
      state: kept === 5 ? "COMPLETE" : kept === 2 ? "PRUNED" : "FAIL",
      params,
      distributions: o.space,
      value: kept === 5 ? folds.reduce((a, b) => a + b, 0) / 5 : null,
      intermediateValues: Object.fromEntries(reported.map((score, fold) => [fold, score])),
      userAttrs: { [FOLD_SCORES_ATTR]: reported as JsonValue },
      datetimeStart: begun,
      datetimeComplete: done,
      ...(kept === 1 ? { error: "Error: the model did not converge in its second fold" } : {}),
    };
    if (o.running && i === o.trials - 1)
      Object.assign(template, { state: "RUNNING", value: null, datetimeStart: new Date(Date.now() - 2 * 60_000), datetimeComplete: null });
    await storage.createTrial(id, template);
  }
  return id;
}

/** Twelve quick trials of one log parameter, a few seconds each, the objective unnamed. */
async function shortStudy(storage: Storage): Promise<number> {
  const rng = new Rng(3);
  const space = { learning_rate: float(1e-5, 1, true) };
  const id = await storage.createStudy({ name: "quick-sgd", direction: "minimize" });
  const start = Date.now() - 10 * 60_000;
  for (let i = 0; i < 12; i++) {
    const params = sample(rng, space);
    const lr = params.learning_rate as number;
    const begun = new Date(start + i * 4_500);
    await storage.createTrial(id, {
      state: i === 4 ? "FAIL" : "COMPLETE",
      params,
      distributions: space,
      value: i === 4 ? null : (Math.log10(lr) + 2.5) ** 2 + 0.1 * rng.random(),
      datetimeStart: begun,
      datetimeComplete: new Date(begun.getTime() + 2_000 + rng.integer(0, 2_000)),
      ...(i === 4 ? { error: "Error: loss is NaN" } : {}),
    });
  }
  return id;
}

/** Four blobs of 40 points in two dimensions, clustered by k-means for k = 2 … 9 (two seeds each), as real scores. */
async function clusteringStudy(storage: Storage): Promise<number> {
  const rng = new Rng(8);
  const X: number[][] = [];
  for (const [cx, cy] of [
    [0, 0],
    [6, 1],
    [1, 7],
    [7, 6],
  ])
    for (let i = 0; i < 40; i++) X.push([cx + rng.normal(), cy + rng.normal()]);
  const space = { n_clusters: int(2, 9), seed: int(0, 1) };
  const id = await storage.createStudy({ name: "blobs-k-means", direction: "maximize" });
  await storage.setStudyUserAttr(id, OBJECTIVE_NAMES_ATTR, ["silhouette"]);
  const start = Date.now() - 8 * 60_000;
  let i = 0;
  for (let k = 2; k <= 9; k++)
    for (const seed of [0, 1]) {
      const model = new KMeans({ nClusters: k, nInit: 1, seed });
      const labels = model.fitPredict(X);
      const scores = {
        inertia: model.inertia!,
        silhouette: silhouette(X, labels),
        calinskiHarabasz: calinskiHarabasz(X, labels),
        daviesBouldin: daviesBouldin(X, labels),
      };
      const begun = new Date(start + i++ * 3_000);
      await storage.createTrial(id, {
        state: "COMPLETE",
        params: { n_clusters: k, seed },
        distributions: space,
        value: scores.silhouette,
        userAttrs: { [N_CLUSTERS_ATTR]: k, [CLUSTER_SCORES_ATTR]: scores },
        datetimeStart: begun,
        datetimeComplete: new Date(begun.getTime() + 2_000),
      });
    }
  return id;
}

/**
 * Trees on wine, each trial cross-validated over five folds with its training scores as
 * crossValidate keeps them, and the study keeping a validation curve of maxDepth and a
 * learning curve, recorded through `record` as a notebook does with a study.
 */
async function curvesStudy(storage: Storage): Promise<number> {
  const { X, y } = loadArrays("wine");
  const rng = new Rng(12);
  const space = { maxDepth: int(1, 12), minSamplesLeaf: int(1, 20) };
  const id = await storage.createStudy({ name: "wine-decision-tree (train vs validation)", direction: "maximize" });
  await storage.setStudyUserAttr(id, OBJECTIVE_NAMES_ATTR, ["accuracy"]);
  const tree = (maxDepth: number, minSamplesLeaf = 1) => new DecisionTreeClassifier({ maxDepth, minSamplesLeaf, seed: 0 });
  const start = Date.now() - 6 * 60_000;
  for (let i = 0; i < 24; i++) {
    const params = { maxDepth: rng.integer(1, 12), minSamplesLeaf: rng.integer(1, 20) };
    const cv = await crossValidate(() => tree(params.maxDepth, params.minSamplesLeaf), X, y, { cv: 5, returnTrainScore: true });
    const begun = new Date(start + i * 5_000);
    await storage.createTrial(id, {
      state: "COMPLETE",
      params,
      distributions: space,
      value: cv.mean,
      intermediateValues: Object.fromEntries(cv.testScores.map((score, fold) => [fold, score])),
      userAttrs: { [FOLD_SCORES_ATTR]: cv.testScores, fold_scores_train: cv.trainScores as number[] },
      datetimeStart: begun,
      datetimeComplete: new Date(begun.getTime() + 3_000),
    });
  }
  const record = { setUserAttr: (key: string, value: JsonValue) => storage.setStudyUserAttr(id, key, value) };
  await validationCurve(tree, X, y, { values: [1, 2, 3, 4, 6, 8, 12], param: "maxDepth", cv: 5, record });
  await learningCurve(() => tree(4), X, y, { cv: 5, shuffle: true, seed: 0, record });
  return id;
}

export async function buildVisualStudies(storage: Storage): Promise<VisualStudies> {
  const short = await shortStudy(storage);
  const long = await crossValidatedStudy(storage, {
    name: "wine-random-forest (20 parameters)",
    space: FOREST_SPACE,
    trials: 60,
    minutes: 180,
    seed: 11,
    running: true,
  });
  const compare = [long];
  let seed = 20;
  for (const [name, space] of Object.entries(SMALL_SPACES))
    compare.push(await crossValidatedStudy(storage, { name, space, trials: 20, minutes: 40, seed: seed++ }));
  const mo = await buildMultiObjectiveFixture(storage, 20);
  const clustering = await clusteringStudy(storage);
  const curves = await curvesStudy(storage);
  const names = (await storage.listStudies()).map((s) => s.name);
  return { short, long, compare, twoObjectives: mo.zdt, repeats: mo.repeats, clustering, curves, names };
}
