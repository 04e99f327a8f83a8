export {
  ARTIFACTS_ENV,
  type ArtifactMeta,
  type ArtifactOptions,
  artifactDir,
  artifactsOf,
  FileSystemArtifactStore,
  type UploadOptions,
} from "./artifacts.js";
export { paretoOptimalTrials } from "./best-trials.js";
export type { CreateStudyOptions } from "./create-study.js";
export { createStudy, deleteStudy, listStudies, loadStudy } from "./create-study.js";
export type { Distribution } from "./distributions.js";
export { CategoricalDistribution, distributionFromJson, FloatDistribution, IntDistribution } from "./distributions.js";
export { FixedTrial, type SuggestingTrial } from "./fixed-trial.js";
export { setVerbosity } from "./log.js";
export { NESTED_ATTR, type NestedFoldRecord, type NestedRun, nestedFoldRecord, nestedRunsOf } from "./nested-record.js";
export type { ObjectiveModule, WorkerModuleStudyOptions } from "./objective-module.js";
export { loadObjectiveModule } from "./objective-module.js";
export type { Callback, Objective, OptimizeOptions, OptimizeResult } from "./optimize.js";
export { ObjectiveError } from "./optimize.js";
export type { Pruner, PrunerName, PrunerSpec } from "./pruners/index.js";
export {
  createPruner,
  HyperbandPruner,
  MedianPruner,
  NopPruner,
  PatientPruner,
  PercentilePruner,
  PRUNER_NAMES,
  resolvePruner,
  SuccessiveHalvingPruner,
  ThresholdPruner,
  WilcoxonPruner,
} from "./pruners/index.js";
export { CmaEsSampler, type CmaEsSamplerOptions } from "./samplers/cmaes/index.js";
export { DefaultSampler, type DefaultSamplerOptions, defaultSampler } from "./samplers/default.js";
export { GPSampler, type GPSamplerOptions } from "./samplers/gp/index.js";
export { GridSampler } from "./samplers/grid.js";
export * from "./samplers/nsga/index.js";
export { QMCSampler, type QMCSamplerOptions } from "./samplers/qmc.js";
export { RandomSampler } from "./samplers/random.js";
export type { SamplerName, SamplerSpec } from "./samplers/registry.js";
export { SAMPLER_NAMES } from "./samplers/registry.js";
export type { InternalParams, Sampler, StudyView } from "./samplers/sampler.js";
export { OPTUNA_TPE_DEFAULTS, TPESampler, type TPESamplerOptions } from "./samplers/tpe/index.js";
export type { ConvergedOptions, ConvergenceRecord, StopCriterion, StopKind, StopOption } from "./stopping/index.js";
export { CONVERGENCE_ATTR, STOP_REASON_ATTR } from "./stopping/index.js";
export type { StorageSpec } from "./storage.js";
export { closeStorages, resolveStorage } from "./storage.js";
export type { AddedTrial, TellResult } from "./study.js";
export { Study } from "./study.js";
export {
  type EvaluateTestOptions,
  type FitAndScore,
  type LockedTestSet,
  type TestRows,
  type TestScore,
  TestSetLockedError,
} from "./test-set.js";
export { describeTestSet, LOCKBOX_ATTR, type LockboxLook, type LockboxRecord, lockboxRecord, testSetUses } from "./test-set-record.js";
export type { SuggestNumberOptions } from "./trial.js";
export { Trial, TrialPruned } from "./trial.js";
export type { WorkerOptions } from "./worker.js";
export { runWorker } from "./worker.js";
