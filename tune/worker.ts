import type { StudyDirection, TrialRecord } from "../core/records.js";
import { createStudy } from "./create-study.js";
import { loadObjectiveModule, type WorkerModuleStudyOptions } from "./objective-module.js";
import type { OptimizeResult } from "./optimize.js";
import type { PrunerSpec } from "./pruners/index.js";
import type { SamplerSpec } from "./samplers/registry.js";
import type { Study } from "./study.js";

/**
 * One worker of a study shared through storage: loads the objective from a module,
 * joins (or creates) the study and runs trials until the shared budget is spent.
 * Workers coordinate only through the database, so the same command runs on one
 * machine many times or on many machines.
 */
export interface WorkerOptions {
  /** Path of a module exporting the objective (`objective`, or the default export). */
  script: string;
  /** The export holding the objective (default "objective", then "default"). */
  exportName?: string;
  /** Storage URL shared by all workers (a SQLite file or PostgreSQL). */
  storage: string;
  /** Study name. */
  study: string;
  /** Budget of the whole study: stop once it has this many trials that are not FAIL. */
  totalTrials?: number;
  /** Trials this worker may run (default: no limit of its own). */
  nTrials?: number;
  timeoutSeconds?: number;
  direction?: StudyDirection;
  /** One direction per objective, for a study with several (not with `direction`). */
  directions?: readonly StudyDirection[];
  sampler?: SamplerSpec;
  pruner?: PrunerSpec;
  seed?: number;
  retryFailedTrials?: number;
  heartbeatSeconds?: number;
  graceSeconds?: number;
}

export async function runWorker(
  options: WorkerOptions,
  onTrial?: (trial: TrialRecord) => void,
  onStudy?: (study: Study) => void,
): Promise<OptimizeResult> {
  const { objective, studyOptions } = await loadObjectiveModule(options.script, options.exportName);
  // The module's own study options win for the sampler and pruner (they may carry
  // settings a name cannot); explicit worker options win for the rest.
  const pick = <K extends keyof WorkerModuleStudyOptions>(key: K): WorkerModuleStudyOptions[K] => {
    const given = (options as Partial<Record<keyof WorkerModuleStudyOptions, unknown>>)[key];
    return (
      key === "sampler" || key === "pruner" ? (studyOptions[key] ?? given) : (given ?? studyOptions[key])
    ) as WorkerModuleStudyOptions[K];
  };
  const study = await createStudy({
    name: options.study,
    storage: options.storage,
    loadIfExists: true,
    direction: pick("direction"),
    directions: pick("directions"),
    constraints: studyOptions.constraints,
    sampler: pick("sampler"),
    pruner: pick("pruner"),
    seed: pick("seed"),
    retryFailedTrials: pick("retryFailedTrials"),
    heartbeatSeconds: pick("heartbeatSeconds"),
    graceSeconds: pick("graceSeconds"),
    experiment: studyOptions.experiment,
  });
  onStudy?.(study);
  return study.optimize(objective, {
    nTrials: options.nTrials,
    totalTrials: options.totalTrials,
    timeoutSeconds: options.timeoutSeconds,
    callbacks: onTrial ? [(_s, trial) => onTrial(trial)] : [],
  });
}
