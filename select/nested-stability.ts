/**
 * How stable the parameters chosen across the outer folds of a nested cross-validation
 * are. The computation lives in tune/ so that the tracker, which reads nested runs back
 * from storage, measures it the same way.
 */
export {
  type ChosenConfiguration,
  type DiscreteStability,
  type FloatStability,
  type NestedStability,
  nestedStability,
  type ParamStability,
} from "../tune/nested-stability.js";
