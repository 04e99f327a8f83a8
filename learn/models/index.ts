/** The models: trees and forests, k-NN, linear models, naive Bayes and a TensorFlow.js MLP. */
export { RandomForestClassifier, RandomForestRegressor, type RandomForestClassifierOptions, type RandomForestOptions } from "./random-forest.js";
export { DecisionTreeClassifier, DecisionTreeRegressor, type DecisionTreeClassifierOptions, type DecisionTreeOptions } from "./decision-tree.js";
export type { TreeOptions } from "./tree-options.js";
export { KNNClassifier, KNNRegressor, type KNNOptions } from "./knn.js";
export { LogisticRegression, type LogisticRegressionOptions } from "./logistic-regression.js";
export { GaussianNB, type GaussianNBOptions } from "./gaussian-nb.js";
export { Ridge, type RidgeOptions } from "./ridge.js";
export { MLPClassifier, MLPRegressor, reportEpochs, type EpochCallback, type EpochTrial, type MLPOptions } from "./mlp.js";
