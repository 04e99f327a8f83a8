import type { Criterion } from "../../core/forest/index.js";
import {
  bootstrapDraws,
  checkForestParams,
  FOREST_PARAM_KEYS,
  type ForestParams,
  forestProba,
  forestValue,
  growForest,
  growOptions,
  impurityImportances,
  type MaxFeatures,
  prepareData,
  type Tree,
  type TreeTarget,
} from "../../core/forest/index.js";
import { checkSeed, Rng } from "../../core/rng.js";
import {
  argmax,
  ClassEncoder,
  checkFeatures,
  checkRegressionTarget,
  checkTraining,
  type Estimator,
  type Features,
  fitted,
} from "../estimator.js";
import type { Label } from "../labels.js";
import { encoderOf, type ModelJSON, modelJSON, readModelJSON, treeFromState, treeState } from "./serial.js";
import { type ClassificationCriterion, checkCriterion, checkTreeOptionKeys, featureColumns } from "./tree-options.js";

/**
 * scikit-learn's forest options in camelCase, with its defaults (see `ForestParams`):
 * `nEstimators` (100), `bootstrap` (true), `maxSamples`, `seed`, and the tree options.
 * `maxFeatures` is drawn at every split; its default is "sqrt" for the classifier
 * and 1.0 (all features) for the regressor.
 */
export type RandomForestOptions = ForestParams;

export interface RandomForestClassifierOptions extends RandomForestOptions {
  /** "gini" (default) or "entropy". */
  criterion?: ClassificationCriterion;
}

abstract class ForestBase {
  readonly nEstimators: number;
  readonly maxFeatures: MaxFeatures;
  readonly bootstrap: boolean;
  readonly seed: number | undefined;
  protected readonly options: RandomForestOptions;
  protected trees?: Tree[];
  protected width = 0;

  constructor(where: string, options: RandomForestOptions, defaultMaxFeatures: MaxFeatures) {
    checkSeed(where, options.seed);
    checkForestParams(where, options);
    this.options = { ...options };
    this.nEstimators = options.nEstimators ?? 100;
    this.maxFeatures = options.maxFeatures ?? defaultMaxFeatures;
    this.bootstrap = options.bootstrap ?? true;
    this.seed = options.seed;
  }

  /** Mean decrease in impurity per feature, averaged over the trees and summing to 1 (scikit-learn's `feature_importances_`). */
  get featureImportances(): number[] | undefined {
    return this.trees && impurityImportances(this.trees, this.width);
  }

  /** The fitted trees. */
  get estimators(): readonly Tree[] | undefined {
    return this.trees;
  }

  protected grow(where: string, X: Features, width: number, target: TreeTarget, criterion: Criterion): Tree[] {
    const n = X.length;
    const data = prepareData({ n, columns: featureColumns(X, width), target });
    const grow = growOptions(where, { ...this.options, maxFeatures: this.maxFeatures }, criterion, n, width, this.maxFeatures);
    const bagging = { nEstimators: this.nEstimators, bootstrap: this.bootstrap, draws: bootstrapDraws(where, this.options.maxSamples, n) };
    this.width = width;
    this.trees = growForest(data, grow, bagging, new Rng(this.seed));
    return this.trees;
  }

  /** The fitted trees and width, for `toJSON`. */
  protected fittedState(): { trees: Record<string, unknown>[]; width: number } | undefined {
    return this.trees && { trees: this.trees.map(treeState), width: this.width };
  }

  /** Restore what `fittedState` gave. */
  protected restore(state: { trees: Record<string, unknown>[]; width: number }): void {
    this.trees = state.trees.map(treeFromState);
    this.width = state.width;
  }
}

type ForestState = { trees: Record<string, unknown>[]; width: number };

/**
 * A random forest classifier (scikit-learn's `RandomForestClassifier`): `predictProba`
 * averages the trees' leaf class shares.
 */
export class RandomForestClassifier extends ForestBase implements Estimator {
  readonly kind = "classifier";
  readonly criterion: ClassificationCriterion;
  private encoder?: ClassEncoder;

  constructor(options: RandomForestClassifierOptions = {}) {
    checkTreeOptionKeys("RandomForestClassifier", options, [...FOREST_PARAM_KEYS, "criterion"]);
    const { criterion, ...rest } = options;
    super("RandomForestClassifier", rest, "sqrt");
    this.criterion = checkCriterion("RandomForestClassifier", criterion);
  }

  get classes(): readonly Label[] | undefined {
    return this.encoder?.classes;
  }

  fit(X: Features, y: readonly Label[]): void {
    const where = "RandomForestClassifier.fit";
    const width = checkTraining(where, X, y);
    const encoder = new ClassEncoder(where, y);
    const target = { kind: "classification" as const, y: Int32Array.from(encoder.encode(y)), nClasses: encoder.classes.length };
    this.grow(where, X, width, target, this.criterion);
    this.encoder = encoder;
  }

  predictProba(X: Features): number[][] {
    const trees = fitted("RandomForestClassifier.predictProba", this.trees);
    checkFeatures("RandomForestClassifier.predictProba", X, this.width);
    const k = this.encoder!.classes.length;
    return X.map((row) => forestProba(trees, row, k));
  }

  predict(X: Features): Label[] {
    fitted("RandomForestClassifier.predict", this.trees);
    return this.encoder!.decode(this.predictProba(X).map(argmax));
  }

  /** The options and, once fitted, the trees, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const state = this.fittedState();
    return modelJSON(
      "RandomForestClassifier",
      { ...this.options, criterion: this.criterion },
      state && { ...state, classes: this.encoder!.classes },
    );
  }

  static fromJSON(json: unknown): RandomForestClassifier {
    const { params, state } = readModelJSON<RandomForestClassifierOptions, ForestState & { classes: Label[] }>(
      "RandomForestClassifier",
      json,
    );
    const model = new RandomForestClassifier(params);
    if (state) {
      model.restore(state);
      model.encoder = encoderOf("RandomForestClassifier.fromJSON", state.classes);
    }
    return model;
  }
}

/** A random forest regressor (scikit-learn's `RandomForestRegressor`): the mean of the trees' predictions. */
export class RandomForestRegressor extends ForestBase implements Estimator<number> {
  readonly kind = "regressor";

  constructor(options: RandomForestOptions = {}) {
    checkTreeOptionKeys("RandomForestRegressor", options, FOREST_PARAM_KEYS);
    super("RandomForestRegressor", options, 1);
  }

  fit(X: Features, y: readonly number[]): void {
    const where = "RandomForestRegressor.fit";
    const width = checkTraining(where, X, y);
    checkRegressionTarget(where, y);
    this.grow(where, X, width, { kind: "regression", y: Float64Array.from(y) }, "squared_error");
  }

  predict(X: Features): number[] {
    const trees = fitted("RandomForestRegressor.predict", this.trees);
    checkFeatures("RandomForestRegressor.predict", X, this.width);
    return X.map((row) => forestValue(trees, row));
  }

  /** The options and, once fitted, the trees, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("RandomForestRegressor", this.options, this.fittedState());
  }

  static fromJSON(json: unknown): RandomForestRegressor {
    const { params, state } = readModelJSON<RandomForestOptions, ForestState>("RandomForestRegressor", json);
    const model = new RandomForestRegressor(params);
    if (state) model.restore(state);
    return model;
  }
}
