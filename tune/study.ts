import { checkOptionKeys, show, TunebookError, ValueError } from "../core/errors.js";
import { checkConstraintValue, isFeasible } from "../core/feasibility.js";
import { isPlainObject, userAttrs, userAttrValue } from "../core/json.js";
import { checkStep } from "../core/limits.js";
import {
  type DistributionJson,
  isBetter,
  type JsonValue,
  type ParamValue,
  type StudyDirection,
  type StudySummary,
  SYSTEM_ATTR,
  setOwn,
  TRIAL_STATES,
  type TrialRecord,
  type TrialState,
} from "../core/records.js";
import type { TrialFilter } from "../core/trial-filter/ast.js";
import { parseTrialFilter } from "../core/trial-filter/parser.js";
import type { FinishedState, Storage } from "../tracker/storage/storage.js";
import { type ArtifactMeta, type ArtifactOptions, putModel } from "./artifacts.js";
import { paretoOptimalTrials } from "./best-trials.js";
import {
  CategoricalDistribution,
  containsExternal,
  type Distribution,
  describe,
  distributionFromJson,
  FloatDistribution,
  IntDistribution,
} from "./distributions.js";
import { inferDistribution } from "./infer-distribution.js";
import { changeStudyTags, checkTags, noteOf, setStudyNote, tagsOf } from "./notes.js";
import type { ObjectiveModule } from "./objective-module.js";
import { needed, shown, valuesProblem } from "./objective-values.js";
import {
  lastIntermediateValue,
  type NoTrial,
  type Objective,
  type OptimizeOptions,
  type OptimizeResult,
  optimize,
  TrialRunner,
} from "./optimize.js";
import { noteProvenance } from "./provenance.js";
import type { Pruner } from "./pruners/pruner.js";
import type { Sampler } from "./samplers/sampler.js";
import { type EvaluateTestOptions, evaluateTest, type FitAndScore, type TestRows } from "./test-set.js";
import { Trial } from "./trial.js";
import { TrialCache } from "./trial-cache.js";

/**
 * How a trial ended, for `tell`: its value (COMPLETE), its values (one per objective), or a
 * state with them (`values` for several objectives, `value` the short form for one).
 */
export type TellResult =
  | number
  | readonly number[]
  | { state: FinishedState; value?: number | null; values?: readonly number[] | null; error?: string };

/** A trial evaluated by hand, for `addTrial`. */
export interface AddedTrial {
  params: Record<string, ParamValue>;
  /** Required for COMPLETE (a finite number); optional for PRUNED; none for FAIL. One objective's short form of `values`. */
  value?: number | null;
  /** One finite value per objective: required for COMPLETE, optional for PRUNED, none for FAIL. */
  values?: readonly number[] | null;
  /** Constraint values (feasible when every one is ≤ 0), stored as Optuna stores them. */
  constraints?: readonly number[];
  distributions?: Record<string, Distribution | DistributionJson>;
  /** Default "COMPLETE". */
  state?: FinishedState;
  /** Reported values by step, as `trial.report` takes them. */
  intermediateValues?: Record<number, number>;
  userAttrs?: Record<string, JsonValue>;
}

const ADDED_TRIAL_KEYS = ["params", "value", "values", "constraints", "distributions", "state", "intermediateValues", "userAttrs"] as const;

/** The study that asked for each trial of this process, so `tell` can refuse another study's trial. */
const trialOwners = new WeakMap<Trial, Study>();

/**
 * A study: one optimisation problem, its trials and how new ones are chosen.
 * Built by `createStudy` or `loadStudy`.
 */
export class Study {
  private readonly view: TrialCache;
  private readonly runner: TrialRunner;

  /** @internal */
  constructor(
    readonly storage: Storage,
    readonly studyId: number,
    readonly name: string,
    /** One direction per objective. */
    readonly directions: readonly StudyDirection[],
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    settings: StudySettings,
  ) {
    this.view = new TrialCache(storage, studyId, name, directions);
    this.runner = new TrialRunner(storage, studyId, sampler, this.view, settings);
  }

  /** The first objective's direction (the only one, in a study with one objective). */
  get direction(): StudyDirection {
    return this.directions[0];
  }

