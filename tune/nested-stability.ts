/**
 * How stable the parameters chosen across the outer folds of a nested cross-validation
 * are: if every fold picks much the same configuration, the tuning procedure is reliable
 * and its nested score describes one model; if the choices scatter, the score describes
 * the procedure, not any single configuration.
 *
 * A pure function of the chosen configurations, kept beside `NestedFoldRecord`: nested
 * cross-validation computes it from its results, the tracker from the stored records.
 */
import type { DistributionJson, ParamValue } from "../core/records.js";

/**
 * A parameter whose values are compared for equality: a categorical, an integer, or one
 * whose distribution changed between folds. `mode` is the value chosen most often (the
 * first fold's on a tie), `agreement` the share of all outer folds that chose it.
 */
export interface DiscreteStability {
  kind: "categorical" | "int";
  /** The value chosen in each outer fold; undefined where the fold's configuration lacks the parameter. */
  values: (ParamValue | undefined)[];
  mode: ParamValue;
  /** Folds choosing `mode` / all outer folds: 1 when every fold agrees. */
  agreement: number;
}

/**
 * A float parameter. On a linear scale, `center` is the mean of the chosen values and
 * `spread` their coefficient of variation (population std / |mean|; 0.1 means values
 * typically within 10% of the mean). On a log scale (every fold's distribution has
 * `log: true`), `center` is the geometric mean and `spread` the std of log10 of the values,
 * in decades (0.3 means typically within a factor of 2 of the center). 0: every fold agrees.
 */
export interface FloatStability {
  kind: "float";
  log: boolean;
  /** The value chosen in each outer fold; undefined where the fold's configuration lacks the parameter. */
  values: (number | undefined)[];
  center: number;
  spread: number;
}

export type ParamStability = DiscreteStability | FloatStability;

export interface NestedStability {
  /**
   * Share of outer folds whose whole configuration equals the most common one (the first
   * fold's on a tie): 1 when every fold chose the same parameters.
   */
  agreement: number;
  /** One entry per parameter any fold chose, in the order first seen. */
  params: Record<string, ParamStability>;
}

/** The chosen configuration of one outer fold: its parameters and the distributions they were sampled from. */
export interface ChosenConfiguration {
  params: Record<string, ParamValue>;
  distributions: Record<string, DistributionJson>;
}

/** The stability of the configurations chosen in each outer fold (see `NestedStability`). */
export function nestedStability(chosen: readonly ChosenConfiguration[]): NestedStability {
  const names: string[] = [];
  for (const c of chosen) for (const name of Object.keys(c.params)) if (!names.includes(name)) names.push(name);
  const params: Record<string, ParamStability> = {};
  for (const name of names) {
    const values = chosen.map((c) => (Object.hasOwn(c.params, name) ? c.params[name] : undefined));
    const distributions = chosen.flatMap((c) => (Object.hasOwn(c.distributions, name) ? [c.distributions[name]] : []));
    params[name] = paramStability(values, distributions);
  }
  const configurations = chosen.map((c) => keyOf(Object.fromEntries(Object.entries(c.params).sort(([a], [b]) => (a < b ? -1 : 1)))));
  return { agreement: modeOf(configurations).count / chosen.length, params };
}

function paramStability(values: (ParamValue | undefined)[], distributions: readonly DistributionJson[]): ParamStability {
  const present = values.filter((v): v is ParamValue => v !== undefined);
  const allFloat =
    distributions.length > 0 &&
    distributions.every((d) => d.name === "FloatDistribution") &&
    present.every((v) => typeof v === "number" && Number.isFinite(v));
  if (allFloat) {
    const log = distributions.every((d) => d.name === "FloatDistribution" && d.attributes.log);
    const numbers = present as number[];
    return { kind: "float", log, values: values as (number | undefined)[], ...(log ? logSpread(numbers) : linearSpread(numbers)) };
  }
  const kind = distributions.length > 0 && distributions.every((d) => d.name === "IntDistribution") ? "int" : "categorical";
  const { index, count } = modeOf(present.map(keyOf));
  return { kind, values, mode: present[index], agreement: count / values.length };
}

function linearSpread(values: readonly number[]): { center: number; spread: number } {
  const { mean, std } = meanStd(values);
  return { center: mean, spread: std === 0 ? 0 : std / Math.abs(mean) };
}

function logSpread(values: readonly number[]): { center: number; spread: number } {
  const { mean, std } = meanStd(values.map(Math.log10));
  return { center: 10 ** mean, spread: std };
}

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / values.length) };
}

/** The most frequent key (the first on a tie): where it first appears and how often. */
function modeOf(keys: readonly string[]): { index: number; count: number } {
  let best = { index: 0, count: 0 };
  keys.forEach((key, index) => {
    if (keys.indexOf(key) !== index) return;
    const count = keys.filter((k) => k === key).length;
    if (count > best.count) best = { index, count };
  });
  return best;
}

/** A key that tells values apart as storage does: 1 and "1" differ, 0 and -0 do not. */
function keyOf(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "string" ? `s:${v}` : v));
}
