export { GroupKFold, type GroupKFoldOptions } from "./group-k-fold.js";
export { KFold, type KFoldOptions } from "./k-fold.js";
export { LeaveOneGroupOut, LeaveOneOut } from "./leave-out.js";
export {
  RepeatedKFold,
  type RepeatedKFoldOptions,
  RepeatedStratifiedKFold,
  type RepeatedStratifiedKFoldOptions,
} from "./repeated.js";
export { ShuffleSplit, type ShuffleSplitOptions, StratifiedShuffleSplit } from "./shuffle-split.js";
export { StratifiedKFold, type StratifiedKFoldOptions } from "./stratified-k-fold.js";
export { TimeSeriesSplit, type TimeSeriesSplitOptions } from "./time-series-split.js";
export { type ArraysSplit, type SplitParts, type TrainTestSplitOptions, trainTestSplit } from "./train-test-split.js";
export type { Fold, SplitInput, Splitter } from "./types.js";