  /**
   * Runs trials of `objective` until `nTrials` have run here, `timeoutSeconds` have
   * passed, the study as a whole reached `totalTrials`, the sampler ran out of points
   * (grid), `study.stop()` was called, or `signal` was aborted. Each trial is on disk
   * before the next starts.
   */
  async optimize(objective: Objective | ObjectiveModule, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    // Datasets read since the study was created or loaded join its provenance.
    await noteProvenance(this.storage, this.studyId, this.runner.settings.seed);
    return optimize(this, this.runner, objective, options);
  }

  /**
   * Ends `optimize` after the running trials finish (e.g. from a callback). Called while
   * no `optimize` runs, it stops the next one before its first trial.
   */
  stop(): void {
    this.runner.stopRequested = true;
  }

  /**
   * Starts a trial for ask-and-tell use: suggest on it, evaluate, then `tell`.
   * Enqueued trials come first; throws when the sampler has no points left (grid).
   */
  async ask(): Promise<Trial> {
    const trial = await this.startTrial(undefined);
    if (!(trial instanceof Trial))
      throw new TunebookError(`Study ${show(this.name)}: the ${this.sampler.name} sampler has no points left to evaluate.`);
    return trial;
  }

  /**
   * Finishes a trial from `ask` (or its number, for a trial asked for by another
   * process): a value (COMPLETE), one value per objective (`[v1, v2]`), or
   * `{ state: "PRUNED" | "FAIL" }`. Only trials of this study, and only RUNNING ones, can
   * be told. Values that are not one finite number per objective make the trial FAIL,
   * saying what came back, as in `optimize`.
   */
  async tell(trial: Trial | number, result: TellResult): Promise<TrialRecord> {
    if (trial instanceof Trial) {
      const owner = trialOwners.get(trial);
      if (owner !== this) {
        // Another Study object of the same study: the one that runs the trial finishes it.
        if (owner && owner.storage === this.storage && owner.studyId === this.studyId) return owner.tell(trial, result);
        const theirs = owner ? `study ${show(owner.name)}` : "another study";
        throw new ValueError(
          `tell: trial ${trial.number} belongs to ${theirs}, not to study ${show(this.name)}; call tell on ${theirs}, the one whose ask() returned it.`,
        );
      }
      return this.tellLive(trial, result);
    }
    if (typeof trial !== "number" || !Number.isInteger(trial) || trial < 0) {
      throw new ValueError(`tell: expected a Trial from ask() or a trial number (an integer >= 0), got ${show(trial)}.`);
    }
    const live = this.runner.liveTrial(trial);
    if (live) return this.tellLive(live, result);
    // A trial asked for by another process (ask-and-tell across machines).
    const record = await this.storage.getTrialByNumber(this.studyId, trial);
    if (!record) throw new ValueError(`tell: study ${show(this.name)} has no trial number ${trial}.`);
    if (record.state === "WAITING") {
      throw new ValueError(
        `tell: trial ${trial} of study ${show(this.name)} is WAITING: it was enqueued and has not started; a worker's ask() or optimize runs it.`,
      );
    }
    const { state, values, error } = normaliseTell(result, record, this.directions);
    await this.storage.finishTrial(record.trialId, state, values, error);
    return this.storage.getTrial(record.trialId);
  }

  private async tellLive(trial: Trial, result: TellResult): Promise<TrialRecord> {
    const { state, values, error } = normaliseTell(result, trial.record, this.directions);
    await this.runner.finish(trial, state, values, error);
    return structuredClone(trial.record);
  }

  /**
   * Queues a trial with these parameters (external values); it is evaluated before
   * the sampler is asked for new ones. Parameters the objective asks for that are not
   * given here are sampled as usual.
   */
  async enqueueTrial(
    params: Record<string, ParamValue>,
    options: { userAttrs?: Record<string, JsonValue>; skipIfExists?: boolean } = {},
  ): Promise<void> {
    if (options === null || typeof options !== "object")
      throw new ValueError(`enqueueTrial: options must be an object like { skipIfExists: true }, got ${show(options)}.`);
    checkOptionKeys("enqueueTrial", options, ["userAttrs", "skipIfExists"]);
    checkParamValues("enqueueTrial", params);
    const attrs = userAttrs("enqueueTrial", options.userAttrs);
    if (options.skipIfExists) {
      const existing = await this.storage.getAllTrials(this.studyId);
      const same = existing.some((t) => {
        const fixed = (t.state === "WAITING" ? t.systemAttrs[SYSTEM_ATTR.fixedParams] : t.params) as Record<string, ParamValue> | undefined;
        return fixed && Object.keys(params).every((k) => Object.is(fixed[k], params[k]));
      });
      if (same) return;
    }
    await this.storage.createTrial(this.studyId, {
      state: "WAITING",
      userAttrs: attrs,
      systemAttrs: { [SYSTEM_ATTR.fixedParams]: params as Record<string, JsonValue> },
    });
  }

