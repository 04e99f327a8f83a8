/** The models: trees and forests, k-NN, linear models, naive Bayes, a TensorFlow.js MLP, clusterers (k-means, agglomerative, DBSCAN) and PCA. */

export * from "./cluster/index.js";
export {
  DecisionTreeClassifier,
  type DecisionTreeClassifierOptions,
  type DecisionTreeOptions,
  DecisionTreeRegressor,
} from "./decision-tree.js";
export * from "./decomposition/index.js";
export { GaussianNB, type GaussianNBOptions } from "./gaussian-nb.js";
export { KNNClassifier, type KNNOptions, KNNRegressor } from "./knn.js";
export { LogisticRegression, type LogisticRegressionOptions } from "./logistic-regression.js";
export { type EpochCallback, type EpochTrial, MLPClassifier, type MLPOptions, MLPRegressor, reportEpochs } from "./mlp.js";
export {
  RandomForestClassifier,
  type RandomForestClassifierOptions,
  type RandomForestOptions,
  RandomForestRegressor,
} from "./random-forest.js";
export { Ridge, type RidgeOptions } from "./ridge.js";
export { MODEL_FORMAT_VERSION, MODEL_KINDS, type ModelJSON, modelFromJSON, type Serializable } from "./serialization.js";
export type { TreeOptions } from "./tree-options.js";
