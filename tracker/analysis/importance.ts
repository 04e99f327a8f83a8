import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import { Rng } from "../../core/rng.js";
import { decomposeTree } from "./forest/fanova.js";
import { growForest } from "./forest/forest.js";
import type { RegressionTree, TreeData } from "./forest/tree.js";
import { type AnalysisParam, inferSpace, type SkippedParam, toModelSpace } from "./space.js";
import { hasParam, paramValue } from "./trial-params.js";

/**
 * Hyperparameter importance from a random forest fitted on (params → value) of the
 * COMPLETE trials.
 *
 * - `"fanova"` (default): the functional ANOVA of Hutter et al. 2014, as Optuna's
 *   default `FanovaImportanceEvaluator` computes it: per tree, the variance of each
 *   parameter's marginal over the tree's leaf boxes divided by the tree's variance;
 *   averaged over trees, then normalised to sum to 1. The spread is the standard
 *   deviation of the per-tree fractions (scaled by the same normalisation).
 * - `"mdi"`: mean decrease in impurity from the same forest (cheaper, no
 *   decomposition; biased towards parameters with many distinct values).
 *
 * Differences from Optuna, on purpose: log parameters are modelled in log space (the
 * space a log-scaled sampler is uniform in; Optuna uses the raw scale), integers
 * own one step each, and categorical parameters are split natively (subsets of
 * choices) rather than one-hot encoded. The direction of the study does not matter:
 * a squared-error forest fitted on -y is the mirror of the one fitted on y, so
 * importances of a maximised objective are those of its negation.
 *
 * Conditional parameters: by default the analysis covers the parameters present in
 * every COMPLETE trial (the intersection search space, as in Optuna); the others are
 * listed in `skipped`. Pass `params` to analyse a conditional branch: only the
 * trials that have all of those parameters are used.
 */
export interface ImportanceOptions {
  /** `"fanova"` (default) or `"mdi"`. */
  method?: ImportanceMethod;
  /** Parameters to assess (default: the intersection search space of the COMPLETE trials). */
  params?: readonly string[];
  /** The number analysed for each trial (default: `trial.value`). */
  target?: (trial: TrialRecord) => number | null;
  /** Number of trees (default 64). */
  nTrees?: number;
  /** Maximum tree depth (default 64). */
  maxDepth?: number;
  /** Minimum samples to split a node (default 2). */
  minSamplesSplit?: number;
  /** Minimum samples per leaf (default 1). */
  minSamplesLeaf?: number;
  /** Fraction of parameters tried per split (default 1: all). */
  maxFeatures?: number;
  /** Seed or generator for the bootstrap resamples (default seed 0, so results repeat). */
  seed?: number | Rng;
  /**
   * Fit on a random sample of at most this many trials (default 5,000), so a study of
   * 100,000 trials is assessed in about a second; `nTrials` tells how many were used.
   */
  maxTrials?: number;
}

export type ImportanceMethod = "fanova" | "mdi";

export interface ParamImportance {
  name: string;
  /** Share of the explained variance (they sum to 1 over `importances`, unless all are 0). */
  importance: number;
  /** Standard deviation over the trees of the forest: how sure the estimate is. */
  std: number;
}

export interface ImportanceResult {
  method: ImportanceMethod;
  /** Sorted by importance, most important first. */
  importances: ParamImportance[];
  /** Parameters not assessed, with the reason. */
  skipped: SkippedParam[];
  /** Trials the forest was fitted on. */
  nTrials: number;
  /** COMPLETE trials that could be used (more than `nTrials` when sampled down to `maxTrials`). */
  nEligible: number;
  /** Trees with a non-constant prediction (those the fANOVA averages over). */
  nTrees: number;
  /** Set when the result carries no information (e.g. every value is the same). */
  warning?: string;
}

const OPTION_KEYS = [
  "method",
  "params",
  "target",
  "nTrees",
  "maxDepth",
  "minSamplesSplit",
  "minSamplesLeaf",
  "maxFeatures",
  "seed",
  "maxTrials",
] as const;

function checkOptions(options: ImportanceOptions): void {
  checkOptionKeys("paramImportances", options, OPTION_KEYS);
  const method = options.method ?? "fanova";
  if (method !== "fanova" && method !== "mdi")
    throw new ValueError(`paramImportances: method must be "fanova" or "mdi", got ${show(method)}.`);
  const positiveInt = (key: "nTrees" | "maxDepth" | "minSamplesSplit" | "minSamplesLeaf" | "maxTrials", min: number) => {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < min))
      throw new ValueError(`paramImportances: ${key} must be an integer ≥ ${min}, got ${show(v)}.`);
  };
  positiveInt("nTrees", 1);
  positiveInt("maxDepth", 1);
  positiveInt("minSamplesSplit", 2);
  positiveInt("minSamplesLeaf", 1);
  positiveInt("maxTrials", 2);
  const mf = options.maxFeatures;
  if (mf !== undefined && !(typeof mf === "number" && mf > 0 && mf <= 1))
    throw new ValueError(`paramImportances: maxFeatures must be a fraction in (0, 1], got ${show(mf)}.`);
  if (options.params !== undefined && (!Array.isArray(options.params) || options.params.some((p) => typeof p !== "string"))) {
    throw new ValueError(`paramImportances: params must be an array of parameter names, got ${show(options.params)}.`);
  }
}