  /**
   * Records a trial evaluated by hand (manual tuning). Without `distributions`, each
   * parameter takes the distribution it has in earlier trials of the study, or a
   * single-value one; give distributions so samplers can learn from it. Every field
   * is checked before anything is written.
   */
  async addTrial(trial: AddedTrial): Promise<TrialRecord> {
    const checked = checkAddedTrial(trial, this.directions);
    await this.view.refresh();
    const distributions: Record<string, DistributionJson> = {};
    for (const [name, v] of Object.entries(checked.params)) {
      const d = Object.hasOwn(checked.distributions, name) ? checked.distributions[name] : inferDistribution(name, v, this.view.trials());
      if (!containsExternal(d, v)) throw new ValueError(`addTrial: parameter ${show(name)} = ${show(v)} is outside ${describe(d)}.`);
      setOwn(distributions, name, d.toJson());
    }
    const now = new Date();
    const created = await this.storage.createTrial(this.studyId, {
      state: checked.state,
      params: checked.params,
      distributions,
      values: checked.values,
      intermediateValues: checked.intermediateValues,
      userAttrs: checked.userAttrs,
      systemAttrs: checked.constraints ? { [SYSTEM_ATTR.constraints]: checked.constraints } : {},
      datetimeStart: now,
      datetimeComplete: now,
    });
    return created!;
  }

  /**
   * The study's trials as plain records, ordered by number: those in `states` (default: any)
   * that match `where`, a filter such as `"params.k > 5 and (state = COMPLETE or value >= 0.95)"`
   * (the README's "Filtering trials"; a `TrialFilterError` points at a mistake) or one parsed
   * by `parseTrialFilter`. The storage evaluates the filter (in SQL on a database).
   */
  async trials(options: { states?: readonly TrialState[]; where?: string | TrialFilter } = {}): Promise<TrialRecord[]> {
    checkOptionKeys("trials", options, ["states", "where"]);
    for (const s of options.states ?? []) {
      if (!TRIAL_STATES.includes(s)) throw new ValueError(`trials: unknown state ${show(s)}; states are ${TRIAL_STATES.join(", ")}.`);
    }
    if (options.where !== undefined) {
      const where = typeof options.where === "string" ? parseTrialFilter(options.where) : options.where;
      return (await this.storage.queryTrials(this.studyId, { where, ...(options.states ? { states: options.states } : {}) })).trials;
    }
    return this.storage.getAllTrials(this.studyId, options.states ? { states: options.states } : {});
  }

  /**
   * The best feasible COMPLETE trial by the study's direction (the first of equal values);
   * throws if there is none yet, and for a study with several objectives, whose best
   * trials are a Pareto front: `bestTrials()`.
   */
  async best(): Promise<TrialRecord> {
    if (this.directions.length > 1) {
      throw new TunebookError(
        `Study ${show(this.name)} has ${this.directions.length} objectives (${this.directions.join(", ")}), so no single best trial; bestTrials() returns its Pareto-optimal trials.`,
      );
    }
    let best: TrialRecord | null = null;
    const complete = await this.trials({ states: ["COMPLETE"] });
    for (const t of complete) {
      if (t.value !== null && isFeasible(t) && (best === null || isBetter(this.direction, t.value, best.value!))) best = t;
    }
    if (!best) {
      const why =
        complete.length === 0 ? "no COMPLETE trial yet" : `no feasible COMPLETE trial yet (all ${complete.length} violate a constraint)`;
      throw new TunebookError(`Study ${show(this.name)} has ${why}, so no best trial.`);
    }
    return best;
  }

