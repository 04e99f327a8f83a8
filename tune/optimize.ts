/**
 * Running trials: the `optimize` loop (budgets, timeouts, concurrency, callbacks,
 * which errors are caught), checking what the objective returned, and the life of a
 * running trial that ask-and-tell shares: heartbeats while it runs, writing how it
 * ended, failing trials whose worker died, and retrying failed ones.
 */
import { checkOptionKeys, show, TrialFinishedError, TrialPruned, TunebookError, ValueError } from "../core/errors.js";
import { checkConstraintValue } from "../core/feasibility.js";
import {
  isFinished,
  type JsonValue,
  type ParamValue,
  type StudyDirection,
  SYSTEM_ATTR,
  singleValue,
  type TrialRecord,
} from "../core/records.js";
import type { FinishedState, Storage } from "../tracker/storage/storage.js";
import { createHeartbeat, type Heartbeat } from "./heartbeat.js";
import { warn } from "./log.js";
import type { ObjectiveModule } from "./objective-module.js";
import { valuesProblem } from "./objective-values.js";
import { optimizeInWorkers } from "./parallel.js";
import type { Sampler } from "./samplers/sampler.js";
import { type StopHit, type StopKind, type StopOption, Stopper } from "./stopping/index.js";
import type { Study, StudySettings } from "./study.js";
import type { Trial } from "./trial.js";
import type { TrialCache } from "./trial-cache.js";

/** The objective: a number, or one number per objective for a study with several. */
export type Objective = (trial: Trial) => number | readonly number[] | Promise<number | readonly number[]>;
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
  /**
   * Errors that fail the trial but let the study go on: `true` for all, or error
   * classes (default: none). A thrown value that is not an Error (null, a string...)
   * is wrapped in an `ObjectiveError`, which a list catches if it names `ObjectiveError`
   * or a class it extends (`TunebookError`, `Error`).
   */
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
  /**
   * Stop starting trials once more are unlikely to help, judged after each finished trial
   * (default: no such rule; see tune/stopping/):
   * - `"converged"`: after `minTrials` (20) COMPLETE trials, once a GP's bound on the regret
   *   of the best trial is below the statistical error of its cross-validation (Optuna's
   *   Terminator; needs each trial's fold scores: `crossValidate(..., { trial })`). Tuned:
   *   `{ converged: { minTrials, topTrialsRatio, seed } }`.
   * - `{ noImprovementTrials: n }`: once n COMPLETE trials in a row did not beat the best.
   * - `{ shouldStop(study, trials) }`: true, or a reason, to stop.
   * The reason is kept in the study's system attribute "tunebook:stop_reason".
   */
  stop?: StopOption;
}

const OPTIMIZE_KEYS = [
  "nTrials",
  "timeoutSeconds",
  "totalTrials",
  "concurrency",
  "catch",
  "callbacks",
  "signal",
  "workers",
  "stop",
] as const;

export interface OptimizeResult {
  /** Trials this call started and finished. */
  trialsRun: number;
  /** Why it stopped: a limit, `study.stop()`, the signal, or a `stop` criterion (its kind). */
  stoppedBy: "nTrials" | "timeout" | "totalTrials" | "exhausted" | "stop" | "signal" | StopKind;
  /** Why a `stop` criterion stopped it, in words (as stored in "tunebook:stop_reason"). */
  stopReason?: string;
}

/**
 * The objective threw something that is not an Error (`throw null`, `throw "boom"`):
 * the trial is FAIL and, unless `catch` says otherwise, the study stops with this,
 * as it would with an Error. `thrown` is the value itself.
 */
export class ObjectiveError extends TunebookError {
  declare readonly thrown: unknown;

  constructor(thrown: unknown) {
    super(`the objective threw ${show(thrown)} (not an Error); throw an Error, e.g. throw new Error("why").`);
    Object.defineProperty(this, "thrown", { value: thrown, enumerable: false });
  }
}

/** How a thrown value reads in a FAIL trial's error and in messages: `Name: message` for an Error. */
export function describeThrown(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : `${show(thrown)} (thrown, not an Error)`;
}

/** Why no trial could be started: the study's budget is spent, or the sampler's points are. */
export type NoTrial = "totalTrials" | "exhausted";

