/**
 * tunebook: hyperparameter tuning for TypeScript, at home in a Jupyter notebook.
 * `import { createStudy } from "tunebook"`.
 */

export {
  checkOptionKeys,
  DuplicatedStudyError,
  NotFoundError,
  StorageError,
  TrialFinishedError,
  TunebookError,
  ValueError,
} from "./core/errors.js";
export { constraintValues, isFeasible } from "./core/feasibility.js";
export { defaultReferencePoint, hypervolume, paretoFrontIndices } from "./core/math/index.js";
export type {
  DistributionJson,
  JsonValue,
  ParamValue,
  StudyDirection,
  StudySummary,
  TrialRecord,
  TrialState,
} from "./core/records.js";
export { Rng } from "./core/rng.js";
export {
  type FilterField,
  parseFilterField,
  parseTrialFilter,
  printTrialFilter,
  type TrialFilter,
  TrialFilterError,
  type TrialOrder,
} from "./core/trial-filter/index.js";
export * from "./kernel/display/index.js";
export { studies, TrialFailedError, type TuneOptions, tune } from "./kernel/notebook-tune.js";
export * from "./learn/index.js";
export * from "./select/index.js";
export { InMemoryStorage } from "./tracker/storage/memory.js";
export type { Storage } from "./tracker/storage/storage.js";
export * from "./tune/index.js";