  /**
   * The Pareto-optimal trials: feasible COMPLETE trials that no other feasible COMPLETE
   * trial dominates (at least as good in every objective and better in one), by number.
   * Trials with equal values are all kept, as in Optuna. With one objective: every trial
   * with the best value. Empty while there is no feasible COMPLETE trial.
   */
  async bestTrials(): Promise<TrialRecord[]> {
    return paretoOptimalTrials(await this.trials({ states: ["COMPLETE"] }), this.directions);
  }

  /** Counts, best value and last activity, as the tracker lists them. */
  async summary(): Promise<StudySummary> {
    return this.storage.getStudy(this.studyId);
  }

  /** Sets what you concluded about the study, in Markdown, shown in the tracker and by `show(study)` (`""` clears it). */
  async setNote(markdown: string): Promise<void> {
    await setStudyNote(this.storage, this.studyId, markdown, "study.setNote");
  }

  /** The study's note, or null when it has none. */
  async note(): Promise<string | null> {
    return noteOf((await this.summary()).systemAttrs);
  }

  /** Adds tags (e.g. `"baseline"`, `"v2-features"`) to find the study by in the tracker; returns all its tags, sorted. */
  async addTags(...tags: string[]): Promise<string[]> {
    return changeStudyTags(this.storage, this.studyId, { add: checkTags("study.addTags", tags) }, "study.addTags");
  }

  /** Removes tags (those it does not have are ignored); returns the tags left, sorted. */
  async removeTags(...tags: string[]): Promise<string[]> {
    return changeStudyTags(this.storage, this.studyId, { remove: checkTags("study.removeTags", tags) }, "study.removeTags");
  }

  /** The study's tags, sorted. */
  async tags(): Promise<string[]> {
    return tagsOf((await this.summary()).systemAttrs);
  }

  /**
   * Keeps `model.toJSON()` with a trial (a `Trial` or its number) as a JSON artifact
   * named `model-<kind>.json`, in the layout of `tune/artifacts.ts`; a finished trial
   * may still receive one. `loadModel(study, number)` gives the live model back.
   */
  async saveModel(trial: Trial | number, model: { toJSON(): unknown }, options: ArtifactOptions = {}): Promise<ArtifactMeta> {
    let trialId: number;
    if (typeof trial === "number") {
      const record = await this.storage.getTrialByNumber(this.studyId, trial);
      if (!record) throw new ValueError(`study.saveModel: study ${show(this.name)} has no trial number ${show(trial)}.`);
      trialId = record.trialId;
    } else trialId = trial.trialId;
    const { key, value, meta } = await putModel(this.storage, trialId, model, options);
    if (typeof trial !== "number") setOwn(trial.record.systemAttrs, key, value);
    return meta;
  }

