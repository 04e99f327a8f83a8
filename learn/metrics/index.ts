/**
 * Metrics with scikit-learn's definitions, and scorers: a metric plus whether
 * greater is better and what it scores (predicted labels or probabilities), so
 * a study's direction and a cross-validation's calls follow from its name.
 */
import { checkOptionKeys, closest, show, ValueError } from "../../core/errors.js";
import type { Label } from "../labels.js";
import {
  accuracy,
  balancedAccuracy,
  cohenKappa,
  confusionMatrix,
  f1,
  matthewsCorrcoef,
  type PrecisionRecallOptions,
  precision,
  recall,
} from "./classification.js";
import { LABEL_COMPARISONS } from "./clustering.js";
import * as external from "./clustering-external.js";
import * as internal from "./clustering-internal.js";
import { logLoss, rocAuc, type Scores } from "./probabilistic.js";
import { explainedVariance, mae, mape, mse, r2, rmse } from "./regression.js";

export type { Average, BalancedAccuracyOptions, CohenKappaOptions, PrecisionRecallOptions } from "./classification.js";
export {
  CLUSTERING_SCORER_NAMES,
  type ClusteringData,
  type ClusteringScorer,
  type ClusteringScorerName,
  type ClusteringScorerOptions,
  clusteringScorer,
} from "./clustering.js";
export {
  type AverageMethod,
  adjustedMutualInfo,
  adjustedRand,
  completeness,
  fowlkesMallows,
  homogeneity,
  type MutualInfoOptions,
  mutualInfo,
  normalizedMutualInfo,
  rand,
  type VMeasureOptions,
  vMeasure,
} from "./clustering-external.js";
export {
  type ClusterScoreOptions,
  calinskiHarabasz,
  daviesBouldin,
  type NoiseHandling,
  type SilhouetteMetric,
  type SilhouetteOptions,
  silhouette,
  silhouetteSamples,
} from "./clustering-internal.js";
export type { LogLossOptions, RocAucOptions, Scores } from "./probabilistic.js";

/** A metric function that knows its direction. */
export type Metric<F extends (...args: never[]) => number> = F & { readonly greaterIsBetter: boolean };

function metric<F extends (...args: never[]) => number>(fn: F, greaterIsBetter: boolean): Metric<F> {
  return Object.assign(fn, { greaterIsBetter });
}

/**
 * Every metric, e.g. `metrics.f1(yTrue, yPred, { average: "macro" })`; `metrics.mse.greaterIsBetter === false`.
 * The supervised metrics and the clustering comparisons (adjustedRand … fowlkesMallows) take
 * (yTrue, yPred, options?); the internal clustering scores take the clustered rows instead:
 * `metrics.silhouette(X, labels, { noise: "exclude" })`, and `metrics.daviesBouldin` is lower-is-better.
 */
export const metrics = {
  accuracy: metric(accuracy, true),
  balancedAccuracy: metric(balancedAccuracy, true),
  precision: metric(precision, true),
  recall: metric(recall, true),
  f1: metric(f1, true),
  matthewsCorrcoef: metric(matthewsCorrcoef, true),
  cohenKappa: metric(cohenKappa, true),
  rocAuc: metric(rocAuc, true),
  logLoss: metric(logLoss, false),
  mse: metric(mse, false),
  rmse: metric(rmse, false),
  mae: metric(mae, false),
  r2: metric(r2, true),
  explainedVariance: metric(explainedVariance, true),
  mape: metric(mape, false),
  silhouette: metric(internal.silhouette, true),
  calinskiHarabasz: metric(internal.calinskiHarabasz, true),
  daviesBouldin: metric(internal.daviesBouldin, false),
  adjustedRand: metric(external.adjustedRand, true),
  rand: metric(external.rand, true),
  mutualInfo: metric(external.mutualInfo, true),
  normalizedMutualInfo: metric(external.normalizedMutualInfo, true),
  adjustedMutualInfo: metric(external.adjustedMutualInfo, true),
  homogeneity: metric(external.homogeneity, true),
  completeness: metric(external.completeness, true),
  vMeasure: metric(external.vMeasure, true),
  fowlkesMallows: metric(external.fowlkesMallows, true),
} as const;

