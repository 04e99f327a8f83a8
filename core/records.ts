/**
 * The data model shared by the tuning engine, the storages and the UI: plain,
 * JSON-friendly records. Distributions travel in Optuna's JSON form so a
 * tunebook database and an Optuna database are the same thing.
 */

export type TrialState = "RUNNING" | "COMPLETE" | "PRUNED" | "FAIL" | "WAITING";
export const TRIAL_STATES: readonly TrialState[] = ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"];
export const FINISHED_STATES: readonly TrialState[] = ["COMPLETE", "PRUNED", "FAIL"];

export function isFinished(state: TrialState): boolean {
  return state === "COMPLETE" || state === "PRUNED" || state === "FAIL";
}

export type StudyDirection = "minimize" | "maximize";

/** A parameter value as the user sees it. */
export type CategoricalChoice = string | number | boolean | null;
export type ParamValue = number | CategoricalChoice;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Optuna's serialised distribution (`optuna.distributions.distribution_to_json`). */
export type DistributionJson =
  | { name: "FloatDistribution"; attributes: { low: number; high: number; log: boolean; step: number | null } }
  | { name: "IntDistribution"; attributes: { low: number; high: number; log: boolean; step: number } }
  | { name: "CategoricalDistribution"; attributes: { choices: CategoricalChoice[] } };

/**
 * Parameters are stored in their internal (numeric) form, as Optuna does:
 * the index of a categorical choice, the number itself otherwise.
 */
export function toExternal(distribution: DistributionJson, internal: number): ParamValue {
  if (distribution.name === "CategoricalDistribution") {
    const choices = distribution.attributes.choices;
    const index = Math.round(internal);
    if (index < 0 || index >= choices.length) {
      throw new RangeError(`categorical index ${internal} is outside ${choices.length} choices`);
    }
    return choices[index];
  }
  if (distribution.name === "IntDistribution") return Math.round(internal);
  return internal;
}

export function toInternal(distribution: DistributionJson, external: ParamValue): number {
  if (distribution.name === "CategoricalDistribution") {
    const index = distribution.attributes.choices.findIndex((choice) => sameChoice(choice, external));
    if (index < 0) throw new RangeError(`${JSON.stringify(external)} is not one of the choices`);
    return index;
  }
  return external as number;
}

/** Choices compare by value and type; NaN equals NaN so it can be a choice too. */
export function sameChoice(a: CategoricalChoice, b: ParamValue): boolean {
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return true;
  return a === b;
}

export function sameDistribution(a: DistributionJson, b: DistributionJson): boolean {
  if (a.name !== b.name) return false;
  if (a.name === "CategoricalDistribution") {
    const ca = a.attributes.choices;
    const cb = (b as typeof a).attributes.choices;
    return ca.length === cb.length && ca.every((choice, i) => sameChoice(choice, cb[i]));
  }
  const x = a.attributes as { low: number; high: number; log: boolean; step: number | null };
  const y = b.attributes as typeof x;
  return x.low === y.low && x.high === y.high && x.log === y.log && (x.step ?? null) === (y.step ?? null);
}

/** A short human description, e.g. `FloatDistribution(0.001, 1, log)`. */
export function describeDistribution(d: DistributionJson): string {
  if (d.name === "CategoricalDistribution") return `CategoricalDistribution(${JSON.stringify(d.attributes.choices)})`;
  const { low, high, log, step } = d.attributes;
  const extra = [log ? "log" : "", step != null && !(d.name === "IntDistribution" && step === 1) ? `step=${step}` : ""]
    .filter(Boolean)
    .join(", ");
  return `${d.name}(${low}, ${high}${extra ? `, ${extra}` : ""})`;
}

/**
 * Sets `target[key]` as an own property even for the key "__proto__" (a legal
 * parameter or attribute name), which plain assignment would swallow.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** One trial as stored: a snapshot, never a live object. */
export interface TrialRecord {
  /** Storage-wide id (unique across studies). */
  trialId: number;
  /** 0-based, unique and gap-free within its study. */
  number: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  distributions: Record<string, DistributionJson>;
  /**
   * The objective's value when the trial holds one value (a study with one objective):
   * `values[0]`. Null otherwise: unless COMPLETE (or a PRUNED trial that recorded one), and
   * in a study with several objectives, whose values are in `values`.
   */
  value: number | null;
  /** One value per objective, in the study's order; null unless COMPLETE (or PRUNED with a value). */
  values: number[] | null;
  /** Reported values by step. */
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  /** Why a FAIL trial failed (the objective's error message, or what it returned). */
  error?: string;
}

export interface StudySummary {
  studyId: number;
  name: string;
  /** The first objective's direction (the only one, in a study with one objective). */
  direction: StudyDirection;
  /** One direction per objective (Optuna's `directions=[...]`). */
  directions: StudyDirection[];
  /** Groups studies that are meant to be compared, e.g. one study per algorithm on one dataset. */
  experiment: string | null;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  /** Trial counts by state. */
  counts: Record<TrialState, number>;
  /**
   * Best value over COMPLETE trials, by the study's direction; null if none, and with
   * several objectives (their best trials are a Pareto front: `Study.bestTrials`).
   */
  bestValue: number | null;
  bestTrialNumber: number | null;
  datetimeStart: Date | null;
  /** Latest start or completion time of any trial. */
  lastActivity: Date | null;
}

export function emptyCounts(): Record<TrialState, number> {
  return { RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 };
}

/** True when `a` is a strictly better objective value than `b` for `direction`. */
export function isBetter(direction: StudyDirection, a: number, b: number): boolean {
  return direction === "minimize" ? a < b : a > b;
}

/** A trial's `value` for its `values`: the only one, or null (none, or several objectives). */
export function singleValue(values: readonly number[] | null): number | null {
  return values !== null && values.length === 1 ? values[0] : null;
}

/** System attribute keys with a meaning shared by several parts. */
export const SYSTEM_ATTR = {
  /** Optuna's key for why a trial failed. */
  failReason: "fail_reason",
  /** Parameters a WAITING trial was enqueued with (Optuna's key). */
  fixedParams: "fixed_params",
  /** Study-level: the sampler's name, for the UI. */
  sampler: "tunebook:sampler",
  /** Study-level: the pruner's name, for the UI. */
  pruner: "tunebook:pruner",
  /** Study-level: the experiment a study belongs to. */
  experiment: "tunebook:experiment",
  /**
   * A trial's constraint values, a list (feasible when every one is ≤ 0): the key Optuna's
   * samplers read. Each named constraint is also stored under `constraints:<name>`.
   */
  constraints: "constraints",
  /** Study- or trial-level: what the user concluded, Markdown (`study.setNote`, `trial.setNote`). */
  note: "tunebook:note",
  /** Study-level: a sorted list of distinct tags (`study.addTags`). */
  tags: "tunebook:tags",
  /** Study-level: where a study came from (code, data, versions, machine), captured when it is created or continued. */
  provenance: "tunebook:provenance",
} as const;

/** User attribute keys written by one part and read by others. */
export const USER_ATTR = {
  /** A trial's per-fold validation scores, recorded by `crossValidate` with a trial. */
  foldScores: "fold_scores",
  /** A trial's per-fold training scores (`crossValidate` with `returnTrainScore`). */
  foldScoresTrain: "fold_scores_train",
} as const;

/** Prefix of a trial's system attributes describing its artifacts (Optuna's key: `artifacts:<artifact id>`). */
export const ARTIFACT_ATTR_PREFIX = "artifacts:";
