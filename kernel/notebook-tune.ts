import { studyDirections } from "../core/directions.js";
import { checkOptionKeys, show, TunebookError, ValueError } from "../core/errors.js";
import type { StudyDirection, TrialRecord } from "../core/records.js";
import { checkSeed } from "../core/rng.js";
import { minimisedValues } from "../tune/best-trials.js";
import { createStudy } from "../tune/create-study.js";
import { describeThrown, type Objective, type OptimizeOptions, type OptimizeResult } from "../tune/optimize.js";
import type { PrunerSpec } from "../tune/pruners/index.js";
import type { SamplerSpec } from "../tune/samplers/registry.js";
import { checkStop } from "../tune/stopping/index.js";
import type { StorageSpec } from "../tune/storage.js";
import type { Study } from "../tune/study.js";
import { newDisplay } from "./display/output.js";
import { ProgressDisplay } from "./display/progress.js";
import { showTuneSummary } from "./display/study.js";
import { interruptibleRun } from "./interrupt.js";
import { progressOutput } from "./progress-comm.js";

/** Options of `tune`, the same names as the `%%tune` magic line. */
export interface TuneOptions {
  /** Study name (default: generated). Running again with the same name and storage continues the study. */
  study?: string;
  /** Trials to run (default: no limit — until `timeout`, an interrupt, or a grid runs out). */
  trials?: number;
  /** Start no trial after this many seconds (default: no limit). */
  timeout?: number;
  /** Default "minimize". For one objective; see `directions`. */
  direction?: StudyDirection;
  /**
   * One direction per objective, e.g. `["maximize", "minimize"]` for accuracy against model
   * size: the objective returns one number per objective, and the study's best trials are
   * its Pareto front (`study.bestTrials()`). Not with `direction`.
   */
  directions?: readonly StudyDirection[];
  /** A sampler or its name (default: the study's default sampler). */
  sampler?: SamplerSpec;
  /** A pruner or its name (default: none). */
  pruner?: PrunerSpec;
  /** Storage URL or instance (default: `$TUNEBOOK_STORAGE`, else `./tunebook.db`). */
  storage?: StorageSpec;
  /** Groups studies to compare, e.g. one per algorithm on one dataset. */
  experiment?: string;
  /** Trials run at once (default 1). */
  concurrency?: number;
  /** Seed for a sampler given by name (default: random). */
  seed?: number;
  /** Stops starting new trials once aborted; a Jupyter interrupt does the same (default: none). */
  signal?: AbortSignal;
  /** Errors that fail the trial but let the study go on: `true` for all, or error classes (default: none — the first error stops the run). */
  catch?: OptimizeOptions["catch"];
  /**
   * Stop starting trials once more are unlikely to help (default: no such rule): `"converged"`
   * (Optuna's Terminator; the objective must record fold scores: `crossValidate(..., { trial })`),
   * `{ noImprovementTrials: n }` or `{ shouldStop(study, trials) }`; see `OptimizeOptions.stop`.
   * The progress line ends with the reason.
   */
  stop?: OptimizeOptions["stop"];
  /** Show live progress and the summary (default true). */
  display?: boolean;
}

const TUNE_KEYS = [
  "study",
  "trials",
  "timeout",
  "direction",
  "directions",
  "sampler",
  "pruner",
  "storage",
  "experiment",
  "concurrency",
  "seed",
  "signal",
  "catch",
  "stop",
  "display",
] as const;

/** Studies run by `tune` or a `%%tune` cell in this process, by name. */
export const studies: Record<string, Study> = {};

/** Thrown by `tune` when a trial's objective threw: the trial is recorded as FAIL. */
export class TrialFailedError extends TunebookError {
  /** The failed trial's number (null if the error came before any trial finished). */
  declare readonly trialNumber: number | null;