/** The design matrix in model space, and the search space bounds the fANOVA integrates over. */
function buildData(trials: readonly TrialRecord[], params: readonly AnalysisParam[], targets: readonly number[]): TreeData {
  const n = trials.length;
  const columns = params.map((p) => {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = toModelSpace(p, paramValue(trials[i], p.name));
    return column;
  });
  const categories = Int32Array.from(params, (p) => (p.kind === "categorical" ? p.choices.length : 0));
  // Centring keeps sums of squares precise; it changes no split and no variance.
  let mean = 0;
  for (const t of targets) mean += t;
  mean /= n;
  const y = Float64Array.from(targets, (t) => t - mean);
  return { n, columns, categories, y };
}

/**
 * Importance of each parameter for the objective value, from the COMPLETE trials
 * with a finite value. Throws `ValueError` with fewer than two such trials.
 */
export function paramImportances(trials: readonly TrialRecord[], options: ImportanceOptions = {}): ImportanceResult {
  checkOptions(options);
  const method = options.method ?? "fanova";
  const target = options.target ?? ((t: TrialRecord) => t.value);
  const complete = trials.filter((t) => {
    if (t.state !== "COMPLETE") return false;
    const v = target(t);
    return typeof v === "number" && Number.isFinite(v);
  });
  if (complete.length < 2) {
    throw new ValueError(
      `paramImportances: needs at least 2 COMPLETE trials with a finite value, got ${complete.length}; run more trials first.`,
    );
  }
  const { params, skipped } = inferSpace(complete, { params: options.params });
  const used = options.params ? complete.filter((t) => options.params!.every((p) => hasParam(t, p))) : complete;
  if (options.params && used.length < 2) {
    throw new ValueError(
      `paramImportances: only ${used.length} COMPLETE trial(s) have all of ${show(options.params)}; importance needs at least 2.`,
    );
  }
  // Values outside a stored distribution cannot be placed; such trials are left out.
  const eligible = used.filter((t) => params.every((p) => Number.isFinite(toModelSpace(p, paramValue(t, p.name)))));
  const rng = options.seed instanceof Rng ? options.seed : new Rng(options.seed ?? 0);
  const rows = sample(eligible, options.maxTrials ?? 5000, rng);
  const base = { method, skipped, nTrials: rows.length, nEligible: eligible.length };
  if (params.length === 0) return { ...base, importances: [], nTrees: 0, warning: "no parameter to assess" };
  if (rows.length < 2) return { ...base, importances: zeros(params), nTrees: 0, warning: "fewer than 2 trials fit the search space" };

  const data = buildData(
    rows,
    params,
    rows.map((t) => target(t) as number),
  );
  const trees = growForest(data, options, rng);
  const perTree = method === "fanova" ? fanovaFractions(trees, params) : mdiFractions(trees, params.length);
  if (perTree.length === 0) {
    return {
      ...base,
      importances: zeros(params),
      nTrees: 0,
      warning: "every tree predicts a constant (all values equal?): no importance to assess",
    };
  }
  const mean = new Float64Array(params.length);
  const std = new Float64Array(params.length);
  for (let j = 0; j < params.length; j++) {
    let s = 0;
    for (const fractions of perTree) s += fractions[j];
    mean[j] = s / perTree.length;
    let ss = 0;
    for (const fractions of perTree) ss += (fractions[j] - mean[j]) ** 2;
    std[j] = Math.sqrt(ss / perTree.length);
  }
  const total = mean.reduce((a, b) => a + b, 0);
  const scale = total > 0 ? 1 / total : 0;
  const importances = params
    .map((p, j) => ({ name: p.name, importance: mean[j] * scale, std: std[j] * scale }))
    .sort((a, b) => b.importance - a.importance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...base, importances, nTrees: perTree.length, ...(total > 0 ? {} : { warning: "no parameter explains any variance" }) };
}

/** At most `max` of `trials`, drawn without replacement, in their original order. */
function sample(trials: readonly TrialRecord[], max: number, rng: Rng): readonly TrialRecord[] {
  if (trials.length <= max) return trials;
  const index = Array.from({ length: trials.length }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rng.random() * (index.length - i));
    [index[i], index[j]] = [index[j], index[i]];
  }
  return index
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => trials[i]);
}

function zeros(params: readonly AnalysisParam[]): ParamImportance[] {
  return params.map((p) => ({ name: p.name, importance: 0, std: 0 }));
}

/** Per tree with a non-constant prediction: each parameter's share of the tree's variance. */
function fanovaFractions(trees: readonly RegressionTree[], params: readonly AnalysisParam[]): Float64Array[] {
  const space = {
    low: Float64Array.from(params, (p) => (p.kind === "categorical" ? 0 : p.low)),
    high: Float64Array.from(params, (p) => (p.kind === "categorical" ? 0 : p.high)),
    categories: Int32Array.from(params, (p) => (p.kind === "categorical" ? p.choices.length : 0)),
  };
  const result: Float64Array[] = [];
  for (const tree of trees) {
    const { variance, marginalVariance } = decomposeTree(tree, space);
    if (!(variance > 0)) continue;
    result.push(marginalVariance.map((v) => v / variance));
  }
  return result;
}

/** Per tree with at least one split: each parameter's share of the squared-error decrease. */
function mdiFractions(trees: readonly RegressionTree[], d: number): Float64Array[] {
  const result: Float64Array[] = [];
  for (const tree of trees) {
    const sums = new Float64Array(d);
    for (let node = 0; node < tree.nodeCount; node++) if (tree.feature[node] >= 0) sums[tree.feature[node]] += tree.decrease[node];
    const total = sums.reduce((a, b) => a + b, 0);
    if (total > 0) result.push(sums.map((s) => s / total));
  }
  return result;
}
