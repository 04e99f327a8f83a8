import { show, ValueError } from "../core/errors.js";
import {
  type CategoricalChoice,
  type DistributionJson,
  describeDistribution,
  type ParamValue,
  sameChoice,
  toExternal,
  toInternal,
} from "../core/records.js";

/**
 * The search space of one parameter. Samplers work on the internal form (a number:
 * the value itself, or the index of a categorical choice); users see the external form.
 */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

interface NumericOptions {
  /** Sample on a log scale (default false); needs low > 0 and no step. */
  log?: boolean;
  /** Grid spacing from `low` (default none for floats, 1 for ints); must divide high − low. */
  step?: number | null;
}

abstract class NumericDistribution {
  abstract readonly kind: "float" | "int";
  readonly low: number;
  readonly high: number;
  readonly log: boolean;

  constructor(kindName: string, low: number, high: number, log: boolean) {
    if (typeof low !== "number" || !Number.isFinite(low))
      throw new ValueError(`${kindName}: low must be a finite number, got ${show(low)}.`);
    if (typeof high !== "number" || !Number.isFinite(high))
      throw new ValueError(`${kindName}: high must be a finite number, got ${show(high)}.`);
    if (low > high) throw new ValueError(`${kindName}: low (${low}) must not be greater than high (${high}); swap them.`);
    if (typeof log !== "boolean") throw new ValueError(`${kindName}: log must be true or false, got ${show(log)}.`);
    if (log && low <= 0)
      throw new ValueError(
        `${kindName}: a log-scaled range needs low > 0, got low=${low}; use a positive lower bound such as 1e-8, or log: false.`,
      );
    this.low = low;
    this.high = high;
    this.log = log;
  }

  toExternal(internal: number): ParamValue {
    return internal;
  }

  toInternal(external: ParamValue): number {
    return external as number;
  }

  /** True when only one value is possible. */
  isSingle(): boolean {
    return this.low === this.high;
  }
}

function checkStep(kindName: string, low: number, high: number, step: number): void {
  if (typeof step !== "number" || !Number.isFinite(step) || step <= 0) {
    throw new ValueError(`${kindName}: step must be a positive finite number, got ${show(step)}.`);
  }
  const intervals = (high - low) / step;
  if (Math.abs(intervals - Math.round(intervals)) > 1e-8 * Math.max(1, intervals)) {
    const fitted = low + Math.floor(intervals + 1e-8) * step;
    throw new ValueError(
      `${kindName}: step ${step} does not divide the range [${low}, ${high}] (width ${high - low}); use high=${+fitted.toPrecision(12)} or a step that divides ${high - low}.`,
    );
  }
}

export class FloatDistribution extends NumericDistribution {
  readonly kind = "float" as const;
  readonly step: number | null;

  constructor(low: number, high: number, options: NumericOptions = {}) {
    super("FloatDistribution", low, high, options.log ?? false);
    const step = options.step ?? null;
    if (step !== null) {
      if (this.log) throw new ValueError(`FloatDistribution: step (${show(step)}) and log: true cannot be combined; choose one.`);
      checkStep("FloatDistribution", low, high, step);
    }
    this.step = step;
  }

  contains(internal: number): boolean {
    if (!(internal >= this.low && internal <= this.high)) return false;
    if (this.step === null) return true;
    const k = (internal - this.low) / this.step;
    return Math.abs(k - Math.round(k)) < 1e-8 * Math.max(1, k);
  }

  toJson(): DistributionJson {
    return { name: "FloatDistribution", attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }
}

export class IntDistribution extends NumericDistribution {
  readonly kind = "int" as const;
  readonly step: number;

  constructor(low: number, high: number, options: NumericOptions = {}) {
    super("IntDistribution", low, high, options.log ?? false);
    for (const [name, v] of [
      ["low", low],
      ["high", high],
    ] as const) {
      if (!Number.isInteger(v))
        throw new ValueError(`IntDistribution: ${name} must be an integer, got ${v}; use suggestFloat for real values.`);
    }
    const step = options.step ?? 1;
    if (!Number.isInteger(step) || step <= 0) throw new ValueError(`IntDistribution: step must be a positive integer, got ${show(step)}.`);
    if (this.log && step !== 1) throw new ValueError(`IntDistribution: step (${step}) and log: true cannot be combined; choose one.`);
    checkStep("IntDistribution", low, high, step);
    this.step = step;
  }

  contains(internal: number): boolean {
    return Number.isInteger(internal) && internal >= this.low && internal <= this.high && (internal - this.low) % this.step === 0;
  }

  override toExternal(internal: number): ParamValue {
    return Math.round(internal);
  }

  toJson(): DistributionJson {
    return { name: "IntDistribution", attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }
}

export class CategoricalDistribution {
  readonly kind = "categorical" as const;
  readonly choices: readonly CategoricalChoice[];

  constructor(choices: readonly CategoricalChoice[]) {
    if (!Array.isArray(choices)) throw new ValueError(`CategoricalDistribution: choices must be an array, got ${show(choices)}.`);
    if (choices.length === 0) throw new ValueError("CategoricalDistribution: choices is empty; give at least one choice.");
    choices.forEach((choice, i) => {
      const ok = choice === null || ["string", "number", "boolean"].includes(typeof choice);
      if (!ok)
        throw new ValueError(
          `CategoricalDistribution: choice ${i} is ${show(choice)}; choices must be strings, numbers, booleans or null (use a name and look the object up).`,
        );
      if (choices.findIndex((other) => sameChoice(other, choice)) !== i) {
        throw new ValueError(`CategoricalDistribution: choice ${show(choice)} appears twice; choices must be distinct.`);
      }
    });
    this.choices = [...choices];
  }

  contains(internal: number): boolean {
    return Number.isInteger(internal) && internal >= 0 && internal < this.choices.length;
  }

  toExternal(internal: number): ParamValue {
    return toExternal(this.toJson(), internal);
  }

  toInternal(external: ParamValue): number {
    return toInternal(this.toJson(), external);
  }

  isSingle(): boolean {
    return this.choices.length === 1;
  }

  toJson(): DistributionJson {
    return { name: "CategoricalDistribution", attributes: { choices: [...this.choices] } };
  }
}

/** Rebuild a distribution from Optuna's JSON form (as stored). */
export function distributionFromJson(json: DistributionJson): Distribution {
  switch (json.name) {
    case "FloatDistribution":
      return new FloatDistribution(json.attributes.low, json.attributes.high, { log: json.attributes.log, step: json.attributes.step });
    case "IntDistribution":
      return new IntDistribution(json.attributes.low, json.attributes.high, { log: json.attributes.log, step: json.attributes.step });
    case "CategoricalDistribution":
      return new CategoricalDistribution(json.attributes.choices);
    default:
      throw new ValueError(`Unknown distribution ${show(json)}.`);
  }
}

export function describe(d: Distribution): string {
  return describeDistribution(d.toJson());
}

/** Is `external` a value this distribution can produce? */
export function containsExternal(d: Distribution, external: ParamValue): boolean {
  if (d.kind === "categorical") return d.choices.some((c) => sameChoice(c, external));
  return typeof external === "number" && d.contains(external);
}