  constructor(message: string, trialNumber: number | null) {
    super(message);
    Object.defineProperty(this, "trialNumber", { value: trialNumber, enumerable: false });
    // The message says what happened; a stack of tunebook's frames would only hide it.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Runs a study on `objective` with live progress and a summary, the magic-free form
 * of a `%%tune` cell: `const study = await tune(async (trial) => ..., { trials: 30 })`.
 * Continues the study if one of that name exists in the storage. A Jupyter interrupt
 * (or `signal`) stops it after the running trials are recorded.
 */
export async function tune(objective: Objective, options: TuneOptions = {}): Promise<Study> {
  if (typeof objective !== "function")
    throw new ValueError(
      `tune: the objective must be a function (trial) => number (or number[], one per objective), got ${show(objective)}.`,
    );
  checkOptionKeys("tune", options, TUNE_KEYS);
  checkSeed("tune", options.seed);
  checkDirections(options);
  checkStop(options.stop, "tune");
  const study = await createStudy({
    name: options.study,
    storage: options.storage,
    direction: options.direction,
    directions: options.directions,
    sampler: options.sampler,
    pruner: options.pruner,
    experiment: options.experiment,
    seed: options.seed,
    loadIfExists: true,
  });
  studies[study.name] = study;
  exposeStudiesGlobal();

  const summary = await study.summary();
  const progress =
    options.display === false
      ? null
      : new ProgressDisplay(progressOutput(newDisplay), {
          study: study.name,
          direction: study.direction,
          planned: options.trials ?? null,
          timeoutSeconds: options.timeout ?? null,
          best:
            summary.bestValue === null || summary.bestTrialNumber === null
              ? null
              : { value: summary.bestValue, number: summary.bestTrialNumber },
          ...(study.directions.length > 1
            ? {
                objectives: {
                  directions: study.directions,
                  front: (await study.bestTrials()).map((t) => minimisedValues(t.values!, study.directions)),
                },
              }
            : {}),
        });

  const run = interruptibleRun(options.signal);
  const finished: TrialRecord[] = [];
  let result: OptimizeResult;
  try {
    result = await study.optimize(objective, {
      nTrials: options.trials,
      timeoutSeconds: options.timeout,
      concurrency: options.concurrency,
      catch: options.catch,
      stop: options.stop,
      signal: run.signal,
      callbacks: [
        (_study, trial) => {
          finished.push(trial);
          progress?.onTrial(trial);
        },
      ],
    });
  } catch (error) {
    const failed = [...finished].reverse().find((t) => t.state === "FAIL");
    const reason = failed?.error ?? describeThrown(error);
    const message =
      `${failed ? `trial ${failed.number}` : "a trial"} of study ${show(study.name)} failed: ${reason}. ` +
      `It is recorded as FAIL; fix the objective and run again to continue the study` +
      ` (or pass catch: true to let a study go on past failing trials).`;
    // A user error outside any trial (a stop criterion's) is said as it is.
    progress?.finish("failed", `Stopped: ${error instanceof TunebookError && !failed ? error.message : message}`);
    if (error instanceof TunebookError && !failed) throw error;
    throw new TrialFailedError(message[0].toUpperCase() + message.slice(1), failed?.number ?? null);
  } finally {
    run.done();
  }

  const interrupted = result.stoppedBy === "signal";
  // The progress output updates in place even after its cell gave up waiting.
  progress?.finish(interrupted ? "interrupted" : "done", stopNote(result, options, study), result.stopReason);
  // New outputs would land in whatever cell runs now: none for an abandoned run.
  if (options.display !== false && !run.abandoned()) await showTuneSummary(study);
  return study;
}

function stopNote(result: OptimizeResult, options: TuneOptions, study: Study): string | undefined {
  switch (result.stoppedBy) {
    case "signal":
      return `Interrupted: ${result.trialsRun} trial${result.trialsRun === 1 ? "" : "s"} finished${options.trials ? ` of ${options.trials} planned` : ""}; they are saved in ${study.storage.url}.`;
    case "timeout":
      return `Stopped by the ${options.timeout} s time limit.`;
    case "exhausted":
      return "Stopped: the sampler has no points left.";
    default:
      return undefined;
  }
}

/** `direction` or `directions`, checked before a study is created, with the error labelled for `tune`. */
function checkDirections(options: TuneOptions): void {
  if (options.direction === undefined && options.directions === undefined) return;
  try {
    studyDirections(options.direction, options.directions);
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`tune: ${error.message}`);
    throw error;
  }
}

/** `studies` is also a global, so plain JavaScript cells can reach it. */
function exposeStudiesGlobal(): void {
  const scope = globalThis as { studies?: Record<string, Study> };
  if (scope.studies === undefined) scope.studies = studies;
}
