/**
 * tunebook: hyperparameter tuning for TypeScript, at home in a Jupyter notebook.
 * `import { createStudy } from "tunebook"`.
 */
export * from "./tune/index.js";
export * from "./learn/index.js";
export * from "./kernel/display/index.js";
export { studies, TrialFailedError, tune, type TuneOptions } from "./kernel/notebook-tune.js";
export {
  checkOptionKeys,
  DuplicatedStudyError,
  NotFoundError,
  StorageError,
  TrialFinishedError,
  TunebookError,
  ValueError,
} from "./core/errors.js";
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
export { InMemoryStorage } from "./tracker/storage/memory.js";
export type { Storage } from "./tracker/storage/storage.js";
