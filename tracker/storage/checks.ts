import { studyDirections } from "../../core/directions.js";
import { NotFoundError, show, ValueError } from "../../core/errors.js";
import { checkName, checkStep } from "../../core/limits.js";
import {
  type DistributionJson,
  describeDistribution,
  FINISHED_STATES,
  type ParamValue,
  type StudyDirection,
  sameDistribution,
  type TrialRecord,
  type TrialState,
  toInternal,
} from "../../core/records.js";
import { type EncodedValue, encodeObjectiveValue } from "./optuna-encoding.js";
import type { CreateStudyOptions, CreateTrialOptions, FinishedState } from "./storage.js";

/**
 * Checks of what callers pass to a storage, and the errors they raise: the same in every
 * implementation, run before anything is written. The schema's bounds are core/limits.ts.
 */

export function notFoundStudy(name: string, known: string[]): NotFoundError {
  const list = known.length
    ? ` Known studies: ${known
        .slice(0, 20)
        .map((n) => JSON.stringify(n))
        .join(", ")}${known.length > 20 ? ", ..." : ""}.`
    : " The storage has no studies yet.";
  return new NotFoundError(`No study named ${JSON.stringify(name)}.${list}`);
}

/** A parameter set twice in one trial must keep its distribution. */
export function checkParamAgainst(trial: TrialRecord, name: string, distribution: DistributionJson): void {
  const existing = Object.hasOwn(trial.distributions, name) ? trial.distributions[name] : undefined;
  checkParamDistribution(trial.number, name, existing, distribution);
}

/** The same check as `checkParamAgainst`, for storages that hold only the stored distribution. */
export function checkParamDistribution(
  trialNumber: number,
  name: string,
  existing: DistributionJson | undefined,
  distribution: DistributionJson,
): void {
  if (existing && !sameDistribution(existing, distribution)) {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)} of trial ${trialNumber} was already set with ${describeDistribution(existing)}; cannot set it again with ${describeDistribution(distribution)}.`,
    );
  }
}

/** A parameter's internal (stored) form; a value outside its distribution is a `ValueError`. */
export function internalParam(name: string, value: ParamValue, distribution: DistributionJson): number {
  if (distribution.name !== "CategoricalDistribution" && typeof value !== "number") {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)} must be a number for ${describeDistribution(distribution)}, got ${show(value)}.`,
    );
  }
  try {
    return toInternal(distribution, value);
  } catch {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)}: ${show(value)} is not one of the choices of ${describeDistribution(distribution)}.`,
    );
  }
}

/** `createStudy`'s options; returns the directions (one per objective), checked. */
export function checkStudyOptions(options: CreateStudyOptions): StudyDirection[] {
  const { name, experiment = null } = options;
  checkName("A study name", name);
  const directions = studyDirections(options.direction, options.directions);
  if (experiment !== null && typeof experiment !== "string") throw new ValueError(`experiment must be a string, got ${show(experiment)}.`);
  return directions;
}

/** A parameter's name and value; returns the value's internal (stored) form. */
export function checkParam(name: string, value: ParamValue, distribution: DistributionJson): number {
  checkName("A parameter name", name);
  return internalParam(name, value, distribution);
}

export function checkIntermediate(step: number, value: number): void {
  checkStep("An intermediate value's step", step);
  if (typeof value !== "number") throw new ValueError(`An intermediate value must be a number, got ${show(value)}.`);
}

export function checkAttrKey(key: string): void {
  checkName("An attribute key", key);
}

/** `finishTrial`'s arguments; returns the values as Optuna stores them (null: none). */
export function checkFinish(state: FinishedState, values: readonly number[] | null, error: string | undefined): EncodedValue[] | null {
  checkTrialState(state, FINISHED_STATES);
  const encoded = encodeObjectiveValues(values);
  if (error !== undefined && typeof error !== "string") throw new ValueError(`A trial's error must be a string, got ${show(error)}.`);
  return encoded;
}

/** A trial's values (one per objective) as Optuna stores them; null for none. */
export function encodeObjectiveValues(values: readonly number[] | null): EncodedValue[] | null {
  if (values === null) return null;
  if (!Array.isArray(values) || values.length === 0) {
    throw new ValueError(`A trial's values must be a non-empty array of numbers (one per objective) or null, got ${show(values)}.`);
  }
  return values.map(encodeObjectiveValue);
}

/** A trial's values must be one per objective of its study. */
export function checkValueCount(trialNumber: number, values: readonly unknown[] | null, directions: readonly StudyDirection[]): void {
  if (values !== null && values.length !== directions.length) throw valueCountError(trialNumber, values, directions);
}

/** The error for values that are not one per objective of the study. */
export function valueCountError(trialNumber: number, values: readonly unknown[], directions: readonly StudyDirection[]): ValueError {
  return new ValueError(
    `Trial ${trialNumber} was given ${values.length} value${values.length === 1 ? "" : "s"} ${show(values)}, but its study has ${directions.length} objective${directions.length === 1 ? "" : "s"} (${directions.join(", ")}); give one value per objective.`,
  );
}

export function checkGrace(graceSeconds: number): void {
  if (!(graceSeconds >= 0)) throw new ValueError(`graceSeconds must be a number >= 0, got ${show(graceSeconds)}.`);
}

export function checkTrialState(state: string, allowed: readonly TrialState[]): void {
  if (!allowed.includes(state as TrialState)) {
    throw new ValueError(`Unknown trial state ${show(state)}; expected one of ${allowed.join(", ")}.`);
  }
}

/** `createTrial`'s options, checked before any write. */
export function checkCreateOptions(options: CreateTrialOptions): CreateTrialOptions {
  const { maxTrials, claimOneOf } = options;
  if (maxTrials !== undefined && !(typeof maxTrials === "number" && maxTrials >= 0)) {
    throw new ValueError(`maxTrials must be a number >= 0, got ${show(maxTrials)}.`);
  }
  if (claimOneOf !== undefined) {
    if (!Array.isArray(claimOneOf)) throw new ValueError(`claimOneOf must be an array of keys, got ${show(claimOneOf)}.`);
    for (const key of claimOneOf) checkName("A claim key", key);
  }
  return options;
}

/** The error a trial gets when its worker stopped sending heartbeats: the same words in every storage. */
export function staleMessage(graceSeconds: number): string {
  return `The worker running this trial stopped sending heartbeats for more than ${graceSeconds} s (it probably died); marked FAIL.`;
}
