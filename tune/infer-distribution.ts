import type { ParamValue, TrialRecord } from "../core/records.js";
import {
  CategoricalDistribution,
  containsExternal,
  type Distribution,
  distributionFromJson,
  FloatDistribution,
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
    const d = distributionFromJson(json);
    if (containsExternal(d, value)) return d;
    break;
  }
  if (typeof value === "number") return Number.isInteger(value) ? new IntDistribution(value, value) : new FloatDistribution(value, value);
  return new CategoricalDistribution([value]);
}
