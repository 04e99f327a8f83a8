import { checkOptionKeys, show, TrialFinishedError, TrialPruned, TunebookError, ValueError } from "../core/errors.js";
import {
  type DistributionJson,
  isBetter,
  isFinished,
  type JsonValue,
  type ParamValue,
  type StudyDirection,
  type StudySummary,
  SYSTEM_ATTR,
  TRIAL_STATES,
  type TrialRecord,
  type TrialState,
} from "../core/records.js";
import type { FinishedState, Storage } from "../tracker/storage/storage.js";
import { containsExternal, type Distribution, describe, distributionFromJson } from "./distributions.js";
import { createHeartbeat, type Heartbeat } from "./heartbeat.js";
import { inferDistribution } from "./infer-distribution.js";
import { warn } from "./log.js";
import { type ObjectiveModule, optimizeInWorkers } from "./parallel.js";
import type { Pruner } from "./pruners/pruner.js";
import type { Sampler } from "./samplers/sampler.js";
import { Trial } from "./trial.js";
import { TrialCache } from "./trial-cache.js";

export type Objective = (trial: Trial) => number | Promise<number>;
export type Callback = (study: Study, trial: TrialRecord) => void | Promise<void>;

export interface OptimizeOptions {
  /** Trials to run in this call (default: until another limit stops it). */
  nTrials?: number;
  /** Start no trial after this many seconds (default: no limit). */
  timeoutSeconds?: number;
  /** Stop once the study as a whole — all workers — has this many trials that are not FAIL. */
  totalTrials?: number;
  /** Async objectives run at once (default 1). */
  concurrency?: number;
  /** Errors that fail the trial but let the study go on: `true` for all, or error classes (default: none). */
  catch?: boolean | ReadonlyArray<abstract new (...args: never[]) => Error>;
  /** Called after each finished trial, in order. */
  callbacks?: readonly Callback[];
  /** Stops starting new trials once aborted; running trials finish and are recorded. */
  signal?: AbortSignal;
  /**
   * Run trials in this many worker processes sharing the study through storage, for
   * CPU-bound objectives; the objective is then given as `{ module, export }` so each
   * process can load it (default: trials run in this process).
   */
  workers?: number;
}

const OPTIMIZE_KEYS = ["nTrials", "timeoutSeconds", "totalTrials", "concurrency", "catch", "callbacks", "signal", "workers"] as const;

export interface OptimizeResult {
  /** Trials this call started and finished. */
  trialsRun: number;
  /** Why it stopped. */
  stoppedBy: "nTrials" | "timeout" | "totalTrials" | "exhausted" | "stop" | "signal";
}

/** How a trial ended, for `tell`. */
export type TellResult = number | { state: FinishedState; value?: number | null; error?: string };

/**
 * A study: one optimisation problem, its trials and how new ones are chosen.
 * Built by `createStudy` or `loadStudy`.
 */
export class Study {
  private readonly view: TrialCache;
  private readonly live = new Map<number, Trial>();
  private stopRequested = false;

  /** @internal */
  constructor(
    readonly storage: Storage,
    readonly studyId: number,
    readonly name: string,
    readonly direction: StudyDirection,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    private readonly settings: StudySettings,
  ) {
    this.view = new TrialCache(storage, studyId, name, direction);
  }

