import type { ParamValue, TrialRecord } from "../core/records.js";
import {
  CategoricalDistribution,
  containsExternal,
  type Distribution,
  distributionFromJson,
  FloatDistribution,
  forParameter,
  IntDistribution,
} from "./distributions.js";

/**
 * The distribution of a hand-recorded parameter: the one it has in the study's latest
 * trial that used it (if the value fits), else a single-value distribution.
 */
export function inferDistribution(name: string, value: ParamValue, trials: readonly TrialRecord[]): Distribution {
  for (let i = trials.length - 1; i >= 0; i--) {
    const json = trials[i].distributions[name];
    if (!json) continue;
    const d = distributionFromJson(json, name);
    if (containsExternal(d, value)) return d;
    break;
  }
  return forParameter(name, () => {
    if (typeof value !== "number") return new CategoricalDistribution([value]);
    // Integers beyond Number.MAX_SAFE_INTEGER are not exact: they are recorded as floats.
    return Number.isSafeInteger(value) ? new IntDistribution(value, value) : new FloatDistribution(value, value);
  });
}
