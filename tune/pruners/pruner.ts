import type { TrialRecord } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";

/**
 * Decides whether a running trial should stop early, from the values it reported
 * (`trial.intermediateValues`, keyed by step) and the other trials of the study.
 * Called by `trial.shouldPrune()` after the trial's latest `report`.
 */
export interface Pruner {
  /** Short name stored with the study, e.g. "median". */
  readonly name: string;
  prune(study: StudyView, trial: TrialRecord): boolean;
}

/** Never prunes: the default. */
export class NopPruner implements Pruner {
  readonly name = "none";
  prune(): boolean {
    return false;
  }
}
