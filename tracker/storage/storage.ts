import type { DistributionJson, JsonValue, ParamValue, StudyDirection, StudySummary, TrialRecord, TrialState } from "../../core/records.js";
import type { TrialFilter, TrialOrder } from "../../core/trial-filter/ast.js";

/**
 * Where studies and trials live. The only place that knows SQL.
 *
 * Rules every implementation keeps (the contract tests check them):
 * - Trial numbers are 0-based, unique and gap-free within a study, even with many
 *   writers on one database.
 * - A finished trial (COMPLETE, PRUNED, FAIL) is immutable: changing its state,
 *   value, params or intermediate values throws `TrialFinishedError`. User and
 *   system attributes may still be added.
 * - Every returned record is a snapshot: mutating it changes nothing stored.
 * - Every write is durable before its promise resolves: a trial told COMPLETE is on
 *   disk before the caller starts the next one.
 * - Names, keys, steps and datetimes are checked against the schema's bounds
 *   (core/limits.ts) before anything is written: a `ValueError` naming the value.
 * - A study has one direction per objective (Optuna's `directions=[...]`), and a finished
 *   trial with values has one per objective, stored as Optuna stores them.
 * - A storage opened read-only (`openStorage(url, { readOnly: true })`) changes nothing,
 *   and every write throws a `StorageError` saying so.
 */
export interface Storage {
  /** Human-readable location, e.g. `sqlite:/home/me/tunebook.db`. */
  readonly url: string;

  createStudy(options: CreateStudyOptions): Promise<number>;
  /** Throws `NotFoundError` naming the study and the known ones. */
  getStudyIdByName(name: string): Promise<number>;
  getStudy(studyId: number): Promise<StudySummary>;
  listStudies(): Promise<StudySummary[]>;
  /** Deletes the study and all its trials. */
  deleteStudy(studyId: number): Promise<void>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /**
   * Creates a trial with the next number. Without a template the trial is RUNNING,
   * started now. Returns null, creating nothing, when a condition fails; both are
   * checked in the trial's own transaction, so many workers never overshoot:
   * - `maxTrials`: the study must have fewer than this many trials that are not FAIL;
   * - `claimOneOf`: the first of these keys not yet claimed in the study is claimed
   *   for the new trial (returned as `claimedKey`) — work done exactly once across
   *   workers, such as a grid point; none free → null.
   */
  createTrial(
    studyId: number,
    template?: TrialTemplate,
    options?: CreateTrialOptions,
  ): Promise<(TrialRecord & { claimedKey?: string }) | null>;
  /**
   * Atomically moves the oldest WAITING trial to RUNNING (started now) and returns it;
   * null if none is waiting. Two callers never get the same trial.
   */
  claimWaitingTrial(studyId: number): Promise<TrialRecord | null>;
  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: DistributionJson): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /**
   * Finishes a RUNNING trial: state, values (one per objective, or null) and completion
   * time in one transaction. `error` is stored as the trial's fail reason. Throws
   * `TrialFinishedError` if the trial is already finished (e.g. marked FAIL by another
   * worker after a lost heartbeat), and a `ValueError` if the number of values is not the
   * study's number of objectives.
   */
  finishTrial(trialId: number, state: FinishedState, values: readonly number[] | null, error?: string): Promise<void>;

  getTrial(trialId: number): Promise<TrialRecord>;
  /**
   * Trials of a study ordered by number. `fromTrialId` returns only trials whose id is
   * at least that (used by caches that already hold the finished trials before it).
   */
  getAllTrials(studyId: number, options?: { states?: readonly TrialState[]; fromTrialId?: number }): Promise<TrialRecord[]>;
  countTrials(studyId: number, states?: readonly TrialState[]): Promise<number>;
  /**
   * One page of a study's trials matching a filter (core/trial-filter: the in-memory
   * evaluator defines what matches, and the SQL storage compiles it to one parameterised
   * query), sorted (default: by number; missing values last, ties by number), with the
   * number that match. Reads only the page's trials. Options are checked by
   * `checkTrialQuery` (trial-query.ts).
   */
  queryTrials(studyId: number, options?: TrialQueryOptions): Promise<TrialPage>;
  /** The trial with this number in the study; null if it has none. Throws `NotFoundError` for an unknown study. */
  getTrialByNumber(studyId: number, number: number): Promise<TrialRecord | null>;
  /**
   * A bounded sample of a study's trials, for charts, ordered by number. A study with at
   * most `limit` trials gives them all. A larger one gives every k-th trial by number
   * (k = ⌈total / limit⌉), plus, for each objective, the trials that set a record over
   * buckets of k numbers (so the best value is in, and the best so far is exact at every
   * bucket's end; see `sampledNumbers` in sample.ts), plus the study's best trial as its
   * summary gives it (feasible, where constraints make the records by value infeasible), plus
   * the latest unfinished trials (at most `limit / 10`). Never reads every trial.
   */
  sampleTrials(studyId: number, limit: number): Promise<TrialSample>;

  /** Keys claimed so far in the study (see `createTrial`'s `claimOneOf`). */
  claimedKeys(studyId: number): Promise<Set<string>>;

  /** Records that the worker running this trial is alive. */
  recordHeartbeat(trialId: number): Promise<void>;
  /**
   * Marks FAIL every RUNNING trial of the study whose last heartbeat is older than
   * `graceSeconds`; returns the trials it failed (snapshots after the change).
   */
  failStaleTrials(studyId: number, graceSeconds: number): Promise<TrialRecord[]>;

  close(): Promise<void>;
}

/** See `Storage.sampleTrials`. */
export interface TrialSample {
  /** The study's number of trials. */
  total: number;
  /** The sample, by number: every trial when `trials.length === total`. */
  trials: TrialRecord[];
}

/** See `Storage.queryTrials`. */
export interface TrialQueryOptions {
  /** A parsed filter (`parseTrialFilter`); default: every trial. */
  where?: TrialFilter;
  /** Only trials in these states, besides the filter; default: any state. */
  states?: readonly TrialState[];
  /** Default: by number, ascending. */
  orderBy?: TrialOrder;
  /** Trials per page; default: all. */
  limit?: number;
  /** Matching trials to skip first; default 0. */
  offset?: number;
}

/** See `Storage.queryTrials`. */
export interface TrialPage {
  /** The page, in order. */
  trials: TrialRecord[];
  /** How many trials match, over all pages. */
  total: number;
}

export interface CreateTrialOptions {
  maxTrials?: number;
  claimOneOf?: readonly string[];
}

export type FinishedState = "COMPLETE" | "PRUNED" | "FAIL";

export interface CreateStudyOptions {
  name: string;
  /** One direction per objective; `direction` is the short form for one objective. Exactly one of the two. */
  directions?: readonly StudyDirection[];
  direction?: StudyDirection;
  experiment?: string | null;
}

/** What a new trial starts with; defaults give a RUNNING trial started now. */
export interface TrialTemplate {
  state?: TrialState;
  params?: Record<string, ParamValue>;
  distributions?: Record<string, DistributionJson>;
  /** One per objective; `value` is the short form for one objective. At most one of the two. */
  values?: readonly number[] | null;
  value?: number | null;
  intermediateValues?: Record<number, number>;
  userAttrs?: Record<string, JsonValue>;
  systemAttrs?: Record<string, JsonValue>;
  datetimeStart?: Date | null;
  datetimeComplete?: Date | null;
  error?: string;
}
