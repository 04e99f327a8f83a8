export { Study } from "./study.js";
export type { Callback, Objective, OptimizeOptions, OptimizeResult, TellResult } from "./study.js";
export { createStudy, deleteStudy, listStudies, loadStudy } from "./create-study.js";
export type { CreateStudyOptions } from "./create-study.js";
export { Trial, TrialPruned } from "./trial.js";
export type { SuggestNumberOptions } from "./trial.js";
export { CategoricalDistribution, distributionFromJson, FloatDistribution, IntDistribution } from "./distributions.js";
export type { Distribution } from "./distributions.js";
export { RandomSampler } from "./samplers/random.js";
export { GridSampler } from "./samplers/grid.js";
export { QMCSampler, type QMCSamplerOptions } from "./samplers/qmc.js";
export { TPESampler, OPTUNA_TPE_DEFAULTS, type TPESamplerOptions } from "./samplers/tpe/index.js";
export { GPSampler, type GPSamplerOptions } from "./samplers/gp/index.js";
export { CmaEsSampler, type CmaEsSamplerOptions } from "./samplers/cmaes/index.js";
export { DefaultSampler, defaultSampler, type DefaultSamplerOptions } from "./samplers/default.js";
export { SAMPLER_NAMES } from "./samplers/registry.js";
export type { SamplerName, SamplerSpec } from "./samplers/registry.js";
export type { InternalParams, Sampler, StudyView } from "./samplers/sampler.js";
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
export type { Pruner, PrunerName, PrunerSpec } from "./pruners/index.js";
export { closeStorages, resolveStorage } from "./storage.js";
export type { StorageSpec } from "./storage.js";
export { setVerbosity } from "./log.js";
export { runWorker, loadObjectiveModule } from "./worker.js";
export type { WorkerOptions, WorkerModuleStudyOptions } from "./worker.js";
export type { ObjectiveModule } from "./parallel.js";
