import { checkOptionKeys, show, TunebookError, ValueError } from "../core/errors.js";
import {
  type DistributionJson,
  isBetter,
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
import { inferDistribution } from "./infer-distribution.js";
import type { ObjectiveModule } from "./objective-module.js";
import {
  lastIntermediateValue,
  type NoTrial,
  type Objective,
  type OptimizeOptions,
  type OptimizeResult,
  optimize,
  TrialRunner,
} from "./optimize.js";
import type { Pruner } from "./pruners/pruner.js";
import type { Sampler } from "./samplers/sampler.js";
import { Trial } from "./trial.js";
import { TrialCache } from "./trial-cache.js";

/** How a trial ended, for `tell`. */
export type TellResult = number | { state: FinishedState; value?: number | null; error?: string };

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
    readonly direction: StudyDirection,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    settings: StudySettings,
  ) {
    this.view = new TrialCache(storage, studyId, name, direction);
    this.runner = new TrialRunner(storage, studyId, sampler, this.view, settings);
  }

  /**
   * Runs trials of `objective` until `nTrials` have run here, `timeoutSeconds` have
   * passed, the study as a whole reached `totalTrials`, the sampler ran out of points
   * (grid), `study.stop()` was called, or `signal` was aborted. Each trial is on disk
   * before the next starts.
   */
  optimize(objective: Objective | ObjectiveModule, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    return optimize(this, this.runner, objective, options);
  }

  /** Ends `optimize` after the running trials finish (e.g. from a callback). */
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

  /** Finishes a trial from `ask`: a value (COMPLETE), or `{ state: "PRUNED" | "FAIL" }`. */
  async tell(trial: Trial | number, result: TellResult): Promise<TrialRecord> {
    const live = typeof trial === "number" ? this.runner.liveTrial(trial) : trial;
    const { state, value, error } = normaliseTell(result, live);
    if (live) {
      await this.runner.finish(live, state, value, error);
      return structuredClone(live.record);
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
    const trial = new Trial(
      { storage: this.storage, view: this.view, sampler: this.sampler, pruner: this.pruner },
      record,
      this.sampleRelative(record),
      fixedParams,
    );
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
  retryFailedTrials: number;
  heartbeatSeconds: number | null;
  graceSeconds: number;
  /** The seed a sampler given by name was built with; worker processes derive theirs from it. */
  seed: number | undefined;
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
