/**
 * k-fold cross-validation of an estimator factory, scikit-learn's
 * `cross_validate`: a fresh estimator per fold, fitted on the training rows
 * only; with a trial, each fold's score is reported so a pruner can stop a bad
 * configuration after a fold or two.
 */
import type { DataFrame, Series } from "danfojs-node";
import { checkOptionKeys, show, TrialPruned, ValueError } from "../core/errors.js";
import type { JsonValue } from "../core/records.js";
import type { Estimator, Features } from "./estimator.js";
import type { Label } from "./labels.js";
import { type EstimatorOutput, scorer as findScorer, type Scorer, type ScorerName } from "./metrics/index.js";
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
  /** A scorer name (e.g. "accuracy", "f1Macro", "rmse") or a Scorer. Default "accuracy" for a classifier, "r2" otherwise. */
  scoring?: ScorerName | Scorer;
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
 * Errors raised by fit or predict propagate (scikit-learn's `error_score="raise"`).
 */
export async function crossValidate<Y extends Label>(
  makeEstimator: () => Estimator<Y>,
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series,
  options: CrossValidateOptions = {},
): Promise<CrossValidateResult> {
  const where = "crossValidate";
  checkOptionKeys(where, options, OPTION_KEYS);
  if (typeof makeEstimator !== "function") {
    throw new ValueError(`${where}: the first argument must be a function returning a new estimator, got ${show(makeEstimator)}.`);
  }
  const rows = toRows(where, X);
  const targets = toTargets(where, y);
  if (rows.length !== targets.length) {
    throw new ValueError(`${where}: X has ${rows.length} rows but y has ${targets.length} values; pass one target per row.`);
  }
  const first = checkEstimator(where, makeEstimator());
  const classifier = first.kind === "classifier" || (first.kind === undefined && targets.some((t) => typeof t === "string"));
  const scoring = findScorer(options.scoring ?? (classifier ? "accuracy" : "r2"));
  const splitter = resolveCv(where, options.cv ?? 5, classifier);
  const folds: Fold[] = splitter.split({ n: rows.length, y: targets, groups: options.groups });
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
    await estimator.fit(pick(rows, train) as Features, pick(targets, train));
    const fitted = performance.now();
    const testScore = score(where, scoring, estimator, pick(rows, test), pick(targets, test));
    result.scoreTimes.push((performance.now() - fitted) / 1000);
    result.fitTimes.push((fitted - started) / 1000);
    result.testScores.push(testScore);
    if (result.trainScores) result.trainScores.push(score(where, scoring, estimator, pick(rows, train), pick(targets, train)));
    if (trial) {
      trial.report(testScore, f);
      trial.setUserAttr("fold_scores", [...result.testScores]);
      if (result.trainScores) trial.setUserAttr("fold_scores_train", [...result.trainScores]);
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

function toRows(where: string, X: RawFeatures | DataFrame): RawFeatures {
  if (Array.isArray(X)) return X;
  if (X && typeof X === "object" && "values" in X && "columns" in X) return (X as DataFrame).values as RawFeatures;
  throw new ValueError(`${where}: X must be an array of rows or a danfo.js DataFrame, got ${show(X)}.`);
}

function toTargets<Y extends Label>(where: string, y: readonly Y[] | Series): readonly Y[] {
  if (Array.isArray(y)) return y;
  if (y && typeof y === "object" && "values" in y) return (y as Series).values as Y[];
  throw new ValueError(`${where}: y must be an array or a danfo.js Series, got ${show(y)}.`);
}
