/**
 * k-fold cross-validation of an estimator factory, scikit-learn's
 * `cross_validate`: a fresh estimator per fold, fitted on the training rows
 * only; with a trial, each fold's score is reported so a pruner can stop a bad
 * configuration after a fold or two. A clusterer is fitted on the training rows
 * and labels the test rows with `predict`; y is then needed only by scorers that
 * compare the clusters with known classes.
 */
import type { DataFrame, Series } from "danfojs-node";
import { checkOptionKeys, show, TrialPruned, ValueError } from "../core/errors.js";
import { type JsonValue, USER_ATTR } from "../core/records.js";
import { describeModel, labelsNewRows, rowsSeenByFinalStep } from "./clusterer-parts.js";
import { type ClusteringScoring, clusteringScorers, isClusteringScorer } from "./clustering-scoring.js";
import type { Estimator, Features } from "./estimator.js";
import type { Label } from "./labels.js";
import {
  CLUSTERING_SCORER_NAMES,
  type EstimatorOutput,
  scorer as findScorer,
  SCORER_NAMES,
  type Scorer,
  type ScorerName,
} from "./metrics/index.js";
import { toRows, toTargets } from "./model-inputs.js";
import type { RawFeatures } from "./preprocessing.js";
import { type Fold, KFold, type Splitter, StratifiedKFold } from "./splitters/index.js";

/** What crossValidate needs of a trial (tunebook's `Trial` has it). */
export interface CrossValidationTrial {
  report(value: number, step: number): void;
  shouldPrune(): boolean;
  setUserAttr(key: string, value: JsonValue): void;
}

export interface CrossValidateOptions {
  /**
   * The folds: a splitter, or a number k for k folds — StratifiedKFold for a
   * classifier, KFold otherwise (as scikit-learn does). Default 5.
   */
  cv?: Splitter | number;
  /**
   * A scorer name (e.g. "accuracy", "f1Macro", "rmse") or a Scorer; for a clusterer, a
   * clustering scorer name (e.g. "silhouette", "daviesBouldin", "adjustedRand") or a
   * `clusteringScorer(...)`. Default "accuracy" for a classifier, "silhouette" for a
   * clusterer, "r2" otherwise.
   */
  scoring?: ScorerName | Scorer | ClusteringScoring;
  /** Also score each fold's training rows (to see over-fitting). Default false. */
  returnTrainScore?: boolean;
  /** Group labels, one per row, for GroupKFold and LeaveOneGroupOut. */
  groups?: readonly Label[];
  /**
   * Report each fold's score as an intermediate value (step = fold index), stop
   * with `TrialPruned` when the pruner says so, and keep the scores in the
   * user attributes "fold_scores" (and "fold_scores_train").
   */
  trial?: CrossValidationTrial;
}

export interface CrossValidateResult {
  /** The test score of each fold, in fold order. */
  testScores: number[];
  /** The training score of each fold, with `returnTrainScore`. */
  trainScores?: number[];
  /** Seconds spent in fit, per fold. */
  fitTimes: number[];
  /** Seconds spent predicting and scoring the test rows, per fold. */
  scoreTimes: number[];
  /** Mean and (population) standard deviation of the test scores. */
  mean: number;
  std: number;
  /** The scorer used, and so the direction a study should take. */
  scoring: { name: string; greaterIsBetter: boolean };
  /** The splitter used, e.g. "StratifiedKFold(nSplits=5)". */
  cv: string;
}

const OPTION_KEYS = ["cv", "scoring", "returnTrainScore", "groups", "trial"];

/**
 * Cross-validate `makeEstimator()` on X and y: `const { mean } = await
 * crossValidate(() => new RandomForestClassifier({ nEstimators: 50 }), X, y, { cv: 5 })`.
 * A clusterer that labels new rows (KMeans, MiniBatchKMeans) needs no y:
 * `crossValidate(() => new KMeans({ nClusters: 3 }), X, null)` scores each test fold's
 * silhouette, in the space the clusterer sees (after a pipeline's steps).
 * Errors raised by fit or predict propagate (scikit-learn's `error_score="raise"`).
 */
