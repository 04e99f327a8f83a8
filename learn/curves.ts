/**
 * Validation and learning curves, scikit-learn's `validation_curve` and
 * `learning_curve`: train and validation scores per fold as one hyperparameter
 * varies, or as the training set grows. Where the two scores part, the model
 * over-fits; where both stay low, it under-fits. Every point is a `crossValidate`
 * over the same folds, so curves and tuning agree.
 */
import type { DataFrame, Series } from "danfojs-node";
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import type { JsonValue } from "../core/records.js";
import { Rng } from "../core/rng.js";
import { type CrossValidateOptions, crossValidate, resolveFolds } from "./cross-validate.js";
import { CURVE_ATTR_PREFIX, type CurveSink } from "./curve-record.js";
import type { Estimator } from "./estimator.js";
import type { Label } from "./labels.js";
import type { RawFeatures } from "./preprocessing.js";
import type { Fold } from "./splitters/index.js";

export { CURVE_ATTR_PREFIX, type CurveSink } from "./curve-record.js";

interface CurveCvOptions extends Pick<CrossValidateOptions, "cv" | "scoring" | "groups"> {
  /**
   * Keep the result as a user attribute (`CURVE_ATTR_PREFIX` and the curve's name) of this
   * study or trial, as JSON; a curve recorded again under the same name replaces the old one.
   * Default: not kept.
   */
  record?: CurveSink;
}

export interface ValidationCurveOptions<V> extends CurveCvOptions {
  /** The hyperparameter's values, in the order to draw them. */
  values: readonly V[];
  /**
   * The hyperparameter's name: the chart's axis title, and the recorded attribute's name
   * ("curve:<param>"). Default none ("curve:validation").
   */
  param?: string;
}

export interface CurveScores {
  /** One row per point of the curve, one column per fold. */
  trainScores: number[][];
  testScores: number[][];
  /** The scorer, and so which way is better. */
  scoring: { name: string; greaterIsBetter: boolean };
  /** The splitter, e.g. "StratifiedKFold(nSplits=5)". */
  cv: string;
}

export interface ValidationCurveResult<V> extends CurveScores {
  /** Tells a validation curve from other results (`show` draws it). */
  kind: "validation-curve";
  /** The hyperparameter's name, when given. */
  param?: string;
  values: V[];
}

