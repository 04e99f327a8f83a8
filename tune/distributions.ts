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
  /** Grid spacing from `low` (default none for floats, 1 for ints); must divide high − low into at most Number.MAX_SAFE_INTEGER intervals. */
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
    if (!Number.isFinite(high - low))
      throw new ValueError(
        `${kindName}: the range [${low}, ${high}] is too wide: high − low overflows to Infinity (the largest number is ${Number.MAX_VALUE}); narrow the range or rescale the parameter.`,
      );
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

/** `step` must split [low, high] into a whole number of intervals (exactly, for integers; to 1e-8 for floats). */
function checkStep(kindName: string, low: number, high: number, step: number, integers: boolean): void {
  if (typeof step !== "number" || !Number.isFinite(step) || step <= 0) {
    throw new ValueError(`${kindName}: step must be a positive finite number, got ${show(step)}.`);
  }
  const intervals = (high - low) / step;
  if (!(intervals <= Number.MAX_SAFE_INTEGER)) {
    throw new ValueError(
      `${kindName}: step ${step} over [${low}, ${high}] makes ${intervals} intervals, more than a number counts exactly (Number.MAX_SAFE_INTEGER = ${Number.MAX_SAFE_INTEGER}); use a larger step, or no step.`,
    );
  }
  const divides = integers ? (high - low) % step === 0 : Math.abs(intervals - Math.round(intervals)) <= 1e-8 * Math.max(1, intervals);
  if (!divides) {
    const fitted = low + Math.floor(intervals + (integers ? 0 : 1e-8)) * step;
    throw new ValueError(
      `${kindName}: step ${step} does not divide the range [${low}, ${high}] (width ${high - low}); use high=${+fitted.toPrecision(12)} or a step that divides ${high - low}.`,
    );
  }
}

/** Integers beyond ±Number.MAX_SAFE_INTEGER lose precision (2 ** 60 + 1 === 2 ** 60). */
function checkSafeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new ValueError(
      `IntDistribution: ${name} must be an integer within ±Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}), got ${value}; integers beyond it are not exact. Use suggestFloat (with log: true) for a range this large.`,
    );
  }
}

/** Real values in [low, high]; high − low must be a finite number. */
export class FloatDistribution extends NumericDistribution {
  readonly kind = "float" as const;
  readonly step: number | null;

  constructor(low: number, high: number, options: NumericOptions = {}) {
    super("FloatDistribution", low, high, options.log ?? false);
    const step = options.step ?? null;
    if (step !== null) {
      if (this.log) throw new ValueError(`FloatDistribution: step (${show(step)}) and log: true cannot be combined; choose one.`);
      checkStep("FloatDistribution", low, high, step, false);
    }
    this.step = step;
  }

  contains(internal: number): boolean {
    if (!(internal >= this.low && internal <= this.high)) return false;
    if (this.step === null) return true;
    const k = (internal - this.low) / this.step;
    const nearest = Math.round(k);
    // Within 1e-8 steps of a grid point (as Optuna), or as near as doubles of this size can be
    // (for steps so small against the bounds that low + k·step itself is off by more).
    return (
      Math.abs(k - nearest) < 1e-8 * Math.max(1, k) ||
      Math.abs(internal - (this.low + nearest * this.step)) <= 4 * Number.EPSILON * Math.max(Math.abs(this.low), Math.abs(internal))
    );
  }

  toJson(): DistributionJson {
    return { name: "FloatDistribution", attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }
}

/** Integers in [low, high]; low, high, step and high − low are safe integers, so every value is exact. */
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
      checkSafeInteger(name, v);
    }
    if (!Number.isSafeInteger(high - low)) {
      throw new ValueError(
        `IntDistribution: the range [${low}, ${high}] is too wide: high − low (${high - low}) exceeds Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}), beyond which integers are not exact; narrow the range, or use suggestFloat (with log: true).`,
      );
    }
    const step = options.step ?? 1;
    if (!Number.isInteger(step) || step <= 0) throw new ValueError(`IntDistribution: step must be a positive integer, got ${show(step)}.`);
    checkSafeInteger("step", step);
    if (this.log && step !== 1) throw new ValueError(`IntDistribution: step (${step}) and log: true cannot be combined; choose one.`);
    checkStep("IntDistribution", low, high, step, true);
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

/**
 * Rebuild a distribution from Optuna's JSON form (as stored). Given the parameter's
 * `name`, an invalid distribution's error names it.
 */
export function distributionFromJson(json: DistributionJson, name?: string): Distribution {
  const build = (): Distribution => {
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
  };
  return name === undefined ? build() : forParameter(name, build);
}

/** Builds the distribution of parameter `name`: a `ValueError` from `build` is re-thrown naming the parameter. */
export function forParameter<T>(name: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`Parameter ${show(name)}: ${error.message}`);
    throw error;
  }
}

export function describe(d: Distribution): string {
  return describeDistribution(d.toJson());
}

/**
 * Is `external` a value of this distribution's kind, inside its range or not: a finite
 * number for floats, a safe integer for ints, one of the choices for categoricals.
 */
export function fitsKind(d: Distribution, external: ParamValue): boolean {
  if (d.kind === "categorical") return containsExternal(d, external);
  return d.kind === "int" ? Number.isSafeInteger(external) : Number.isFinite(external);
}

/** Is `external` a value this distribution can produce? */
export function containsExternal(d: Distribution, external: ParamValue): boolean {
  if (d.kind === "categorical") return d.choices.some((c) => sameChoice(c, external));
  return typeof external === "number" && d.contains(external);
}
