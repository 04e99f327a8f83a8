import type { JsonValue, ParamValue, StudyDirection, TrialRecord, TrialState } from "../../core/records.js";
import type { Distribution } from "../distributions.js";

/**
 * What samplers and pruners may see of a study: its directions and a snapshot of its
 * trials, read from storage when the current trial was asked for (so sampling
 * never waits on I/O). Trials run by this process show their latest params.
 */
export interface StudyView {
  readonly studyId: number;
  readonly name: string;
  /** The first objective's direction (the only one, in a study with one objective). */
  readonly direction: StudyDirection;
  /** One direction per objective. */
  readonly directions: readonly StudyDirection[];
  /** Trials ordered by number, optionally only those in `states`. Do not mutate. */
  trials(states?: readonly TrialState[]): readonly TrialRecord[];
  /**
   * Records a system attribute on the trial being started, from `inferRelativeSearchSpace`
   * or `sampleRelative` (as Optuna's samplers call `storage.set_trial_system_attr`, e.g.
   * NSGA-II's `nsga2:generation`): on its record at once, in storage before it runs.
   */
  setTrialSystemAttr?(trial: TrialRecord, key: string, value: JsonValue): void;
}

/** Parameters in internal form: the number itself, or a categorical choice's index. */
export type InternalParams = Record<string, number>;

/**
 * How a new trial's parameters are chosen (Optuna's contract).
 *
 * Per trial, the study calls `beforeTrial`, then `inferRelativeSearchSpace` and
 * `sampleRelative` once (joint sampling of parameters seen in past trials), then
 * `sampleIndependent` for each parameter the objective asks for that the joint
 * sample does not cover (new or conditional parameters), then `afterTrial`.
 * Random search is the trivial sampler: an empty relative space.
 */
export interface Sampler {
  /** Short name stored with the study, e.g. "tpe". */
  readonly name: string;
  /**
   * True when it can serve a study with several objectives (it reads `values` and the
   * study's `directions`); `createStudy` refuses a sampler without it for such a study.
   */
  readonly multiObjective?: boolean;
  inferRelativeSearchSpace(study: StudyView, trial: TrialRecord): Record<string, Distribution>;
  sampleRelative(study: StudyView, trial: TrialRecord, searchSpace: Record<string, Distribution>): InternalParams;
  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number;
  /**
   * For samplers whose points must each be evaluated exactly once across all workers
   * (a grid): the keys of points not known to be taken, in preferred order. The study
   * creates a trial only if it can claim one of them, atomically in storage; an empty
   * list means the space is exhausted and the study stops.
   */
  unclaimedKeys?(study: StudyView, claimed: ReadonlySet<string>): readonly string[];
  /** The parameters (external values) of a claimed key. */
  paramsForKey?(key: string): Record<string, ParamValue>;
  /** After a trial finished: its state and values (one per objective; null for none). */
  afterTrial?(study: StudyView, trial: TrialRecord, state: TrialState, values: readonly number[] | null): void;
}
