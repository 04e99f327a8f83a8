import { checkOptionKeys, closest, show, ValueError } from "../../core/errors.js";
import { isPlainObject } from "../../core/json.js";
import type { JsonValue, TrialRecord } from "../../core/records.js";
import { checkSeed, Rng } from "../../core/rng.js";
import type { Study } from "../study.js";
import { crossValidationError } from "./cv-error.js";
import { noImprovementReason } from "./no-improvement.js";
import { regretBound } from "./regret-bound.js";
import { completedTrials, formatNumber } from "./trials.js";

export { FOLD_SCORES_ATTR, foldError } from "./cv-error.js";
export { stagnation } from "./no-improvement.js";
export { confidenceBeta, regretBound } from "./regret-bound.js";

/**
 * Knowing when to stop: `optimize`'s `stop` option, checked after each finished trial.
 * - `"converged"`: once the room left for improvement (a regret bound from a GP of the best
 *   trials) is smaller than the noise of the measurement itself (the statistical error of the
 *   best trial's cross-validation), more trials are unlikely to find anything real (Optuna's
 *   Terminator).
 * - `{ noImprovementTrials: n }`: n COMPLETE trials in a row did not beat the best.
 * - `{ shouldStop(study, trials) }`: any rule of one's own.
 */

/** Options of `stop: { converged: {...} }`. */
export interface ConvergedOptions {
  /** COMPLETE trials before convergence is judged, and the least the GP is fitted on (default 20). */
  minTrials?: number;
  /** The share of COMPLETE trials, best first, the GP is fitted on (default 0.5). */
  topTrialsRatio?: number;
  /** Seed of the random points the bound is maximised over (default: the study's seed, else random). */
  seed?: number;
}

/** A stop rule of one's own: true, or a reason, to stop starting trials (checked after each finished trial). */
export interface StopCriterion {
  shouldStop(study: Study, trials: readonly TrialRecord[]): boolean | string | Promise<boolean | string>;
}

/** What `stop` takes. */
export type StopOption = "converged" | { converged: true | ConvergedOptions } | { noImprovementTrials: number } | StopCriterion;

/** Which criterion stopped a run (`OptimizeResult.stoppedBy`). */
export type StopKind = "converged" | "noImprovement" | "stopCriterion";

/** Study system attribute: one `ConvergenceRecord` per trial `stop: "converged"` judged, a JSON list. */
export const CONVERGENCE_ATTR = "tunebook:convergence";
/** Study system attribute: why a stop criterion last ended a run, in words. */
export const STOP_REASON_ATTR = "tunebook:stop_reason";

/** What `stop: "converged"` found after one COMPLETE trial (null where a value was not finite). */
export interface ConvergenceRecord {
  trial: number;
  regretBound: number | null;
  error: number | null;
}

export const DEFAULT_MIN_TRIALS = 20;
export const DEFAULT_TOP_TRIALS_RATIO = 0.5;
const STOP_KEYS = ["converged", "noImprovementTrials", "shouldStop"] as const;
const CONVERGED_KEYS = ["minTrials", "topTrialsRatio", "seed"] as const;

interface Rule {
  readonly kind: StopKind;
  /** The reason to stop after `finished`, or null to go on. */
  judge(study: Study, trials: readonly TrialRecord[], finished: TrialRecord): Promise<string | null>;
}

/** A criterion that stopped a run. */
export interface StopHit {
  kind: StopKind;
  reason: string;
}

/**
 * The `stop` option of one `optimize` call, checked where it is given, judging finished trials
 * one at a time in the order they finish (even with concurrency).
 */
export class Stopper {
  private queue: Promise<unknown> = Promise.resolve();
  private hit: StopHit | null = null;

  private constructor(private readonly rule: Rule) {}

  /** The stopper for `option`, or null without one; throws a ValueError for a bad option or study. */
  static create(option: unknown, study: Study, studySeed: number | undefined, where = "optimize"): Stopper | null {
    if (option === undefined) return null;
    const rule = resolveRule(option, studySeed, where);
    if (rule.kind !== "stopCriterion" && study.directions.length > 1) {
      const name = rule.kind === "converged" ? `"converged"` : "{ noImprovementTrials }";
      throw new ValueError(
        `${where}: stop ${name} needs one objective, and study ${show(study.name)} has ${study.directions.length} (${study.directions.join(", ")}); ` +
          `give your own rule instead: stop: { shouldStop(study, trials) { ... } }.`,
      );
    }
    return new Stopper(rule);
  }