  /** Attaches a JSON value to the study, shown in the tracker (a Date is stored as its ISO string; see `userAttrValue`). */
  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    await this.storage.setStudyUserAttr(this.studyId, key, userAttrValue("study.setUserAttr", key, value));
  }

  /**
   * Scores on the locked test set (see `lockbox` in tunebook/select): hands its rows to
   * `fitAndScore(rows, trial)` — the trial is `options.trial`, default the best — and records
   * the look in the study. Once the test set was used, another look is refused unless asked
   * for with `{ again: true }`; every look is counted, across processes, and shown.
   */
  evaluateTest<T = TestRows>(fitAndScore: FitAndScore<T>, options: EvaluateTestOptions = {}): Promise<number> {
    return evaluateTest(this, fitAndScore, options);
  }

  /**
   * @internal A new trial, for `ask` and `optimize`, or why there is none. Enqueued
   * trials come first, retries of stale ones among them.
   */
  async startTrial(totalTrials: number | undefined): Promise<Trial | NoTrial> {
    await this.runner.beforeStart();
    await this.view.refresh();

    let record: TrialRecord | null = null;
    let fixedParams: Record<string, ParamValue> = {};
    if (this.view.trials(["WAITING"]).length > 0) record = await this.storage.claimWaitingTrial(this.studyId);
    if (record) {
      fixedParams = (record.systemAttrs[SYSTEM_ATTR.fixedParams] ?? {}) as Record<string, ParamValue>;
    } else {
      const created = await this.createClaimedTrial(totalTrials);
      if (typeof created === "string") return created;
      record = created.record;
      fixedParams = created.fixedParams;
    }
    this.view.track(record);
    const relative = this.sampleRelative(record);
    await this.view.writeSystemAttrs(); // what the sampler recorded on the trial (NSGA-II's generation)
    const trial = new Trial(
      { storage: this.storage, view: this.view, sampler: this.sampler, pruner: this.pruner },
      record,
      relative,
      fixedParams,
    );
    trialOwners.set(trial, this);
    await this.runner.started(trial);
    return trial;
  }

  /** A new RUNNING trial; for a claiming sampler (grid), with a point no one else has. */
  private async createClaimedTrial(
    totalTrials: number | undefined,
  ): Promise<{ record: TrialRecord; fixedParams: Record<string, ParamValue> } | NoTrial> {
    const options = totalTrials === undefined ? {} : { maxTrials: totalTrials };
    if (!this.sampler.unclaimedKeys) {
      const record = await this.storage.createTrial(this.studyId, undefined, options);
      return record ? { record, fixedParams: {} } : "totalTrials";
    }
    for (;;) {
      const keys = this.sampler.unclaimedKeys(this.view, await this.storage.claimedKeys(this.studyId));
      if (keys.length === 0) return "exhausted";
      const record = await this.storage.createTrial(this.studyId, undefined, { ...options, claimOneOf: keys });
      if (record && record.claimedKey === undefined) throw new Error(`storage ${this.storage.url} ignored claimOneOf`);
      if (record?.claimedKey !== undefined) {
        const fixedParams = this.sampler.paramsForKey!(record.claimedKey);
        // Kept with the trial so a retry or a resumed worker re-runs the same point.
        await this.storage.setTrialSystemAttr(record.trialId, SYSTEM_ATTR.fixedParams, fixedParams as Record<string, JsonValue>);
        record.systemAttrs[SYSTEM_ATTR.fixedParams] = fixedParams as Record<string, JsonValue>;
        const { claimedKey: _, ...plain } = record;
        return { record: plain, fixedParams };
      }
      if (totalTrials !== undefined && record === null && (await this.budgetReached(totalTrials))) return "totalTrials";
      // Another worker took the last keys we saw between the two reads; look again.
    }
  }

  private async budgetReached(totalTrials: number): Promise<boolean> {
    const notFailed = await this.storage.countTrials(this.studyId, ["RUNNING", "COMPLETE", "PRUNED", "WAITING"]);
    return notFailed >= totalTrials;
  }

  private sampleRelative(record: TrialRecord): { space: Record<string, Distribution>; params: Record<string, number> } {
    const space = this.sampler.inferRelativeSearchSpace(this.view, record);
    if (Object.keys(space).length === 0) return { space, params: {} };
    return { space, params: this.sampler.sampleRelative(this.view, record, space) };
  }
}

export interface StudySettings {
  /** Constraint values of a COMPLETE trial (feasible when every one is ≤ 0), or none. */
  constraints: ((trial: TrialRecord) => readonly number[]) | null;
  retryFailedTrials: number;
  heartbeatSeconds: number | null;
  graceSeconds: number;
  /** The seed a sampler given by name was built with; worker processes derive theirs from it. */
  seed: number | undefined;
}

function checkParamValues(where: string, params: Record<string, ParamValue>): void {
  if (!isPlainObject(params)) throw new ValueError(`${where}: params must be an object of name → value, got ${show(params)}.`);
  for (const [name, v] of Object.entries(params)) {
    if (name === "") throw new ValueError(`${where}: a parameter name must be a non-empty string.`);
    if (!(v === null || ["string", "number", "boolean"].includes(typeof v))) {
      throw new ValueError(`${where}: parameter ${show(name)} has value ${show(v)}; values must be numbers, strings, booleans or null.`);
    }
  }
}

