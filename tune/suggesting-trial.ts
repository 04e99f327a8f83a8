import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import type { CategoricalChoice, ParamValue } from "../core/records.js";
import { CategoricalDistribution, type Distribution, FloatDistribution, forParameter, IntDistribution } from "./distributions.js";

export interface SuggestNumberOptions {
  /** Sample on a log scale (default false). */
  log?: boolean;
  /** Grid spacing from `low` (default none for floats, 1 for ints). */
  step?: number;
}

/**
 * What a search space asks of a trial: the `suggest*` methods. A `Trial` has them (it
 * samples), and so does a `FixedTrial` (it replays given values), so one function of
 * the trial both explores a space and rebuilds the configuration it chose.
 */
export interface SuggestingTrial {
  suggestFloat(name: string, low: number, high: number, options?: SuggestNumberOptions): number;
  suggestInt(name: string, low: number, high: number, options?: SuggestNumberOptions): number;
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
}

/**
 * The `suggest*` methods over one `suggest(name, distribution)`: each call checks its
 * arguments, builds the distribution they describe and lets the subclass pick the value
 * (sample it, replay a given one, take the low end).
 */
export abstract class DistributionSuggester implements SuggestingTrial {
  suggestFloat(name: string, low: number, high: number, options: SuggestNumberOptions = {}): number {
    checkSuggestOptions("suggestFloat", options);
    return this.suggest(
      name,
      forParameter(name, () => new FloatDistribution(low, high, options)),
    ) as number;
  }

  suggestInt(name: string, low: number, high: number, options: SuggestNumberOptions = {}): number {
    checkSuggestOptions("suggestInt", options);
    return this.suggest(
      name,
      forParameter(name, () => new IntDistribution(low, high, options)),
    ) as number;
  }

  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(
      name,
      forParameter(name, () => new CategoricalDistribution(choices)),
    ) as T;
  }

  /** The value of parameter `name`, asked with `distribution`. */
  protected abstract suggest(name: string, distribution: Distribution): ParamValue;
}

function checkSuggestOptions(where: string, options: SuggestNumberOptions): void {
  if (options == null || typeof options !== "object")
    throw new ValueError(`${where}: options must be an object like { log: true }, got ${show(options)}.`);
  checkOptionKeys(where, options, ["log", "step"]);
}