  /**
   * Runs trials of `objective` until `nTrials` have run here, `timeoutSeconds` have
   * passed, the study as a whole reached `totalTrials`, the sampler ran out of points
   * (grid), `study.stop()` was called, or `signal` was aborted. Each trial is on disk
   * before the next starts.
   */
  async optimize(objective: Objective | ObjectiveModule, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    checkOptionKeys("optimize", options, OPTIMIZE_KEYS);
    const { nTrials, timeoutSeconds, totalTrials, concurrency = 1, callbacks = [], signal, workers } = options;
    checkCount("optimize: nTrials", nTrials, 0);
    checkCount("optimize: totalTrials", totalTrials, 0);
    checkCount("optimize: concurrency", concurrency, 1);
    checkCount("optimize: workers", workers, 1);
    if (timeoutSeconds !== undefined && !(typeof timeoutSeconds === "number" && timeoutSeconds > 0)) {
      throw new ValueError(`optimize: timeoutSeconds must be a positive number, got ${show(timeoutSeconds)}.`);
    }
    if (!Array.isArray(callbacks) || callbacks.some((c) => typeof c !== "function")) {
      throw new ValueError(`optimize: callbacks must be an array of functions, got ${show(callbacks)}.`);
    }
    if (workers !== undefined || (typeof objective === "object" && objective !== null)) {
      if (typeof objective !== "object" || objective === null || typeof objective.module !== "string") {
        throw new ValueError(
          `optimize: with workers, each process loads the objective itself; give it as { module: "./objective.ts", export: "objective" }, got ${show(objective)}.`,
        );
      }
      if (options.catch !== undefined || options.concurrency !== undefined) {
        throw new ValueError(
          "optimize: catch and concurrency apply to trials in this process; with workers, catch errors inside the objective.",
        );
      }
      return optimizeInWorkers(
        this,
        objective,
        { workers: workers ?? 1, nTrials, totalTrials, timeoutSeconds, callbacks, signal },
        this.settings.seed,
      );
    }
    if (typeof objective !== "function")
      throw new ValueError(`optimize: the objective must be a function (trial) => number, got ${show(objective)}.`);
    const catchRule = options.catch ?? false;
    const deadline = timeoutSeconds === undefined ? Infinity : Date.now() + timeoutSeconds * 1000;
    this.stopRequested = false;

    let started = 0;
    let finished = 0;
    let stoppedBy: OptimizeResult["stoppedBy"] | null = null;
    let failure: { error: unknown } | null = null;

    const nextStop = (): OptimizeResult["stoppedBy"] | null => {
      if (stoppedBy) return stoppedBy;
      if (failure) return "stop";
      if (this.stopRequested) return "stop";
      if (signal?.aborted) return "signal";
      if (nTrials !== undefined && started >= nTrials) return "nTrials";
      if (Date.now() >= deadline) return "timeout";
      return null;
    };

    const loop = async (): Promise<void> => {
      for (;;) {
        const stop = nextStop();
        if (stop) {
          stoppedBy ??= stop;
          return;
        }
        started++;
        const trial = await this.askOrStop(totalTrials);
        if (!(trial instanceof Trial)) {
          started--;
          stoppedBy ??= trial;
          return;
        }
        const outcome = await this.run(trial, objective, catchRule);
        finished++;
        for (const callback of callbacks) await callback(this, structuredCloneTrial(trial.record));
        if (outcome.rethrow) {
          failure ??= { error: outcome.rethrow };
          return;
        }
      }
    };

    await Promise.all(Array.from({ length: concurrency }, loop));
    if (failure) throw (failure as { error: unknown }).error;
    return { trialsRun: finished, stoppedBy: stoppedBy ?? "stop" };
  }

  /** Ends `optimize` after the running trials finish (e.g. from a callback). */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Starts a trial for ask-and-tell use: suggest on it, evaluate, then `tell`.
   * Enqueued trials come first; throws when the sampler has no points left (grid).
   */
  async ask(): Promise<Trial> {
    const trial = await this.askOrStop(undefined);
    if (!(trial instanceof Trial))
      throw new TunebookError(`Study ${show(this.name)}: the ${this.sampler.name} sampler has no points left to evaluate.`);
    return trial;
  }