/** Every field of an `addTrial` argument, checked and copied; distributions are those given. */
function checkAddedTrial(
  trial: AddedTrial,
  directions: readonly StudyDirection[],
): {
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  state: FinishedState;
  values: number[] | null;
  constraints: number[] | null;
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, JsonValue>;
} {
  if (!isPlainObject(trial))
    throw new ValueError(`addTrial: expected an object like { params: { x: 1 }, value: 0.5 }, got ${show(trial)}.`);
  checkOptionKeys("addTrial", trial, ADDED_TRIAL_KEYS);
  const given = givenValues("addTrial", trial.value, trial.values, directions);
  const { state, values } = finishedOutcome("addTrial", trial.state ?? "COMPLETE", given, directions, trial.values ?? trial.value);
  let constraints: number[] | null = null;
  if (trial.constraints !== undefined) {
    if (!Array.isArray(trial.constraints))
      throw new ValueError(`addTrial: constraints must be an array of numbers (feasible when ≤ 0), got ${show(trial.constraints)}.`);
    constraints = trial.constraints.map((c, i) => checkConstraintValue(`addTrial: constraints[${i}]`, c));
  }
  checkParamValues("addTrial", trial.params);
  const distributions = givenDistributions(trial.params, trial.distributions);
  for (const [name, v] of Object.entries(trial.params)) {
    if (
      typeof v === "number" &&
      !Number.isFinite(v) &&
      !(Object.hasOwn(distributions, name) && distributions[name].kind === "categorical")
    ) {
      throw new ValueError(
        `addTrial: parameter ${show(name)} = ${v}; a numeric parameter must be finite (or a choice of a CategoricalDistribution given for it).`,
      );
    }
  }
  return {
    params: { ...trial.params },
    distributions,
    state,
    values,
    constraints,
    intermediateValues: checkIntermediateValues("addTrial", trial.intermediateValues),
    userAttrs: userAttrs("addTrial", trial.userAttrs),
  };
}

/** The distributions given to `addTrial`, each valid and for a given parameter. */
function givenDistributions(params: Record<string, ParamValue>, given: unknown): Record<string, Distribution> {
  if (given === undefined) return {};
  if (!isPlainObject(given))
    throw new ValueError(`addTrial: distributions must be an object of parameter name → distribution, got ${show(given)}.`);
  const distributions: Record<string, Distribution> = {};
  for (const [name, d] of Object.entries(given)) {
    if (!Object.hasOwn(params, name)) {
      throw new ValueError(
        `addTrial: a distribution is given for ${show(name)}, but there is no parameter ${show(name)}; add its value to params or drop the distribution.`,
      );
    }
    setOwn(distributions, name, toDistribution(name, d));
  }
  return distributions;
}

const DISTRIBUTION_NAMES = ["FloatDistribution", "IntDistribution", "CategoricalDistribution"];

function toDistribution(name: string, d: unknown): Distribution {
  if (d instanceof FloatDistribution || d instanceof IntDistribution || d instanceof CategoricalDistribution) return d;
  if (!isPlainObject(d) || !DISTRIBUTION_NAMES.includes(d.name as string) || !isPlainObject(d.attributes)) {
    throw new ValueError(
      `addTrial: the distribution of ${show(name)} must be a FloatDistribution, IntDistribution or CategoricalDistribution, or its JSON form { name, attributes }, got ${show(d)}.`,
    );
  }
  try {
    return distributionFromJson(d as unknown as DistributionJson);
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`addTrial: the distribution of ${show(name)} is invalid: ${error.message}`);
    throw error;
  }
}

/** Intermediate values as `trial.report` takes them: any number, at a non-negative integer step. */
function checkIntermediateValues(where: string, values: unknown): Record<number, number> {
  if (values === undefined) return {};
  if (!(isPlainObject(values) || Array.isArray(values))) {
    throw new ValueError(`${where}: intermediateValues must be an object of step → value, e.g. { 0: 0.9, 1: 0.8 }, got ${show(values)}.`);
  }
  const checked: Record<number, number> = {};
  for (const [step, value] of Object.entries(values)) {
    if (!/^(0|[1-9]\d*)$/.test(step)) {
      throw new ValueError(`${where}: intermediate value step ${show(step)} must be a non-negative integer, as trial.report takes.`);
    }
    checkStep(`${where}: intermediate value step`, Number(step));
    if (typeof value !== "number") {
      throw new ValueError(`${where}: the intermediate value at step ${step} must be a number, as trial.report takes, got ${show(value)}.`);
    }
    checked[Number(step)] = value;
  }
  return checked;
}