export { confusionMatrix };

/** What a scorer needs from a fitted estimator. */
export type ScorerInput = "predictions" | "probabilities";

const SCORER_INPUTS: readonly ScorerInput[] = ["predictions", "probabilities"];

/** Output of `predict` (labels or values) or of `predictProba` (one row of class probabilities per sample). */
export type EstimatorOutput = readonly Label[] | readonly (readonly number[])[];

/**
 * A named score with a direction. `score` takes the true targets and the
 * estimator's output of the kind `input` names; for probabilities, `classes`
 * gives the column order (the estimator's sorted classes).
 */
export interface Scorer {
  readonly name: string;
  readonly greaterIsBetter: boolean;
  readonly input: ScorerInput;
  score(yTrue: readonly Label[], output: EstimatorOutput, classes?: readonly Label[]): number;
}

function labelsOf(name: string, output: EstimatorOutput): readonly Label[] {
  if (output.length > 0 && Array.isArray(output[0])) {
    throw new ValueError(`scorer ${show(name)}: expected predicted labels, got a probability matrix.`);
  }
  return output as readonly Label[];
}

function numbersOf(name: string, values: readonly unknown[], what: string): readonly number[] {
  const bad = values.find((v) => typeof v !== "number");
  if (bad !== undefined) {
    throw new ValueError(`scorer ${show(name)}: ${what} must be numbers for a regression score, found ${show(bad)}.`);
  }
  return values as readonly number[];
}

function probabilitiesOf(name: string, output: EstimatorOutput): readonly (readonly number[])[] {
  if (output.length > 0 && !Array.isArray(output[0])) {
    throw new ValueError(`scorer ${show(name)}: expected class probabilities (predictProba), got labels.`);
  }
  return output as readonly (readonly number[])[];
}

function labelScorer(name: string, greaterIsBetter: boolean, fn: (yTrue: readonly Label[], yPred: readonly Label[]) => number): Scorer {
  return { name, greaterIsBetter, input: "predictions", score: (yTrue, output) => fn(yTrue, labelsOf(name, output)) };
}

function regressionScorer(
  name: string,
  fn: (yTrue: readonly number[], yPred: readonly number[]) => number,
  greaterIsBetter: boolean,
  sign = 1,
): Scorer {
  return {
    name,
    greaterIsBetter: sign < 0 ? true : greaterIsBetter,
    input: "predictions",
    score: (yTrue, output) => sign * fn(numbersOf(name, yTrue, "yTrue"), numbersOf(name, labelsOf(name, output), "predictions")),
  };
}

function probabilityScorer(
  name: string,
  greaterIsBetter: boolean,
  fn: (yTrue: readonly Label[], proba: Scores, classes: readonly Label[] | undefined) => number,
  sign = 1,
): Scorer {
  return {
    name,
    greaterIsBetter: sign < 0 ? true : greaterIsBetter,
    input: "probabilities",
    score: (yTrue, output, classes) => sign * fn(yTrue, probabilitiesOf(name, output), classes),
  };
}

const prf = (fn: typeof precision, options: PrecisionRecallOptions) => (yTrue: readonly Label[], yPred: readonly Label[]) =>
  fn(yTrue, yPred, options);

const aucMulticlass =
  (multiClass: "ovr" | "ovo", average: "macro" | "weighted") => (yTrue: readonly Label[], proba: Scores, classes?: readonly Label[]) =>
    rocAuc(yTrue, proba, { multiClass, average, labels: classes });

/** The clustering label comparisons (adjustedRand, adjusted_rand_score, …) as scorers of predicted labels. */
const CLUSTERING_SCORERS = Object.fromEntries(
  Object.entries(LABEL_COMPARISONS).map(([name, fn]) => [name, () => labelScorer(name, true, fn)]),
) as { [Name in keyof typeof LABEL_COMPARISONS]: () => Scorer };