export async function crossValidate<Y extends Label>(
  makeEstimator: () => Estimator<Y>,
  X: RawFeatures | DataFrame,
  y?: readonly Y[] | Series | null,
  options: CrossValidateOptions = {},
): Promise<CrossValidateResult> {
  const where = "crossValidate";
  checkOptionKeys(where, options, OPTION_KEYS);
  const { rows, targets, first, splitter, folds } = prepare(where, makeEstimator, X, y, options);
  const scoring = evaluation({ where, first, rows, targets, scoring: options.scoring });
  const { trial } = options;
  const result: CrossValidateResult = {
    testScores: [],
    trainScores: options.returnTrainScore ? [] : undefined,
    fitTimes: [],
    scoreTimes: [],
    mean: Number.NaN,
    std: Number.NaN,
    scoring: { name: scoring.name, greaterIsBetter: scoring.greaterIsBetter },
    cv: splitter.description,
  };
  for (let f = 0; f < folds.length; f++) {
    const { train, test } = folds[f];
    const estimator = f === 0 ? first : checkEstimator(where, makeEstimator());
    const started = performance.now();
    // Missing cells reach the estimator only if no step imputed them; its own check names them.
    await fitOn(estimator, pick(rows, train) as Features, targets && pick(targets, train));
    const fitted = performance.now();
    const foldScore = (positions: readonly number[], part: string) =>
      scoring.of(estimator, pick(rows, positions), targets && pick(targets, positions), `fold ${f + 1} of ${folds.length} (${part} rows)`);
    const testScore = foldScore(test, "test");
    result.scoreTimes.push((performance.now() - fitted) / 1000);
    result.fitTimes.push((fitted - started) / 1000);
    result.testScores.push(testScore);
    if (result.trainScores) result.trainScores.push(foldScore(train, "training"));
    if (trial) {
      trial.report(testScore, f);
      trial.setUserAttr(USER_ATTR.foldScores, [...result.testScores]);
      if (result.trainScores) trial.setUserAttr(USER_ATTR.foldScoresTrain, [...result.trainScores]);
      if (f < folds.length - 1 && trial.shouldPrune()) {
        throw new TrialPruned(`pruned after fold ${f + 1} of ${folds.length} (${scoring.name} = ${testScore})`);
      }
    }
  }
  const n = result.testScores.length;
  result.mean = result.testScores.reduce((a, b) => a + b, 0) / n;
  result.std = Math.sqrt(result.testScores.reduce((acc, s) => acc + (s - result.mean) ** 2, 0) / n);
  return result;
}

/** The folds crossValidate takes for this estimator (built once by `makeEstimator`), X and y. */
export function resolveFolds<Y extends Label>(
  where: string,
  makeEstimator: () => Estimator<Y>,
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series | null | undefined,
  options: Pick<CrossValidateOptions, "cv" | "groups"> = {},
): { splitter: Splitter; folds: Fold[] } {
  const { splitter, folds } = prepare(where, makeEstimator, X, y, options);
  return { splitter, folds };
}

/** Rows, targets, a first estimator, and the folds: stratified for a classifier, KFold otherwise (for a number of folds). */
function prepare<Y extends Label>(
  where: string,
  makeEstimator: () => Estimator<Y>,
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series | null | undefined,
  options: Pick<CrossValidateOptions, "cv" | "groups">,
) {
  if (typeof makeEstimator !== "function") {
    throw new ValueError(`${where}: the first argument must be a function returning a new estimator, got ${show(makeEstimator)}.`);
  }
  const rows = toRows(where, X);
  const targets = y === undefined || y === null ? undefined : toTargets(where, y);
  if (targets && rows.length !== targets.length) {
    throw new ValueError(`${where}: X has ${rows.length} rows but y has ${targets.length} values; pass one target per row.`);
  }
  const first = checkEstimator(where, makeEstimator());
  if (!targets && first.kind !== "clusterer") {
    throw new ValueError(
      `${where}: y is missing; ${describeModel(first)} learns from targets, so pass one per row of X. ` +
        `Only a clusterer is cross-validated on X alone.`,
    );
  }
  const splitter = resolveCv(where, options.cv ?? 5, isClassifier(first, targets));
  const folds: Fold[] = splitter.split({ n: rows.length, y: targets, groups: options.groups });
  return { rows, targets, first, splitter, folds };
}

/** A scorer's name and direction, and how it scores a fitted estimator on some rows. */
interface FoldScoring<Y extends Label> {
  name: string;
  greaterIsBetter: boolean;
  of(estimator: Estimator<Y>, X: RawFeatures, y: readonly Y[] | undefined, part: string): number;
}

/** What picking a scoring looks at: the first estimator, the rows and targets, and the scoring option. */
interface ScoringInput<Y extends Label> {
  where: string;
  first: Estimator<Y>;
  rows: RawFeatures;
  targets: readonly Y[] | undefined;
  scoring: CrossValidateOptions["scoring"];
}