export interface LearningCurveOptions extends CurveCvOptions {
  /**
   * Training-set sizes: fractions in (0, 1] of the first training fold, or, when
   * every value is a whole number and one is above 1, row counts (scikit-learn
   * tells them apart by the array's dtype). Sizes are rounded down, made at
   * least 1, sorted and made unique. Default [0.1, 0.325, 0.55, 0.775, 1].
   */
  trainSizes?: readonly number[];
  /** Shuffle each fold's training rows before taking its first n (default false: the rows in order). */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

export interface LearningCurveResult extends CurveScores {
  /** Tells a learning curve from other results (`show` draws it). */
  kind: "learning-curve";
  /** The absolute training-set sizes, ascending. */
  trainSizes: number[];
}

const CV_KEYS = ["cv", "scoring", "groups", "record"];
const DEFAULT_TRAIN_SIZES = [0.1, 0.325, 0.55, 0.775, 1];

/**
 * Train and validation scores of `makeEstimator(value)` for each value:
 * `await validationCurve((k) => new KNNClassifier({ k }), X, y, { values: [1, 5, 15], cv: 5 })`.
 * With `param: "k", record: study` the study keeps it ("curve:k") and its page draws it.
 */
export async function validationCurve<V, Y extends Label>(
  makeEstimator: (value: V) => Estimator<Y>,
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series,
  options: ValidationCurveOptions<V>,
): Promise<ValidationCurveResult<V>> {
  const where = "validationCurve";
  checkOptionKeys(where, options, ["values", "param", ...CV_KEYS]);
  checkFactory(where, makeEstimator);
  const { values, param } = options;
  if (!Array.isArray(values) || values.length === 0) {
    throw new ValueError(`${where}: values must be a non-empty array of the hyperparameter's values, got ${show(values)}.`);
  }
  if (param !== undefined && (typeof param !== "string" || param === "")) {
    throw new ValueError(`${where}: param names the hyperparameter (e.g. "k"); got ${show(param)}.`);
  }
  checkSink(where, options.record);
  if (options.record) checkStorable(where, values);
  const { splitter, folds } = resolveFolds(where, () => makeEstimator(values[0]), X, y, options);
  const points = values.map((value) => ({ make: () => makeEstimator(value), folds }));
  const scores = await scoreCurve(points, X, y, options, splitter.description);
  const result: ValidationCurveResult<V> = { kind: "validation-curve", ...(param ? { param } : {}), values: [...values], ...scores };
  await options.record?.setUserAttr(`${CURVE_ATTR_PREFIX}${param ?? "validation"}`, result as unknown as JsonValue);
  return result;
}

/**
 * Train and validation scores as the training set grows, on the first n rows of
 * each training fold (the test folds stay whole):
 * `await learningCurve(() => new GaussianNB(), X, y, { trainSizes: [0.2, 0.5, 1] })`.
 */
export async function learningCurve<Y extends Label>(
  makeEstimator: () => Estimator<Y>,
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series,
  options: LearningCurveOptions = {},
): Promise<LearningCurveResult> {
  const where = "learningCurve";
  checkOptionKeys(where, options, ["trainSizes", "shuffle", "seed", ...CV_KEYS]);
  checkFactory(where, makeEstimator);
  checkSink(where, options.record);
  const { splitter, folds } = resolveFolds(where, makeEstimator, X, y, options);
  const sizes = absoluteTrainSizes(where, options.trainSizes ?? DEFAULT_TRAIN_SIZES, folds[0].train.length);
  let ordered = folds;
  if (options.shuffle) {
    const rng = new Rng(options.seed ?? 0);
    ordered = folds.map((fold) => ({ train: rng.shuffle([...fold.train]), test: fold.test }));
  } else if (options.seed !== undefined) {
    throw new ValueError(`${where}: seed sets the shuffle of the training rows; pass shuffle: true with it, or leave seed out.`);
  }
  const points = sizes.map((size) => ({
    make: makeEstimator,
    folds: ordered.map((fold) => ({ train: fold.train.slice(0, size), test: fold.test })),
  }));
  const result: LearningCurveResult = {
    kind: "learning-curve",
    trainSizes: sizes,
    ...(await scoreCurve(points, X, y, options, splitter.description)),
  };
  await options.record?.setUserAttr(`${CURVE_ATTR_PREFIX}learning`, result as unknown as JsonValue);
  return result;
}

/**
 * scikit-learn's `_translate_train_sizes`: fractions of the first training fold's rows
 * or absolute counts, rounded down, at least 1, sorted and unique.
 */
export function absoluteTrainSizes(where: string, trainSizes: readonly number[], largest: number): number[] {
  if (!Array.isArray(trainSizes) || trainSizes.length === 0 || trainSizes.some((s) => typeof s !== "number" || !Number.isFinite(s))) {
    throw new ValueError(`${where}: trainSizes must be a non-empty array of numbers, got ${show(trainSizes)}.`);
  }
  const low = Math.min(...trainSizes);
  const high = Math.max(...trainSizes);
  let sizes: number[];
  if (trainSizes.every(Number.isInteger) && high > 1) {
    if (low <= 0 || high > largest) {
      throw new ValueError(
        `${where}: trainSizes ${show(trainSizes)} are read as row counts and must be within 1..${largest} ` +
          `(the first training fold's rows); pass counts in that range, or fractions in (0, 1].`,
      );
    }
    sizes = [...trainSizes];
  } else {
    if (low <= 0 || high > 1) {
      throw new ValueError(
        `${where}: trainSizes ${show(trainSizes)} are read as fractions of the training rows and must be within (0, 1]; ` +
          `pass fractions, or whole row counts.`,
      );
    }
    sizes = trainSizes.map((s) => Math.min(largest, Math.max(1, Math.trunc(s * largest))));
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** Cross-validate each point of a curve on its folds, train scores included. */
async function scoreCurve<Y extends Label>(
  points: readonly { make: () => Estimator<Y>; folds: readonly Fold[] }[],
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series,
  options: CurveCvOptions,
  description: string,
): Promise<CurveScores> {
  const trainScores: number[][] = [];
  const testScores: number[][] = [];
  let scoring = { name: "", greaterIsBetter: true };
  for (const { make, folds } of points) {
    const cv = { description, split: () => folds.map((f) => ({ train: [...f.train], test: [...f.test] })) };
    const result = await crossValidate(make, X, y, { cv, scoring: options.scoring, groups: options.groups, returnTrainScore: true });
    trainScores.push(result.trainScores!);
    testScores.push(result.testScores);
    scoring = result.scoring;
  }
  return { trainScores, testScores, scoring, cv: description };
}

function checkSink(where: string, record: unknown): void {
  if (record === undefined) return;
  if (record === null || typeof record !== "object" || typeof (record as CurveSink).setUserAttr !== "function") {
    throw new ValueError(
      `${where}: record keeps the curve in a study (or trial): pass one with setUserAttr, e.g. record: study; got ${show(record)}.`,
    );
  }
}

/** A recorded curve is JSON: its values must be what JSON holds as is. */
function checkStorable(where: string, values: readonly unknown[]): void {
  const at = values.findIndex(
    (v) => !(v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))),
  );
  if (at >= 0) {
    throw new ValueError(
      `${where}: a recorded curve keeps its values as JSON, and values[${at}] = ${show(values[at])} is not a finite number, string, boolean or null; ` +
        'record the values by name (e.g. values: ["rbf", "linear"]) and build the estimator from the name.',
    );
  }
}

function checkFactory(where: string, makeEstimator: unknown): void {
  if (typeof makeEstimator !== "function") {
    throw new ValueError(`${where}: the first argument must be a function returning a new estimator, got ${show(makeEstimator)}.`);
  }
}