  /** Finishes a trial from `ask`: a value (COMPLETE), or `{ state: "PRUNED" | "FAIL" }`. */
  async tell(trial: Trial | number, result: TellResult): Promise<TrialRecord> {
    const live = typeof trial === "number" ? this.liveByNumber(trial) : trial;
    const { state, value, error } = normaliseTell(result, live);
    if (live) {
      await this.finish(live, state, value, error);
      return structuredCloneTrial(live.record);
    }
    // A trial asked for by another process (ask-and-tell across machines).
    const record = (await this.storage.getAllTrials(this.studyId)).find((t) => t.number === trial);
    if (!record) throw new ValueError(`tell: study ${show(this.name)} has no trial number ${show(trial)}.`);
    await this.storage.finishTrial(record.trialId, state, value, error);
    return this.storage.getTrial(record.trialId);
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
    checkOptionKeys("enqueueTrial", options, ["userAttrs", "skipIfExists"]);
    checkParamValues("enqueueTrial", params);
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
      userAttrs: options.userAttrs ?? {},
      systemAttrs: { [SYSTEM_ATTR.fixedParams]: params as Record<string, JsonValue> },
    });
  }

  /**
   * Records a trial evaluated by hand (manual tuning). Without `distributions`, each
   * parameter takes the distribution it has in earlier trials of the study, or a
   * single-value one; give distributions so samplers can learn from it.
   */
  async addTrial(trial: {
    params: Record<string, ParamValue>;
    value?: number | null;
    distributions?: Record<string, Distribution | DistributionJson>;
    state?: FinishedState;
    intermediateValues?: Record<number, number>;
    userAttrs?: Record<string, JsonValue>;
  }): Promise<TrialRecord> {
    checkOptionKeys("addTrial", trial, ["params", "value", "distributions", "state", "intermediateValues", "userAttrs"]);
    const state = trial.state ?? "COMPLETE";
    if (!["COMPLETE", "PRUNED", "FAIL"].includes(state))
      throw new ValueError(`addTrial: state must be COMPLETE, PRUNED or FAIL, got ${show(state)}.`);
    const value = trial.value ?? null;
    if (state === "COMPLETE" && (typeof value !== "number" || !Number.isFinite(value))) {
      throw new ValueError(`addTrial: a COMPLETE trial needs a finite numeric value, got ${show(trial.value)}.`);
    }
    checkParamValues("addTrial", trial.params);
    await this.view.refresh();
    const distributions: Record<string, DistributionJson> = {};
    for (const [name, v] of Object.entries(trial.params)) {
      const given = trial.distributions?.[name];
      const d: Distribution = given
        ? "toJson" in given
          ? given
          : distributionFromJson(given)
        : inferDistribution(name, v, this.view.trials());
      if (!containsExternal(d, v)) throw new ValueError(`addTrial: parameter ${show(name)} = ${show(v)} is outside ${describe(d)}.`);
      distributions[name] = d.toJson();
    }
    const now = new Date();
    const created = await this.storage.createTrial(this.studyId, {
      state,
      params: trial.params,
      distributions,
      value,
      intermediateValues: trial.intermediateValues ?? {},
      userAttrs: trial.userAttrs ?? {},
      datetimeStart: now,
      datetimeComplete: now,
    });
    return created!;
  }

  /** The study's trials as plain records, ordered by number. */
  async trials(options: { states?: readonly TrialState[] } = {}): Promise<TrialRecord[]> {
    checkOptionKeys("trials", options, ["states"]);
    for (const s of options.states ?? []) {
      if (!TRIAL_STATES.includes(s)) throw new ValueError(`trials: unknown state ${show(s)}; states are ${TRIAL_STATES.join(", ")}.`);
    }
    return this.storage.getAllTrials(this.studyId, options.states ? { states: options.states } : {});
  }

  /** The best COMPLETE trial by the study's direction; throws if there is none yet. */
  async best(): Promise<TrialRecord> {
    let best: TrialRecord | null = null;
    for (const t of await this.trials({ states: ["COMPLETE"] })) {
      if (t.value !== null && (best === null || isBetter(this.direction, t.value, best.value!))) best = t;
    }
    if (!best) throw new TunebookError(`Study ${show(this.name)} has no COMPLETE trial yet, so no best trial.`);
    return best;
  }

  /** Counts, best value and last activity, as the tracker lists them. */
  async summary(): Promise<StudySummary> {
    return this.storage.getStudy(this.studyId);
  }

  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    await this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  private liveByNumber(number: number): Trial | undefined {
    for (const t of this.live.values()) if (t.number === number) return t;
    return undefined;
  }

  /** A new trial, or why there is none: the study's budget is spent, or the sampler's points are. */
  private async askOrStop(totalTrials: number | undefined): Promise<Trial | NoTrial> {
    // Stale trials first, so a retry they enqueue is seen by this refresh and runs next.
    if (this.settings.heartbeatSeconds !== null) await this.failStaleTrials();
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
    const trial = new Trial(
      { storage: this.storage, view: this.view, sampler: this.sampler, pruner: this.pruner },
      record,
      this.sampleRelative(record),
      fixedParams,
    );
    this.live.set(record.trialId, trial);
    if (this.settings.heartbeatSeconds !== null) await this.startHeartbeat(trial);
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

  /** Runs the objective on one trial and records how it ended. */
  private async run(trial: Trial, objective: Objective, catchRule: OptimizeOptions["catch"]): Promise<{ rethrow?: unknown }> {
    let outcome: unknown;
    try {
      outcome = await objective(trial);
    } catch (error) {
      if (error instanceof TrialPruned) {
        await this.finish(trial, "PRUNED", lastIntermediateValue(trial.record));
        return {};
      }
      const message = describeError(error);
      await this.finish(trial, "FAIL", null, message);
      if (isCaught(error, catchRule)) {
        warn(`trial ${trial.number} failed: ${message}`);
        return {};
      }
      return { rethrow: error };
    }
    if (typeof outcome !== "number" || !Number.isFinite(outcome)) {
      const message = `The objective returned ${describeReturn(outcome)}; it must return a finite number.`;
      warn(`trial ${trial.number} failed: ${message}`);
      await this.finish(trial, "FAIL", null, message);
      return {};
    }
    await this.finish(trial, "COMPLETE", outcome);
    return {};
  }

  /** Writes the trial's end; only then may the next trial start. */
  private async finish(trial: Trial, state: FinishedState, value: number | null, error?: string): Promise<void> {
    if (isFinished(trial.record.state)) throw new TrialFinishedError(`trial ${trial.number} is already ${trial.record.state}.`);
    const record = trial.record;
    try {
      try {
        await trial.flush();
      } catch (writeError) {
        if (writeError instanceof TrialFinishedError) throw writeError;
        state = "FAIL";
        value = null;
        error = `Recording the trial failed: ${describeError(writeError)}`;
      }
      await this.storage.finishTrial(record.trialId, state, value, error);
      record.state = state;
      record.value = value;
      record.datetimeComplete = new Date();
      if (error !== undefined) {
        record.error = error;
        record.systemAttrs[SYSTEM_ATTR.failReason] = error;
      }
    } catch (finishError) {
      if (!(finishError instanceof TrialFinishedError)) throw finishError;
      // Another worker marked it FAIL (its heartbeat was late); storage has the truth.
      Object.assign(record, await this.storage.getTrial(record.trialId));
      warn(`trial ${trial.number} was already ${record.state} in storage (marked by another worker); its result is not recorded.`);
    } finally {
      this.stopHeartbeat(trial);
      this.live.delete(record.trialId);
      this.view.finished(record);
    }
    this.sampler.afterTrial?.(this.view, record, record.state, record.value);
    if (record.state === "FAIL" && this.settings.retryFailedTrials > 0) await this.maybeRetry(record);
  }

  private async failStaleTrials(): Promise<void> {
    const failed = await this.storage.failStaleTrials(this.studyId, this.settings.graceSeconds);
    for (const record of failed) {
      warn(`trial ${record.number} stopped sending heartbeats; marked FAIL.`);
      if (this.settings.retryFailedTrials > 0) await this.maybeRetry(record);
    }
  }

  /** Re-enqueues a failed trial's parameters, counting retries back to the original. */
  private async maybeRetry(record: TrialRecord): Promise<void> {
    const retries = Number(record.systemAttrs[RETRY_COUNT] ?? 0);
    if (retries >= this.settings.retryFailedTrials) return;
    const params = { ...((record.systemAttrs[SYSTEM_ATTR.fixedParams] ?? {}) as Record<string, ParamValue>), ...record.params };
    await this.storage.createTrial(this.studyId, {
      state: "WAITING",
      systemAttrs: {
        [SYSTEM_ATTR.fixedParams]: params as Record<string, JsonValue>,
        [RETRY_COUNT]: retries + 1,
        [RETRIED_FROM]: Number(record.systemAttrs[RETRIED_FROM] ?? record.number),
      },
    });
  }

  private heartbeat: Heartbeat | null = null;

  private async startHeartbeat(trial: Trial): Promise<void> {
    this.heartbeat ??= createHeartbeat(this.storage, this.settings.heartbeatSeconds!);
    await this.heartbeat.start(trial.trialId);
  }

  private stopHeartbeat(trial: Trial): void {
    this.heartbeat?.stop(trial.trialId);
  }
}

