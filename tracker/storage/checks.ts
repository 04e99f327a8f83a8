import { NotFoundError, show, ValueError } from "../../core/errors.js";
import {
  type DistributionJson,
  describeDistribution,
  type ParamValue,
  sameDistribution,
  type TrialRecord,
  type TrialState,
  toInternal,
} from "../../core/records.js";
import type { CreateTrialOptions } from "./storage.js";

/** Checks of what callers pass to a storage, and the errors they raise: the same in every implementation. */

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

/** Optuna's columns for names and keys are VARCHAR(512). */
export function checkName(what: string, name: string): void {
  if (typeof name !== "string") throw new ValueError(`${what} must be a string, got ${show(name)}.`);
  if (name.length > 512) throw new ValueError(`${what} ${show(name)} is ${name.length} characters long; at most 512 fit in the database.`);
}

export function checkTrialState(state: string, allowed: readonly TrialState[]): void {
  if (!allowed.includes(state as TrialState)) {
    throw new ValueError(`Unknown trial state ${show(state)}; expected one of ${allowed.join(", ")}.`);
  }
}

export function checkStep(step: number): void {
  if (!Number.isSafeInteger(step)) throw new ValueError(`An intermediate value's step must be an integer, got ${show(step)}.`);
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