  /**
   * Judges the study after `finished` was recorded; the criterion that says stop, once one has.
   * When it fires, its reason is written to the study (`STOP_REASON_ATTR`).
   */
  afterTrial(study: Study, finished: TrialRecord): Promise<StopHit | null> {
    const next = this.queue.then(async () => {
      if (this.hit) return this.hit;
      const reason = await this.rule.judge(study, await study.trials(), finished);
      if (reason === null) return null;
      this.hit = { kind: this.rule.kind, reason };
      await study.storage.setStudySystemAttr(study.studyId, STOP_REASON_ATTR, reason);
      return this.hit;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Checks a `stop` option before any study is at hand (the study's own check comes with `Stopper.create`). */
export function checkStop(option: unknown, where: string): void {
  if (option !== undefined) resolveRule(option, undefined, where);
}

function resolveRule(option: unknown, studySeed: number | undefined, where: string): Rule {
  const example = `stop: "converged", stop: { noImprovementTrials: 30 } or stop: { shouldStop(study, trials) { ... } }`;
  if (option === "converged") return new ConvergedRule({}, studySeed, where);
  if (typeof option === "string") {
    const hint = closest(option, ["converged"]);
    throw new ValueError(`${where}: unknown stop ${show(option)}.${hint ? ` Did you mean "converged"?` : ""} It takes ${example}.`);
  }
  if (option === null || typeof option !== "object") throw new ValueError(`${where}: stop takes ${example}; got ${show(option)}.`);
  if ("shouldStop" in option) {
    const { shouldStop } = option as { shouldStop: unknown };
    if (typeof shouldStop !== "function")
      throw new ValueError(`${where}: stop.shouldStop must be a function (study, trials) => boolean | string, got ${show(shouldStop)}.`);
    return new CriterionRule(option as StopCriterion, where);
  }
  checkOptionKeys(`${where}: stop`, option, STOP_KEYS);
  const keys = Object.keys(option);
  if (keys.length !== 1) throw new ValueError(`${where}: stop takes one criterion, got ${show(option)}; e.g. ${example}.`);
  const record = option as Record<string, unknown>;
  if (keys[0] === "noImprovementTrials") {
    const n = record.noImprovementTrials;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
      throw new ValueError(`${where}: stop.noImprovementTrials must be an integer >= 1, got ${show(n)}.`);
    return new NoImprovementRule(n);
  }
  const converged = record.converged;
  if (converged === true) return new ConvergedRule({}, studySeed, where);
  if (!isPlainObject(converged)) {
    throw new ValueError(
      `${where}: stop.converged takes true or options like { minTrials: 30, topTrialsRatio: 0.5, seed: 1 }, got ${show(converged)}.`,
    );
  }
  return new ConvergedRule(converged as ConvergedOptions, studySeed, where);
}

class ConvergedRule implements Rule {
  readonly kind = "converged";
  private readonly minTrials: number;
  private readonly topTrialsRatio: number;
  private readonly rng: Rng;
  private readonly memory = { warmStart: null as Float64Array | null };
  private records: ConvergenceRecord[] | null = null;

  constructor(
    options: ConvergedOptions,
    studySeed: number | undefined,
    private readonly where: string,
  ) {
    checkOptionKeys(`${where}: stop.converged`, options, CONVERGED_KEYS);
    const { minTrials = DEFAULT_MIN_TRIALS, topTrialsRatio = DEFAULT_TOP_TRIALS_RATIO } = options;
    if (typeof minTrials !== "number" || !Number.isInteger(minTrials) || minTrials < 1)
      throw new ValueError(`${where}: stop.converged.minTrials must be an integer >= 1, got ${show(minTrials)}.`);
    if (typeof topTrialsRatio !== "number" || !(topTrialsRatio > 0 && topTrialsRatio <= 1))
      throw new ValueError(`${where}: stop.converged.topTrialsRatio must be a number in (0, 1], got ${show(topTrialsRatio)}.`);
    this.minTrials = minTrials;
    this.topTrialsRatio = topTrialsRatio;
    this.rng = new Rng(checkSeed(`${where}: stop.converged`, options.seed) ?? studySeed);
  }

  async judge(study: Study, trials: readonly TrialRecord[], finished: TrialRecord): Promise<string | null> {
    if (finished.state !== "COMPLETE") return null;
    // Checked from the first trial on, so missing fold scores show at once, not minTrials later.
    const error = crossValidationError(trials, study.direction, this.where);
    const n = completedTrials(trials).length;
    if (error === null || n < this.minTrials) return null;
    const bound = regretBound(trials, study.direction, {
      minTrials: this.minTrials,
      topTrialsRatio: this.topTrialsRatio,
      rng: this.rng,
      memory: this.memory,
    });
    await this.record(study, { trial: finished.number, regretBound: finiteOrNull(bound), error: finiteOrNull(error) });
    if (!(bound < error)) return null;
    return `converged: regret bound ${formatNumber(bound)} < error ${formatNumber(error)} after ${n} trials`;
  }

  /** Appends to the study's convergence list (read once per run, kept from earlier runs). */
  private async record(study: Study, entry: ConvergenceRecord): Promise<void> {
    if (this.records === null) {
      const stored = (await study.summary()).systemAttrs[CONVERGENCE_ATTR];
      this.records = Array.isArray(stored) ? (stored as unknown as ConvergenceRecord[]) : [];
    }
    this.records.push(entry);
    await study.storage.setStudySystemAttr(study.studyId, CONVERGENCE_ATTR, this.records as unknown as JsonValue);
  }
}

class NoImprovementRule implements Rule {
  readonly kind = "noImprovement";

  constructor(private readonly limit: number) {}

  async judge(study: Study, trials: readonly TrialRecord[]): Promise<string | null> {
    return noImprovementReason(trials, study.direction, this.limit);
  }
}

class CriterionRule implements Rule {
  readonly kind = "stopCriterion";

  constructor(
    private readonly criterion: StopCriterion,
    private readonly where: string,
  ) {}

  async judge(study: Study, trials: readonly TrialRecord[]): Promise<string | null> {
    const answer: unknown = await this.criterion.shouldStop(study, trials);
    if (answer === false || answer === "") return null;
    if (answer === true) return "the stop criterion's shouldStop returned true";
    if (typeof answer === "string") return answer;
    throw new ValueError(
      `${this.where}: stop.shouldStop must return true or a reason (a string) to stop, false to go on; it returned ${show(answer)}.`,
    );
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
