/** The one tree and forest engine: CART trees and random forests on typed arrays, seeded through `Rng`. */
export { type PreparedData, prepareData, type TreeData, type TreeTarget } from "./data.js";
export { type BaggingOptions, forestProba, forestValue, growForest, impurityImportances } from "./forest.js";
export { type Criterion, type GrowOptions, growTree, TreeGrower } from "./grow.js";
export {
  bootstrapDraws,
  checkForestParams,
  checkTreeParams,
  FOREST_PARAM_KEYS,
  type ForestParams,
  featureCount,
  growOptions,
  type MaxFeatures,
  TREE_PARAM_KEYS,
  type TreeParams,
} from "./options.js";
export { Tree } from "./tree.js";