/** The scoring of a supervised estimator, or of a clusterer (which must label new rows). */
function evaluation<Y extends Label>(input: ScoringInput<Y>): FoldScoring<Y> {
  const { where, first, targets, scoring } = input;
  if (first.kind === "clusterer") return clustererScoring(input);
  const clusteringOnly =
    typeof scoring === "string" && !(SCORER_NAMES as string[]).includes(scoring) && (CLUSTERING_SCORER_NAMES as string[]).includes(scoring);
  if (clusteringOnly || isClusteringScorer(scoring)) {
    throw new ValueError(
      `${where}: scoring ${show(typeof scoring === "string" ? scoring : scoring?.name)} scores clusterings, ` +
        `but ${describeModel(first)} is no clusterer; pick a scorer of its predictions, e.g. "accuracy" or "r2".`,
    );
  }
  const classifier = isClassifier(first, targets);
  const s = findScorer((scoring as ScorerName | Scorer | undefined) ?? (classifier ? "accuracy" : "r2"));
  return { name: s.name, greaterIsBetter: s.greaterIsBetter, of: (estimator, X, y) => score(where, s, estimator, X, y!) };
}

/** A classifier by its kind, or, when it has none, by string targets. */
function isClassifier<Y extends Label>(estimator: Estimator<Y>, targets: readonly Y[] | undefined): boolean {
  return estimator.kind === "classifier" || (estimator.kind === undefined && (targets ?? []).some((t) => typeof t === "string"));
}

/** Clusterers label each test fold with predict; "features" scorers see the rows as the final clusterer does. */
function clustererScoring<Y extends Label>({ where, first, rows, targets, scoring }: ScoringInput<Y>): FoldScoring<Y> {
  const [s] = clusteringScorers(where, (scoring ?? "silhouette") as ClusteringScoring);
  if (s.input === "truth" && !targets) {
    throw new ValueError(
      `${where}: scoring ${show(s.name)} compares the clusters with known classes; pass them as y, ` +
        `or score against X with e.g. "silhouette".`,
    );
  }
  if (!labelsNewRows(first, rows[0] as number[])) {
    throw new ValueError(
      `${where}: ${describeModel(first)} labels only the rows it is fitted on, so it cannot label a test fold; ` +
        `evaluate it with evaluateClustering(makeModel, X), which fits and scores it on all rows, instead.`,
    );
  }
  return {
    name: s.name,
    greaterIsBetter: s.greaterIsBetter,
    of: (estimator, X, y, part) => {
      const labels: readonly Label[] = estimator.predict(X as Features);
      try {
        return s.score(s.input === "features" ? { X: rowsSeenByFinalStep(estimator, X), labels } : { yTrue: y, labels });
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        throw new ValueError(`${where}: ${part}, ${describeModel(estimator)}: ${error.message}`);
      }
    },
  };
}

/** Fit on the training rows; y is undefined only for a clusterer, whose y is optional. */
function fitOn<Y extends Label>(estimator: Estimator<Y>, X: Features, y: readonly Y[] | undefined): void | Promise<void> {
  return estimator.fit(X, y as readonly Y[]);
}

function resolveCv(where: string, cv: Splitter | number, classifier: boolean): Splitter {
  if (typeof cv === "number") {
    if (!Number.isInteger(cv) || cv < 2) {
      throw new ValueError(`${where}: cv must be a splitter or a number of folds >= 2, got ${show(cv)}.`);
    }
    return classifier ? new StratifiedKFold({ nSplits: cv }) : new KFold({ nSplits: cv });
  }
  if (!cv || typeof cv.split !== "function") {
    throw new ValueError(`${where}: cv must be a splitter (e.g. new KFold({ nSplits: 5 })) or a number of folds, got ${show(cv)}.`);
  }
  return cv;
}

function checkEstimator<Y extends Label>(where: string, estimator: Estimator<Y>): Estimator<Y> {
  if (!estimator || typeof estimator.fit !== "function" || typeof estimator.predict !== "function") {
    throw new ValueError(`${where}: makeEstimator() must return an estimator with fit and predict, got ${show(estimator)}.`);
  }
  return estimator;
}

function score<Y extends Label>(where: string, scoring: Scorer, estimator: Estimator<Y>, X: RawFeatures, y: readonly Y[]): number {
  let output: EstimatorOutput;
  if (scoring.input === "probabilities") {
    if (typeof estimator.predictProba !== "function") {
      throw new ValueError(`${where}: scoring ${show(scoring.name)} needs class probabilities, but the estimator has no predictProba.`);
    }
    output = estimator.predictProba(X as Features);
  } else {
    output = estimator.predict(X as Features);
  }
  return scoring.score(y, output, estimator.classes);
}

function pick<T>(values: readonly T[], rows: readonly number[]): T[] {
  return rows.map((i) => values[i]);
}
