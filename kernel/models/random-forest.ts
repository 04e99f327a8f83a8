import {
  RandomForestClassifier as MlForestClassifier,
  RandomForestRegression as MlForestRegression,
} from "ml-random-forest";
import { ValueError, checkOptionKeys, show } from "../../core/errors.js";
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
import { TREE_OPTION_KEYS, cartOptions, librarySeed, type TreeOptions } from "./tree-options.js";

export interface RandomForestOptions extends TreeOptions {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /**
   * Features each tree sees: "sqrt", "log2", a fraction in (0, 1], or a count.
   * ml-random-forest draws them once per tree (scikit-learn draws them at every
   * split). Default "sqrt" for the classifier, 1.0 (all) for the regressor.
   */
  maxFeatures?: "sqrt" | "log2" | number;
  /** Train each tree on a bootstrap sample of the rows. Default true. */
  bootstrap?: boolean;
  /** Seed of the row and feature sampling. Default: a fresh random seed. */
  seed?: number;
}

const FOREST_KEYS = ["nEstimators", "maxFeatures", "bootstrap", "seed", ...TREE_OPTION_KEYS];

function featureCount(where: string, maxFeatures: RandomForestOptions["maxFeatures"], width: number): number {
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(width)));
  if (maxFeatures === "log2") return Math.max(1, Math.floor(Math.log2(width)));
  if (typeof maxFeatures === "number" && maxFeatures > 0 && maxFeatures <= 1) return Math.max(1, Math.floor(maxFeatures * width));
  if (typeof maxFeatures === "number" && Number.isInteger(maxFeatures) && maxFeatures >= 1) {
    if (maxFeatures > width) throw new ValueError(`${where}: maxFeatures=${maxFeatures} exceeds the ${width} features of X.`);
    return maxFeatures;
  }
  throw new ValueError(`${where}: maxFeatures must be "sqrt", "log2", a fraction in (0, 1] or a count >= 1, got ${show(maxFeatures)}.`);
}

abstract class ForestBase {
  readonly nEstimators: number;
  readonly maxFeatures: "sqrt" | "log2" | number;
  readonly bootstrap: boolean;
  readonly seed: number | undefined;
  protected readonly treeOptions: TreeOptions;

  constructor(where: string, options: RandomForestOptions, defaultMaxFeatures: "sqrt" | number) {
    checkOptionKeys(where, options, FOREST_KEYS);
    this.nEstimators = options.nEstimators ?? 100;
    if (!Number.isInteger(this.nEstimators) || this.nEstimators < 1) {
      throw new ValueError(`${where}: nEstimators must be an integer >= 1, got ${show(options.nEstimators)}.`);
    }
    this.maxFeatures = options.maxFeatures ?? defaultMaxFeatures;
    featureCount(where, this.maxFeatures, Number.MAX_SAFE_INTEGER);
    this.bootstrap = options.bootstrap ?? true;
    this.seed = options.seed;
    this.treeOptions = { maxDepth: options.maxDepth, minSamplesSplit: options.minSamplesSplit, minGain: options.minGain };
    cartOptions(where, this.treeOptions, true);
    useFastSplits();
  }

  protected libraryOptions(where: string, width: number, classifier: boolean) {
    return {
      nEstimators: this.nEstimators,
      maxFeatures: featureCount(where, this.maxFeatures, width),
      replacement: false,
      useSampleBagging: this.bootstrap,
      noOOB: true,
      seed: librarySeed(where, this.seed),
      treeOptions: cartOptions(where, this.treeOptions, classifier),
    };
  }
}

interface ClassifierState {
  forest: MlForestClassifier;
  encoder: ClassEncoder;
  width: number;
}

/** A random forest classifier on ml-random-forest; `predictProba` is the share of trees voting for each class. */
export class RandomForestClassifier extends ForestBase implements Estimator {
  readonly kind = "classifier";
  private state?: ClassifierState;

  constructor(options: RandomForestOptions = {}) {
    super("RandomForestClassifier", options, "sqrt");
  }

  get classes(): readonly Label[] | undefined {
    return this.state?.encoder.classes;
  }

  fit(X: Features, y: readonly Label[]): void {
    const where = "RandomForestClassifier.fit";
    const width = checkTraining(where, X, y);
    const encoder = new ClassEncoder(where, y);
    const forest = new MlForestClassifier(this.libraryOptions(where, width, true));
    forest.train(copyRows(X), encoder.encode(y));
    this.state = { forest, encoder, width };
  }

  predictProba(X: Features): number[][] {
    const { forest, encoder, width } = fitted("RandomForestClassifier.predictProba", this.state);
    checkFeatures("RandomForestClassifier.predictProba", X, width);
    const votes = forest.predictionValues(copyRows(X));
    const k = encoder.classes.length;
    const result: number[][] = [];
    for (let i = 0; i < votes.rows; i++) {
      const counts = new Array<number>(k).fill(0);
      const row = votes.getRow(i);
      for (const vote of row) counts[vote]++;
      result.push(counts.map((c) => c / row.length));
    }
    return result;
  }

  predict(X: Features): Label[] {
    const { encoder } = fitted("RandomForestClassifier.predict", this.state);
    return encoder.decode(this.predictProba(X).map(argmax));
  }
}

/** A random forest regressor on ml-random-forest: the mean of the trees' predictions. */
export class RandomForestRegressor extends ForestBase implements Estimator<number> {
  readonly kind = "regressor";
  private state?: { forest: MlForestRegression; width: number };

  constructor(options: RandomForestOptions = {}) {
    super("RandomForestRegressor", options, 1);
  }

  fit(X: Features, y: readonly number[]): void {
    const where = "RandomForestRegressor.fit";
    const width = checkTraining(where, X, y);
    checkRegressionTarget(where, y);
    const forest = new MlForestRegression({ ...this.libraryOptions(where, width, false), selectionMethod: "mean" });
    forest.train(copyRows(X), [...y]);
    this.state = { forest, width };
  }

  predict(X: Features): number[] {
    const { forest, width } = fitted("RandomForestRegressor.predict", this.state);
    checkFeatures("RandomForestRegressor.predict", X, width);
    return forest.predict(copyRows(X));
  }
}
