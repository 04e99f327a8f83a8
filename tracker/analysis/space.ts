import {
  type CategoricalChoice,
  type DistributionJson,
  type ParamValue,
  sameChoice,
  sameDistribution,
  type TrialRecord,
} from "../../core/records.js";
import { hasParam } from "./trial-params.js";

/**
 * The search space the analyses work on, inferred from stored trials. Numeric
 * parameters are seen in a "model space": log parameters by their logarithm, so
 * that a uniform measure there is the one a log-scaled sampler draws from; an
 * integer parameter owns a cell of one step around each value, so every value
 * weighs the same.
 */
export type AnalysisParam = NumericParam | CategoricalParam;

export interface NumericParam {
  name: string;
  kind: "float" | "int";
  /** The distribution (the union of the ranges seen, when it changed between trials). */
  distribution: DistributionJson;
  log: boolean;
  /** Bounds in model space. */
  low: number;
  high: number;
}

export interface CategoricalParam {
  name: string;
  kind: "categorical";
  distribution: DistributionJson;
  choices: CategoricalChoice[];
}

export interface SkippedParam {
  name: string;
  reason: string;
}

export interface InferredSpace {
  params: AnalysisParam[];
  skipped: SkippedParam[];
}

/**
 * Merge two distributions of one parameter seen in different trials: numeric ranges
 * of the same kind and scale widen to their union (a study continued with a narrowed
 * or widened range); anything else cannot be merged (null).
 */
export function mergeDistributions(a: DistributionJson, b: DistributionJson): DistributionJson | null {
  if (sameDistribution(a, b)) return a;
  if (a.name === "CategoricalDistribution" || b.name === "CategoricalDistribution") return null;
  if (a.name !== b.name || a.attributes.log !== b.attributes.log) return null;
  const low = Math.min(a.attributes.low, b.attributes.low);
  const high = Math.max(a.attributes.high, b.attributes.high);
  if (a.name === "IntDistribution") {
    const step = a.attributes.step;
    const sameStep = step === (b as typeof a).attributes.step && (b.attributes.low - a.attributes.low) % step === 0;
    return { name: "IntDistribution", attributes: { low, high, log: a.attributes.log, step: sameStep ? a.attributes.step : 1 } };
  }
  const step = a.attributes.step !== null && a.attributes.step === (b as typeof a).attributes.step ? a.attributes.step : null;
  return {
    name: "FloatDistribution",
    attributes: { low, high, log: a.attributes.log, step: step !== null && Number.isInteger((high - low) / step) ? step : null },
  };
}

/** True when the distribution allows a single value only (nothing to analyse). */
export function isSingleValued(d: DistributionJson): boolean {
  if (d.name === "CategoricalDistribution") return d.attributes.choices.length <= 1;
  return d.attributes.low === d.attributes.high;
}

function toAnalysisParam(name: string, d: DistributionJson): AnalysisParam {
  if (d.name === "CategoricalDistribution") return { name, kind: "categorical", distribution: d, choices: [...d.attributes.choices] };
  const { low, high, log } = d.attributes;
  if (d.name === "IntDistribution") {
    // Each integer owns [v - step/2, v + step/2]; on a log scale, [v - 1/2, v + 1/2] mapped by log.
    const half = log ? 0.5 : d.attributes.step / 2;
    return log
      ? { name, kind: "int", distribution: d, log, low: Math.log(low - half), high: Math.log(high + half) }
      : { name, kind: "int", distribution: d, log, low: low - half, high: high + half };
  }
  return log
    ? { name, kind: "float", distribution: d, log, low: Math.log(low), high: Math.log(high) }
    : { name, kind: "float", distribution: d, log, low, high };
}

export interface InferOptions {
  /**
   * Parameters to analyse. Default: those present in every given trial (the
   * intersection search space, as Optuna does), sorted by name. Naming conditional
   * parameters here restricts the analysis to the trials that have all of them.
   */
  params?: readonly string[];
}

/**
 * Infer the analysable space of `trials` (callers pass the trials they analyse,
 * usually the COMPLETE ones). Parameters left out are listed in `skipped` with why.
 */
export function inferSpace(trials: readonly TrialRecord[], options: InferOptions = {}): InferredSpace {
  const seen = new Map<string, { distribution: DistributionJson | null; count: number }>();
  const eligible = options.params ? trials.filter((t) => options.params!.every((p) => hasParam(t, p))) : trials;
  for (const trial of eligible) {
    for (const [name, d] of Object.entries(trial.distributions)) {
      if (!hasParam(trial, name)) continue;
      const entry = seen.get(name);
      if (entry === undefined) seen.set(name, { distribution: d, count: 1 });
      else {
        entry.count++;
        if (entry.distribution !== null) entry.distribution = mergeDistributions(entry.distribution, d);
      }
    }
  }
  const names = options.params ? [...options.params] : [...seen.keys()].sort();
  const params: AnalysisParam[] = [];
  const skipped: SkippedParam[] = [];
  for (const name of names) {
    const entry = seen.get(name);
    if (entry === undefined) skipped.push({ name, reason: "no trial has this parameter" });
    else if (entry.count < eligible.length) {
      skipped.push({
        name,
        reason: `conditional: present in ${entry.count} of ${eligible.length} trials; pass it in \`params\` to analyse the trials that have it`,
      });
    } else if (entry.distribution === null) skipped.push({ name, reason: "its choices or kind changed between trials" });
    else if (isSingleValued(entry.distribution)) skipped.push({ name, reason: "a single possible value" });
    else params.push(toAnalysisParam(name, entry.distribution));
  }
  return { params, skipped };
}

/** A parameter value in model space (log for log parameters, choice index for categoricals); NaN if it does not fit. */
export function toModelSpace(param: AnalysisParam, value: ParamValue | undefined): number {
  if (value === undefined) return NaN;
  if (param.kind === "categorical") {
    const index = param.choices.findIndex((c) => sameChoice(c, value));
    return index < 0 ? NaN : index;
  }
  if (typeof value !== "number") return NaN;
  return param.log ? Math.log(value) : value;
}