/**
 * Every scorer by name: tunebook's camelCase names (positive losses, with
 * `greaterIsBetter: false`), and scikit-learn's scoring strings, whose
 * `neg_*` losses are negated so that greater is better, as there.
 */
const SCORERS = {
  accuracy: () => labelScorer("accuracy", true, accuracy),
  balancedAccuracy: () => labelScorer("balancedAccuracy", true, (t, p) => balancedAccuracy(t, p)),
  precision: () => labelScorer("precision", true, prf(precision, {})),
  precisionMacro: () => labelScorer("precisionMacro", true, prf(precision, { average: "macro" })),
  precisionMicro: () => labelScorer("precisionMicro", true, prf(precision, { average: "micro" })),
  precisionWeighted: () => labelScorer("precisionWeighted", true, prf(precision, { average: "weighted" })),
  recall: () => labelScorer("recall", true, prf(recall, {})),
  recallMacro: () => labelScorer("recallMacro", true, prf(recall, { average: "macro" })),
  recallMicro: () => labelScorer("recallMicro", true, prf(recall, { average: "micro" })),
  recallWeighted: () => labelScorer("recallWeighted", true, prf(recall, { average: "weighted" })),
  f1: () => labelScorer("f1", true, prf(f1, {})),
  f1Macro: () => labelScorer("f1Macro", true, prf(f1, { average: "macro" })),
  f1Micro: () => labelScorer("f1Micro", true, prf(f1, { average: "micro" })),
  f1Weighted: () => labelScorer("f1Weighted", true, prf(f1, { average: "weighted" })),
  matthewsCorrcoef: () => labelScorer("matthewsCorrcoef", true, matthewsCorrcoef),
  cohenKappa: () => labelScorer("cohenKappa", true, (t, p) => cohenKappa(t, p)),
  rocAuc: () => probabilityScorer("rocAuc", true, (t, p, classes) => rocAuc(t, p, { labels: classes })),
  rocAucOvr: () => probabilityScorer("rocAucOvr", true, aucMulticlass("ovr", "macro")),
  rocAucOvrWeighted: () => probabilityScorer("rocAucOvrWeighted", true, aucMulticlass("ovr", "weighted")),
  rocAucOvo: () => probabilityScorer("rocAucOvo", true, aucMulticlass("ovo", "macro")),
  rocAucOvoWeighted: () => probabilityScorer("rocAucOvoWeighted", true, aucMulticlass("ovo", "weighted")),
  logLoss: () => probabilityScorer("logLoss", false, (t, p, classes) => logLoss(t, p, { labels: classes })),
  mse: () => regressionScorer("mse", mse, false),
  rmse: () => regressionScorer("rmse", rmse, false),
  mae: () => regressionScorer("mae", mae, false),
  r2: () => regressionScorer("r2", r2, true),
  explainedVariance: () => regressionScorer("explainedVariance", explainedVariance, true),
  mape: () => regressionScorer("mape", mape, false),
  // scikit-learn's scoring strings
  balanced_accuracy: () => labelScorer("balanced_accuracy", true, (t, p) => balancedAccuracy(t, p)),
  precision_macro: () => labelScorer("precision_macro", true, prf(precision, { average: "macro" })),
  precision_micro: () => labelScorer("precision_micro", true, prf(precision, { average: "micro" })),
  precision_weighted: () => labelScorer("precision_weighted", true, prf(precision, { average: "weighted" })),
  recall_macro: () => labelScorer("recall_macro", true, prf(recall, { average: "macro" })),
  recall_micro: () => labelScorer("recall_micro", true, prf(recall, { average: "micro" })),
  recall_weighted: () => labelScorer("recall_weighted", true, prf(recall, { average: "weighted" })),
  f1_macro: () => labelScorer("f1_macro", true, prf(f1, { average: "macro" })),
  f1_micro: () => labelScorer("f1_micro", true, prf(f1, { average: "micro" })),
  f1_weighted: () => labelScorer("f1_weighted", true, prf(f1, { average: "weighted" })),
  matthews_corrcoef: () => labelScorer("matthews_corrcoef", true, matthewsCorrcoef),
  roc_auc: () => probabilityScorer("roc_auc", true, (t, p, classes) => rocAuc(t, p, { labels: classes })),
  roc_auc_ovr: () => probabilityScorer("roc_auc_ovr", true, aucMulticlass("ovr", "macro")),
  roc_auc_ovr_weighted: () => probabilityScorer("roc_auc_ovr_weighted", true, aucMulticlass("ovr", "weighted")),
  roc_auc_ovo: () => probabilityScorer("roc_auc_ovo", true, aucMulticlass("ovo", "macro")),
  roc_auc_ovo_weighted: () => probabilityScorer("roc_auc_ovo_weighted", true, aucMulticlass("ovo", "weighted")),
  neg_log_loss: () => probabilityScorer("neg_log_loss", false, (t, p, classes) => logLoss(t, p, { labels: classes }), -1),
  neg_mean_squared_error: () => regressionScorer("neg_mean_squared_error", mse, false, -1),
  neg_root_mean_squared_error: () => regressionScorer("neg_root_mean_squared_error", rmse, false, -1),
  neg_mean_absolute_error: () => regressionScorer("neg_mean_absolute_error", mae, false, -1),
  neg_mean_absolute_percentage_error: () => regressionScorer("neg_mean_absolute_percentage_error", mape, false, -1),
  explained_variance: () => regressionScorer("explained_variance", explainedVariance, true),
  ...CLUSTERING_SCORERS,
} satisfies Record<string, () => Scorer>;

