import { checkTreeParams, growOptions, growTree, impurityImportances, prepareData, type Tree } from "../../core/forest/index.js";
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
import {
  type ClassificationCriterion,
  checkCriterion,
  checkTreeOptionKeys,
  featureColumns,
  TREE_OPTION_KEYS,
  type TreeOptions,
} from "./tree-options.js";

export interface DecisionTreeOptions extends TreeOptions {
  /** Seed of the feature order at each split (it breaks ties, and draws features when `maxFeatures` < all). Default: a fresh random seed. */
  seed?: number;
}

export interface DecisionTreeClassifierOptions extends DecisionTreeOptions {
  /** "gini" (default) or "entropy". */
  criterion?: ClassificationCriterion;
}

const KEYS = [...TREE_OPTION_KEYS, "seed"];

/** A CART classification tree (scikit-learn's `DecisionTreeClassifier`); `predictProba` is the class mix of the leaf. */
export class DecisionTreeClassifier implements Estimator {
  readonly kind = "classifier";
  readonly criterion: ClassificationCriterion;
  private readonly options: DecisionTreeOptions;
  private state?: { tree: Tree; encoder: ClassEncoder; width: number };

  constructor(options: DecisionTreeClassifierOptions = {}) {
    const where = "DecisionTreeClassifier";
    checkTreeOptionKeys(where, options, [...KEYS, "criterion"]);
    const { criterion, ...rest } = options;
    this.criterion = checkCriterion(where, criterion);
    checkTreeParams(where, rest);
    checkSeed(where, rest.seed);
    this.options = rest;
  }

  get classes(): readonly Label[] | undefined {
    return this.state?.encoder.classes;
  }

  /** Mean decrease in impurity per feature, summing to 1 (scikit-learn's `feature_importances_`). */
  get featureImportances(): number[] | undefined {
    return this.state && impurityImportances([this.state.tree], this.state.width);
  }

  /** The fitted tree's arrays (split features, thresholds, children, leaf class counts). */
  get tree(): Tree | undefined {
    return this.state?.tree;
  }

  fit(X: Features, y: readonly Label[]): void {
    const where = "DecisionTreeClassifier.fit";
    const width = checkTraining(where, X, y);
    const encoder = new ClassEncoder(where, y, 1);
    const data = prepareData({
      n: X.length,
      columns: featureColumns(X, width),
      target: { kind: "classification", y: Int32Array.from(encoder.encode(y)), nClasses: encoder.classes.length },
    });
    const grow = growOptions(where, this.options, this.criterion, X.length, width, 1);
    this.state = { tree: growTree(data, null, grow, new Rng(this.options.seed)), encoder, width };
  }

  predictProba(X: Features): number[][] {
    const { tree, encoder, width } = fitted("DecisionTreeClassifier.predictProba", this.state);
    checkFeatures("DecisionTreeClassifier.predictProba", X, width);
    const k = encoder.classes.length;
    return X.map((row) => {
      const shares = new Array<number>(k).fill(0);
      tree.addProba(row, shares);
      return shares;
    });
  }

  predict(X: Features): Label[] {
    const { encoder } = fitted("DecisionTreeClassifier.predict", this.state);
    return encoder.decode(this.predictProba(X).map(argmax));
  }

  /** The options and, once fitted, the tree, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { state } = this;
    return modelJSON(
      "DecisionTreeClassifier",
      { ...this.options, criterion: this.criterion },
      state && { tree: treeState(state.tree), classes: state.encoder.classes, width: state.width },
    );
  }

  static fromJSON(json: unknown): DecisionTreeClassifier {
    const { params, state } = readModelJSON<
      DecisionTreeClassifierOptions,
      { tree: Record<string, unknown>; classes: Label[]; width: number }
    >("DecisionTreeClassifier", json);
    const model = new DecisionTreeClassifier(params);
    if (state)
      model.state = {
        tree: treeFromState(state.tree),
        encoder: encoderOf("DecisionTreeClassifier.fromJSON", state.classes),
        width: state.width,
      };
    return model;
  }
}

/** A CART regression tree, squared error (scikit-learn's `DecisionTreeRegressor`). */
export class DecisionTreeRegressor implements Estimator<number> {
  readonly kind = "regressor";
  private readonly options: DecisionTreeOptions;
  private state?: { tree: Tree; width: number };

  constructor(options: DecisionTreeOptions = {}) {
    const where = "DecisionTreeRegressor";
    checkTreeOptionKeys(where, options, KEYS);
    checkTreeParams(where, options);
    checkSeed(where, options.seed);
    this.options = { ...options };
  }

  /** Mean decrease in impurity per feature, summing to 1 (scikit-learn's `feature_importances_`). */
  get featureImportances(): number[] | undefined {
    return this.state && impurityImportances([this.state.tree], this.state.width);
  }

  /** The fitted tree's arrays (split features, thresholds, children, leaf means). */
  get tree(): Tree | undefined {
    return this.state?.tree;
  }

  fit(X: Features, y: readonly number[]): void {
    const where = "DecisionTreeRegressor.fit";
    const width = checkTraining(where, X, y);
    checkRegressionTarget(where, y);
    const data = prepareData({ n: X.length, columns: featureColumns(X, width), target: { kind: "regression", y: Float64Array.from(y) } });
    const grow = growOptions(where, this.options, "squared_error", X.length, width, 1);
    this.state = { tree: growTree(data, null, grow, new Rng(this.options.seed)), width };
  }

  predict(X: Features): number[] {
    const { tree, width } = fitted("DecisionTreeRegressor.predict", this.state);
    checkFeatures("DecisionTreeRegressor.predict", X, width);
    return X.map((row) => tree.predictValue(row));
  }

  /** The options and, once fitted, the tree, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { state } = this;
    return modelJSON("DecisionTreeRegressor", this.options, state && { tree: treeState(state.tree), width: state.width });
  }

  static fromJSON(json: unknown): DecisionTreeRegressor {
    const { params, state } = readModelJSON<DecisionTreeOptions, { tree: Record<string, unknown>; width: number }>(
      "DecisionTreeRegressor",
      json,
    );
    const model = new DecisionTreeRegressor(params);
    if (state) model.state = { tree: treeFromState(state.tree), width: state.width };
    return model;
  }
}