/**
 * The values given as `value` (one objective's short form) or `values`, not both: a list,
 * or null for none. Their number and finiteness are checked with the state (`finishedOutcome`).
 */
function givenValues(where: string, value: unknown, values: unknown, directions: readonly StudyDirection[]): unknown[] | null {
  if (value != null && values != null) {
    throw new ValueError(
      `${where}: give value (one objective) or values (one per objective), not both; got ${show(value)} and ${show(values)}.`,
    );
  }
  if (values != null) {
    if (!Array.isArray(values))
      throw new ValueError(`${where}: values must be an array with one number per objective, got ${show(values)}.`);
    return [...values];
  }
  if (value == null) return null;
  if (directions.length > 1) {
    throw new ValueError(
      `${where}: the study has ${directions.length} objectives (${directions.join(", ")}); give values: [...] with one number each, not value ${show(value)}.`,
    );
  }
  return [value];
}

/**
 * How a finished trial may end, the same for `tell` and `addTrial`: COMPLETE with one
 * finite value per objective; PRUNED with those or none; FAIL with none (as in Optuna).
 */
function finishedOutcome(
  where: string,
  state: unknown,
  values: unknown[] | null,
  directions: readonly StudyDirection[],
  asGiven: unknown,
): { state: FinishedState; values: number[] | null } {
  if (state !== "COMPLETE" && state !== "PRUNED" && state !== "FAIL")
    throw new ValueError(`${where}: state must be COMPLETE, PRUNED or FAIL, got ${show(state)}.`);
  if (values === null) {
    if (state === "COMPLETE") throw new ValueError(`${where}: a COMPLETE trial needs ${needed(directions)}, got ${show(asGiven)}.`);
    return { state, values: null };
  }
  if (state === "FAIL") {
    const key = directions.length === 1 ? "value" : "values";
    throw new ValueError(`${where}: a FAIL trial has no value, got ${show(shown(values, directions))}; leave ${key} out.`);
  }
  const problem = valuesProblem(values, directions);
  if (problem !== null) {
    const what = state === "COMPLETE" ? "a COMPLETE trial needs" : "a PRUNED trial's value must be left out or be";
    throw new ValueError(`${where}: ${what} ${needed(directions)}, got ${show(shown(values, directions))} (${problem}).`);
  }
  return { state, values: values as number[] };
}

function normaliseTell(
  result: TellResult,
  record: TrialRecord,
  directions: readonly StudyDirection[],
): { state: FinishedState; values: number[] | null; error?: string } {
  if (typeof result === "number" || Array.isArray(result)) {
    const values: unknown[] = typeof result === "number" ? [result] : [...result];
    const problem = valuesProblem(values, directions);
    if (problem !== null) {
      return {
        state: "FAIL",
        values: null,
        error: `tell was given ${show(shown(values, directions))}; it needs ${needed(directions)} (${problem}).`,
      };
    }
    return { state: "COMPLETE", values: values as number[] };
  }
  if (!isPlainObject(result)) {
    throw new ValueError(`tell: expected a number, an array of numbers or { state: "COMPLETE" | "PRUNED" | "FAIL" }, got ${show(result)}.`);
  }
  checkOptionKeys("tell", result, ["state", "value", "values", "error"]);
  const given = givenValues("tell", result.value, result.values, directions);
  const { state, values } = finishedOutcome("tell", result.state, given, directions, result.values ?? result.value);
  if (result.error !== undefined && (state !== "FAIL" || typeof result.error !== "string")) {
    throw new ValueError(`tell: error is why a FAIL trial failed, a string; got ${show(result.error)} for a ${state} trial.`);
  }
  if (state === "PRUNED") return { state, values: values ?? lastIntermediateValues(record, directions) };
  if (state === "FAIL") return { state, values: null, error: result.error ?? "Marked FAIL by tell." };
  return { state, values };
}

/** A pruned trial keeps its last reported value, in a study with one objective (several have no reports). */
function lastIntermediateValues(record: TrialRecord, directions: readonly StudyDirection[]): number[] | null {
  const last = directions.length === 1 ? lastIntermediateValue(record) : null;
  return last === null ? null : [last];
}