/** The loop behind `Study.optimize` (see there). */
export async function optimize(
  study: Study,
  runner: TrialRunner,
  objective: Objective | ObjectiveModule,
  options: OptimizeOptions,
): Promise<OptimizeResult> {
  checkOptimizeOptions(options);
  const { nTrials, timeoutSeconds, totalTrials, concurrency = 1, callbacks = [], signal, workers } = options;
  const stopper = Stopper.create(options.stop, study, runner.settings.seed);
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
    const stopRequested = () => runner.stopRequested;
    const judged = stopper && judgeInParent(stopper, runner);
    const result = await runner.during(() =>
      optimizeInWorkers(
        study,
        objective,
        {
          workers: workers ?? 1,
          nTrials,
          totalTrials,
          timeoutSeconds,
          callbacks: judged ? [...callbacks, judged.callback] : callbacks,
          signal,
          stopRequested,
        },
        runner.settings.seed,
      ),
    );
    if (judged?.failure) throw judged.failure.error;
    return judged?.hit ? { ...result, stoppedBy: judged.hit.kind, stopReason: judged.hit.reason } : result;
  }
  if (typeof objective !== "function")
    throw new ValueError(`optimize: the objective must be a function (trial) => number, got ${show(objective)}.`);
  const catchRule = options.catch ?? false;
  const deadline = timeoutSeconds === undefined ? Infinity : Date.now() + timeoutSeconds * 1000;

  let started = 0;
  let finished = 0;
  let stoppedBy: OptimizeResult["stoppedBy"] | null = null;
  let failure: { error: Error } | null = null;
  let criterion: StopHit | null = null;

  const nextStop = (): OptimizeResult["stoppedBy"] | null => {
    if (stoppedBy) return stoppedBy;
    if (failure) return "stop";
    if (criterion) return criterion.kind;
    if (runner.stopRequested) return "stop";
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
      const trial = await study.startTrial(totalTrials);
      if (typeof trial === "string") {
        started--;
        stoppedBy ??= trial;
        return;
      }
      const outcome = await runObjective(runner, trial, objective, catchRule);
      finished++;
      for (const callback of callbacks) await callback(study, structuredClone(trial.record));
      if (outcome.rethrow) {
        failure ??= { error: outcome.rethrow };
        return;
      }
      if (stopper) {
        try {
          criterion ??= await stopper.afterTrial(study, trial.record);
        } catch (error) {
          failure ??= { error: error as Error };
          return;
        }
      }
    }
  };

  await runner.during(() => Promise.all(Array.from({ length: concurrency }, loop)));
  if (failure) throw (failure as { error: Error }).error;
  const stopped = criterion as StopHit | null;
  const result: OptimizeResult = { trialsRun: finished, stoppedBy: stoppedBy ?? "stop" };
  if (stopped && result.stoppedBy === stopped.kind) result.stopReason = stopped.reason;
  return result;
}

/**
 * Trials run in worker processes are judged here, as each one's record arrives: a criterion
 * that fires (or throws) asks the workers to stop, like `study.stop()` from a callback.
 */
function judgeInParent(
  stopper: Stopper,
  runner: TrialRunner,
): { callback: Callback; hit: StopHit | null; failure: { error: Error } | null } {
  const judged: ReturnType<typeof judgeInParent> = {
    hit: null,
    failure: null,
    callback: async (study, trial) => {
      if (judged.hit || judged.failure) return;
      try {
        judged.hit = await stopper.afterTrial(study, trial);
      } catch (error) {
        judged.failure = { error: error as Error };
      }
      if (judged.hit || judged.failure) runner.stopRequested = true;
    },
  };
  return judged;
}

function checkOptimizeOptions(options: OptimizeOptions): void {
  checkOptionKeys("optimize", options, OPTIMIZE_KEYS);
  const { nTrials, timeoutSeconds, totalTrials, concurrency = 1, callbacks = [], workers } = options;
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
}

export function checkCount(what: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) throw new ValueError(`${what} must be an integer >= ${min}, got ${show(value)}.`);
}

/** Runs the objective on one trial and records how it ended. */
async function runObjective(
  runner: TrialRunner,
  trial: Trial,
  objective: Objective,
  catchRule: OptimizeOptions["catch"],
): Promise<{ rethrow?: Error }> {
  let outcome: unknown;
  try {
    outcome = await objective(trial);
  } catch (thrown) {
    if (thrown instanceof TrialPruned) {
      const last = lastIntermediateValue(trial.record);
      await runner.finish(trial, "PRUNED", last === null ? null : [last]);
      return {};
    }
    const error = thrown instanceof Error ? thrown : new ObjectiveError(thrown);
    const message = describeThrown(error);
    await runner.finish(trial, "FAIL", null, message);
    if (isCaught(error, catchRule)) {
      warn(`trial ${trial.number} failed: ${message}`);
      return {};
    }
    return { rethrow: error };
  }
  const directions = runner.directions;
  const values = typeof outcome === "number" ? [outcome] : Array.isArray(outcome) ? [...outcome] : null;
  const problem = values === null ? "not a number" : valuesProblem(values, directions);
  if (problem !== null) {
    const wanted =
      directions.length === 1
        ? "a finite number"
        : `an array of ${directions.length} finite numbers, one per objective (${directions.join(", ")})`;
    const message = `The objective returned ${describeReturn(outcome)}; it must return ${wanted}${directions.length === 1 ? "" : `: ${problem}`}.`;
    warn(`trial ${trial.number} failed: ${message}`);
    await runner.finish(trial, "FAIL", null, message);
    return {};
  }
  await runner.finish(trial, "COMPLETE", values as number[]);
  return {};
}

/**
 * The running trials of one study in this process, whether `optimize` or `ask`
 * started them: heartbeats while they run, and the one way each is finished, so a
 * trial is on disk before the next starts and failed ones are retried.
 */
