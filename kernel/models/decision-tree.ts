import { DecisionTreeClassifier as MlTreeClassifier, DecisionTreeRegression as MlTreeRegression } from "ml-cart";
import { checkOptionKeys } from "../../core/errors.js";
import type { Label } from "../data/labels.js";
import { useFastSplits } from "./cart-splits.js";
import {
  ClassEncoder,
  argmax,
  checkFeatures,
  checkRegressionTarget,
  checkTraining,
  copyRows,
  fitted,
  type Estimator,
  type Features,
} from "./estimator.js";
import { TREE_OPTION_KEYS, cartOptions, type TreeOptions } from "./tree-options.js";

export type DecisionTreeOptions = TreeOptions;

/** A CART classification tree (Gini) on ml-cart; `predictProba` is the class mix of the leaf. */
export class DecisionTreeClassifier implements Estimator {
  readonly kind = "classifier";
  private readonly options: TreeOptions;
  private state?: { tree: MlTreeClassifier; encoder: ClassEncoder; width: number };

  constructor(options: DecisionTreeOptions = {}) {
    checkOptionKeys("DecisionTreeClassifier", options, TREE_OPTION_KEYS);
    cartOptions("DecisionTreeClassifier", options, true);
    this.options = { ...options };
    useFastSplits();
  }

  get classes(): readonly Label[] | undefined {
    return this.state?.encoder.classes;
  }

  fit(X: Features, y: readonly Label[]): void {
    const where = "DecisionTreeClassifier.fit";
    const width = checkTraining(where, X, y);
    const encoder = new ClassEncoder(where, y, 1);
    const tree = new MlTreeClassifier(cartOptions(where, this.options, true));
    tree.train(copyRows(X), encoder.encode(y));
    this.state = { tree, encoder, width };
  }

  predictProba(X: Features): number[][] {
    const { tree, encoder, width } = fitted("DecisionTreeClassifier.predictProba", this.state);
    checkFeatures("DecisionTreeClassifier.predictProba", X, width);
    const k = encoder.classes.length;
    return X.map((row) => {
      const leaf = tree.root.classify([...row]);
      // A leaf's distribution only spans the classes up to the largest it saw.
      const shares = typeof leaf === "number" ? [] : leaf.to1DArray();
      return Array.from({ length: k }, (_, c) => shares[c] ?? 0);
    });
  }

  predict(X: Features): Label[] {
    const { encoder } = fitted("DecisionTreeClassifier.predict", this.state);
    return encoder.decode(this.predictProba(X).map(argmax));
  }
}

/** A CART regression tree (squared error) on ml-cart. */
export class DecisionTreeRegressor implements Estimator<number> {
  readonly kind = "regressor";
  private readonly options: TreeOptions;
  private state?: { tree: MlTreeRegression; width: number };

  constructor(options: DecisionTreeOptions = {}) {
    checkOptionKeys("DecisionTreeRegressor", options, TREE_OPTION_KEYS);
    cartOptions("DecisionTreeRegressor", options, false);
    this.options = { ...options };
    useFastSplits();
  }

  fit(X: Features, y: readonly number[]): void {
    const where = "DecisionTreeRegressor.fit";
    const width = checkTraining(where, X, y);
    checkRegressionTarget(where, y);
    const tree = new MlTreeRegression(cartOptions(where, this.options, false));
    tree.train(copyRows(X), [...y]);
    this.state = { tree, width };
  }

  predict(X: Features): number[] {
    const { tree, width } = fitted("DecisionTreeRegressor.predict", this.state);
    checkFeatures("DecisionTreeRegressor.predict", X, width);
    return tree.predict(copyRows(X));
  }
}
