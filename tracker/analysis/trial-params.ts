import type { DistributionJson, ParamValue, TrialRecord } from "../../core/records.js";

/**
 * A trial's parameters by name. Names are user data: a parameter may be called
 * `constructor` or `__proto__`, so only own properties count, never what every
 * object inherits from Object.prototype.
 */

/** True when the trial set the parameter. */
export function hasParam(trial: TrialRecord, name: string): boolean {
  return Object.hasOwn(trial.params, name);
}

/** The trial's value of the parameter; undefined when it did not set it. */
export function paramValue(trial: TrialRecord, name: string): ParamValue | undefined {
  return Object.hasOwn(trial.params, name) ? trial.params[name] : undefined;
}

/** The distribution the trial drew the parameter from; undefined when it has none. */
export function paramDistribution(trial: TrialRecord, name: string): DistributionJson | undefined {
  return Object.hasOwn(trial.distributions, name) ? trial.distributions[name] : undefined;
}