export class TrialRunner {
  /** Set by `Study.stop()`; `optimize` starts no new trial while it is set. */
  stopRequested = false;
  /** How many `optimize` calls of the study run now. */
  private optimizing = 0;
  private readonly live = new Map<number, Trial>();
  private heartbeat: Heartbeat | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly studyId: number,
    private readonly sampler: Sampler,
    private readonly view: TrialCache,
    readonly settings: StudySettings,
  ) {}

  /**
   * Runs one `optimize` call. A stop requested before it (e.g. a worker process told to
   * stop while it was still starting) is honoured by it, and spent once no `optimize`
   * of the study runs any more, so the next call runs in full.
   */
  async during<T>(run: () => Promise<T>): Promise<T> {
    this.optimizing++;
    try {
      return await run();
    } finally {
      if (--this.optimizing === 0) this.stopRequested = false;
    }
  }

  /** Before a trial starts: fails stale trials first, so a retry they enqueue runs next. */
  async beforeStart(): Promise<void> {
    if (this.settings.heartbeatSeconds !== null) await this.failStaleTrials();
  }

  /** A trial started: it is live until finished, sending heartbeats if the study has them. */
  async started(trial: Trial): Promise<void> {
    this.live.set(trial.trialId, trial);
    if (this.settings.heartbeatSeconds === null) return;
    this.heartbeat ??= createHeartbeat(this.storage, this.settings.heartbeatSeconds);
    await this.heartbeat.start(trial.trialId);
  }

  /** The running trial of that number started in this process, if any. */
  liveTrial(number: number): Trial | undefined {
    for (const t of this.live.values()) if (t.number === number) return t;
    return undefined;
  }

  /** The study's directions, one per objective. */
  get directions(): readonly StudyDirection[] {
    return this.view.directions;
  }

  /**
   * Writes the trial's end; only then may the next trial start. A COMPLETE or PRUNED trial's
   * constraint values (the study's constraints function, then those the trial set) are
   * written with it; a constraints function that throws or returns no list of numbers
   * makes the trial FAIL, saying so.
   */
  async finish(trial: Trial, state: FinishedState, values: readonly number[] | null, error?: string): Promise<void> {
    if (isFinished(trial.record.state)) throw new TrialFinishedError(`trial ${trial.number} is already ${trial.record.state}.`);
    const record = trial.record;
    try {
      try {
        if (state === "COMPLETE" || state === "PRUNED") this.recordConstraints(trial, values);
        await trial.flush();
      } catch (writeError) {
        if (writeError instanceof TrialFinishedError) throw writeError;
        state = "FAIL";
        values = null;
        error = writeError instanceof ConstraintsError ? writeError.message : `Recording the trial failed: ${describeThrown(writeError)}`;
      }
      await this.storage.finishTrial(record.trialId, state, values, error);
      record.state = state;
      record.values = values && [...values];
      record.value = singleValue(values);
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
      this.heartbeat?.stop(record.trialId);
      this.live.delete(record.trialId);
      this.view.finished(record);
    }
    this.sampler.afterTrial?.(this.view, record, record.state, record.values);
    if (record.state === "FAIL" && this.settings.retryFailedTrials > 0) await this.maybeRetry(record);
  }

  /** The trial's full list of constraint values, queued for writing before it finishes. */
  private recordConstraints(trial: Trial, values: readonly number[] | null): void {
    const fromStudy: number[] = [];
    const constraints = this.settings.constraints;
    if (constraints) {
      let returned: unknown;
      const asCompleted = { ...structuredClone(trial.record), state: "COMPLETE" as const, values: values && [...values] };
      asCompleted.value = singleValue(asCompleted.values);
      try {
        returned = constraints(asCompleted);
      } catch (thrown) {
        throw new ConstraintsError(`The constraints function threw ${describeThrown(thrown)}.`);
      }
      if (!Array.isArray(returned)) {
        throw new ConstraintsError(
          `The constraints function returned ${show(returned)}; it must return an array of numbers (feasible when ≤ 0).`,
        );
      }
      returned.forEach((v, i) => {
        try {
          fromStudy.push(checkConstraintValue(`the constraints function's value ${i}`, v));
        } catch (invalid) {
          throw new ConstraintsError((invalid as Error).message);
        }
      });
    }
    const all = [...fromStudy, ...trial.namedConstraintValues()];
    if (all.length > 0) trial.setConstraintList(all);
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
}

/** The study's constraints function failed: the trial is FAIL with this message. */
class ConstraintsError extends TunebookError {}

const RETRY_COUNT = "tunebook:retry_count";
const RETRIED_FROM = "tunebook:retried_from";

/** The value a pruned trial keeps: its last finite intermediate value. */
export function lastIntermediateValue(record: TrialRecord): number | null {
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

function describeReturn(value: unknown): string {
  if (value === undefined) return "undefined (did the objective forget to return?)";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return show(value);
  return `${typeof value} ${show(value)}`;
}
