/** The one tree and forest engine: CART trees and random forests on typed arrays, seeded through `Rng`. */
export { prepareData, type PreparedData, type TreeData, type TreeTarget } from "./data.js";
export { TreeGrower, growTree, type Criterion, type GrowOptions } from "./grow.js";
export { Tree } from "./tree.js";
export { growForest, forestProba, forestValue, impurityImportances, type BaggingOptions } from "./forest.js";
export {
  FOREST_PARAM_KEYS,
  TREE_PARAM_KEYS,
  bootstrapDraws,
  checkForestParams,
  checkTreeParams,
  featureCount,
  growOptions,
  type ForestParams,
  type MaxFeatures,
  type TreeParams,
} from "./options.js";