export interface StudySettings {
  retryFailedTrials: number;
  heartbeatSeconds: number | null;
  graceSeconds: number;
  /** The seed a sampler given by name was built with; worker processes derive theirs from it. */
  seed: number | undefined;
}

/** Why no trial could be started. */
type NoTrial = "totalTrials" | "exhausted";

const RETRY_COUNT = "tunebook:retry_count";
const RETRIED_FROM = "tunebook:retried_from";

export function checkCount(what: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) throw new ValueError(`${what} must be an integer >= ${min}, got ${show(value)}.`);
}

function checkParamValues(where: string, params: Record<string, ParamValue>): void {
  if (params == null || typeof params !== "object" || Array.isArray(params))
    throw new ValueError(`${where}: params must be an object of name → value, got ${show(params)}.`);
  for (const [name, v] of Object.entries(params)) {
    if (!(v === null || ["string", "number", "boolean"].includes(typeof v))) {
      throw new ValueError(`${where}: parameter ${show(name)} has value ${show(v)}; values must be numbers, strings, booleans or null.`);
    }
  }
}

function normaliseTell(result: TellResult, trial: Trial | undefined): { state: FinishedState; value: number | null; error?: string } {
  if (typeof result === "number") {
    if (!Number.isFinite(result))
      return { state: "FAIL", value: null, error: `tell was given ${result}; a value must be a finite number.` };
    return { state: "COMPLETE", value: result };
  }
  if (result == null || typeof result !== "object" || !["COMPLETE", "PRUNED", "FAIL"].includes(result.state)) {
    throw new ValueError(`tell: expected a number or { state: "COMPLETE" | "PRUNED" | "FAIL" }, got ${show(result)}.`);
  }
  if (result.state === "COMPLETE") {
    if (typeof result.value !== "number" || !Number.isFinite(result.value))
      throw new ValueError(`tell: a COMPLETE trial needs a finite value, got ${show(result.value)}.`);
    return { state: "COMPLETE", value: result.value };
  }
  if (result.state === "PRUNED") return { state: "PRUNED", value: result.value ?? (trial ? lastIntermediateValue(trial.record) : null) };
  return { state: "FAIL", value: null, error: result.error ?? "Marked FAIL by tell." };
}

function lastIntermediateValue(record: TrialRecord): number | null {
  const steps = Object.keys(record.intermediateValues).map(Number);
  if (steps.length === 0) return null;
  const value = record.intermediateValues[Math.max(...steps)];
  return Number.isFinite(value) ? value : null;
}

function isCaught(error: unknown, rule: OptimizeOptions["catch"]): boolean {
  if (rule === true) return true;
  if (!rule) return false;
  return rule.some((cls) => error instanceof cls);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `thrown value ${show(error)}`;
}

function describeReturn(value: unknown): string {
  if (value === undefined) return "undefined (did the objective forget to return?)";
  if (typeof value === "number") return String(value);
  return `${typeof value} ${show(value)}`;
}

function structuredCloneTrial(record: TrialRecord): TrialRecord {
  return structuredClone(record);
}
