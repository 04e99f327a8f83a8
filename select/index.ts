/**
 * Honest model selection, `import ... from "tunebook/select"`: estimates that tuning
 * did not see — nested cross-validation and a locked test set. Built on the engine
 * (tune) and the evaluation library (learn).
 */

export { type ComparableNested, type CompareNestedOptions, compareNested, type NestedComparison } from "./compare-nested.js";
export { type Lockbox, type LockboxData, type LockboxOptions, lockbox } from "./lockbox.js";
export { type NestedChoice, type NestedCrossValidateResult, nestedCrossValidate } from "./nested-cv.js";
export type { NestedCrossValidateOptions } from "./nested-options.js";
export type { NestedSearch } from "./nested-search.js";
export type { DiscreteStability, FloatStability, NestedStability, ParamStability } from "./nested-stability.js";
export { type LoadModelOptions, loadModel, savedModels } from "./saved-models.js";
