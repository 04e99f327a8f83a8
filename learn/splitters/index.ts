export type { Fold, SplitInput, Splitter } from "./types.js";
export { KFold, type KFoldOptions } from "./k-fold.js";
export { StratifiedKFold, type StratifiedKFoldOptions } from "./stratified-k-fold.js";
export { GroupKFold, type GroupKFoldOptions } from "./group-k-fold.js";
export {
  RepeatedKFold,
  RepeatedStratifiedKFold,
  type RepeatedKFoldOptions,
  type RepeatedStratifiedKFoldOptions,
} from "./repeated.js";
export { ShuffleSplit, StratifiedShuffleSplit, type ShuffleSplitOptions } from "./shuffle-split.js";
export { TimeSeriesSplit, type TimeSeriesSplitOptions } from "./time-series-split.js";
export { LeaveOneOut, LeaveOneGroupOut } from "./leave-out.js";
export { trainTestSplit, type TrainTestSplitOptions, type ArraysSplit, type SplitParts } from "./train-test-split.js";
