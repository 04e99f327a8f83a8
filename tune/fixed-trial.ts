import { show, ValueError } from "../core/errors.js";
import { isPlainObject, userAttrValue } from "../core/json.js";
import { describeDistribution, type JsonValue, type ParamValue, sameDistribution, setOwn } from "../core/records.js";
import { containsExternal, type Distribution, describe, fitsKind } from "./distributions.js";
import { DistributionSuggester } from "./suggesting-trial.js";

export type { SuggestingTrial } from "./suggesting-trial.js";

/**
 * A trial that suggests given values (Optuna's `optuna.trial.FixedTrial`): run an objective
 * or a search space with the parameters a study chose, outside any study:
 * `space(new FixedTrial(best.params))`. Each `suggest*` returns the value given for its name,
 * checked against the range asked for; a parameter without a value, or with one outside
 * the range, is an error naming it (a replay must ask for what the study sampled).
 * `report` keeps the values, `shouldPrune` is always false, nothing is stored.
 */
export class FixedTrial extends DistributionSuggester {
  private readonly fixed: Record<string, ParamValue>;
  private readonly suggested: Record<string, ParamValue> = {};
  private readonly asked: Record<string, Distribution> = {};
  private readonly attrs: Record<string, JsonValue> = {};
  private readonly reported: Record<number, number> = {};

  /**
   * @param params The value of each parameter, by name, as `trial.params` holds them.
   * @param number The trial number the objective sees (default 0).
   */
  constructor(
    params: Record<string, ParamValue>,
    readonly number = 0,
  ) {
    super();
    if (!isPlainObject(params)) {
      throw new ValueError(`FixedTrial: params must be an object of name → value, e.g. { k: 5 }, got ${show(params)}.`);
    }
    for (const [name, value] of Object.entries(params)) {
      if (!(value === null || ["string", "number", "boolean"].includes(typeof value))) {
        throw new ValueError(`FixedTrial: parameter ${show(name)} is ${show(value)}; values must be numbers, strings, booleans or null.`);
      }
    }
    if (!Number.isInteger(number) || number < 0) {
      throw new ValueError(`FixedTrial: number must be an integer >= 0, got ${show(number)}.`);
    }
    this.fixed = { ...params };
  }

  /** The parameters suggested so far, by name. */
  get params(): Record<string, ParamValue> {
    return { ...this.suggested };
  }

  /** The distribution each suggested parameter was asked with. */
  get distributions(): Record<string, Distribution> {
    return { ...this.asked };
  }

  /** Given parameters no `suggest*` call has asked for yet. */
  get unusedParams(): string[] {
    return Object.keys(this.fixed).filter((name) => !Object.hasOwn(this.suggested, name));
  }

  get userAttrs(): Record<string, JsonValue> {
    return structuredClone(this.attrs);
  }

  /** The values given to `report`, by step. */
  get intermediateValues(): Record<number, number> {
    return { ...this.reported };
  }

  /** Keeps the value (the first for a step, as `Trial.report`); nothing judges it. */
  report(value: number, step: number): void {
    if (typeof value !== "number") throw new ValueError(`FixedTrial.report: value must be a number, got ${show(value)}.`);
    if (!Number.isInteger(step) || step < 0) {
      throw new ValueError(`FixedTrial.report: step must be a non-negative integer, got ${show(step)}.`);
    }
    if (!(step in this.reported)) this.reported[step] = value;
  }

  /** Always false: a fixed trial has no study to be judged against. */
  shouldPrune(): boolean {
    return false;
  }

  setUserAttr(key: string, value: JsonValue): void {
    setOwn(this.attrs, key, userAttrValue("FixedTrial.setUserAttr", key, value));
  }

  protected override suggest(name: string, distribution: Distribution): ParamValue {
    if (typeof name !== "string" || name === "") throw new ValueError(`A parameter name must be a non-empty string, got ${show(name)}.`);
    const previous = Object.hasOwn(this.asked, name) ? this.asked[name] : undefined;
    if (previous && !sameDistribution(previous.toJson(), distribution.toJson())) {
      throw new ValueError(
        `Parameter ${show(name)} was already suggested with ${describeDistribution(previous.toJson())}; it cannot be suggested again with ${describe(distribution)}. Use another name for a different range.`,
      );
    }
    if (!Object.hasOwn(this.fixed, name)) {
      const given = Object.keys(this.fixed);
      throw new ValueError(
        `FixedTrial: parameter ${show(name)} has no fixed value (given: ${given.length === 0 ? "none" : given.map((n) => show(n)).join(", ")}); ` +
          `pass it in the params, e.g. the chosen trial's params.`,
      );
    }
    const value = this.fixed[name];
    if (!fitsKind(distribution, value) || !containsExternal(distribution, value)) {
      throw new ValueError(
        `FixedTrial: parameter ${show(name)} is fixed to ${show(value)}, which ${describe(distribution)} cannot take; ` +
          `fix it to a value inside the range the space asks for.`,
      );
    }
    setOwn(this.suggested, name, value);
    setOwn(this.asked, name, distribution);
    return value;
  }
}