export type ScorerName = keyof typeof SCORERS;

/** Every name `scorer` accepts. */
export const SCORER_NAMES = Object.keys(SCORERS) as ScorerName[];

/** The scorer called `name` (a `Scorer` passes through unchanged). */
export function scorer(name: ScorerName | Scorer): Scorer {
  if (typeof name === "object" && name !== null && typeof name.score === "function") return name;
  if (typeof name !== "string" || !Object.hasOwn(SCORERS, name)) {
    const hint = typeof name === "string" ? closest(name, SCORER_NAMES) : undefined;
    throw new ValueError(
      `unknown scoring ${show(name)}.` +
        (hint ? ` Did you mean ${show(hint)}?` : "") +
        ` Known scorers: ${SCORER_NAMES.join(", ")}; or pass a Scorer made with makeScorer.`,
    );
  }
  return SCORERS[name as ScorerName]();
}

export interface MakeScorerOptions {
  /** Whether larger scores are better (so a study maximises). Default true. */
  greaterIsBetter?: boolean;
  /** Score predicted labels/values, or class probabilities. Default "predictions". */
  input?: ScorerInput;
}

/** A scorer from your own function of (yTrue, output, classes). */
export function makeScorer(
  name: string,
  score: (yTrue: readonly Label[], output: EstimatorOutput, classes?: readonly Label[]) => number,
  options: MakeScorerOptions = {},
): Scorer {
  const where = "makeScorer";
  checkOptionKeys(where, options, ["greaterIsBetter", "input"]);
  if (typeof name !== "string" || name === "") throw new ValueError(`${where}: name must be a non-empty string, got ${show(name)}.`);
  if (typeof score !== "function") throw new ValueError(`${where}: score must be a function, got ${show(score)}.`);
  const { greaterIsBetter = true, input = "predictions" } = options;
  if (typeof greaterIsBetter !== "boolean") {
    throw new ValueError(`${where}: greaterIsBetter must be true or false, got ${show(greaterIsBetter)}.`);
  }
  if (!SCORER_INPUTS.includes(input)) {
    const hint = typeof input === "string" ? closest(input, SCORER_INPUTS) : undefined;
    throw new ValueError(
      `${where}: input must be "predictions" or "probabilities", got ${show(input)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`,
    );
  }
  return { name, greaterIsBetter, input, score };
}
