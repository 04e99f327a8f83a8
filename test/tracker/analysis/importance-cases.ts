import type { DistributionJson, ParamValue, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";

/**
 * Objectives with a known order of importance: one parameter dominates, one matters
 * a little, the others not at all. Trials are drawn at random from the space (seeded),
 * so Optuna's fANOVA and ours see the very same trials.
 */
export interface ImportanceCase {
  name: string;
  /** Parameters from most to least important (the last ones do not matter). */
  expectedOrder: string[];
  /** How many leading parameters have a clear order (the rest are noise-level). */
  clear: number;
  trials: TrialRecord[];
}

const float = (low: number, high: number, log = false): DistributionJson => ({
  name: "FloatDistribution",
  attributes: { low, high, log, step: null },
});
const int = (low: number, high: number, step = 1, log = false): DistributionJson => ({
  name: "IntDistribution",
  attributes: { low, high, log, step },
});
const categorical = (choices: ParamValue[]): DistributionJson => ({
  name: "CategoricalDistribution",
  attributes: { choices: choices as (string | number | boolean | null)[] },
});

export function trial(
  number: number,
  params: Record<string, ParamValue>,
  distributions: Record<string, DistributionJson>,
  value: number | null,
  state: TrialRecord["state"] = "COMPLETE",
): TrialRecord {
  return {
    trialId: number + 1,
    number,
    state,
    params,
    distributions,
    value,
    values: value === null ? null : [value],
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

function draw(rng: Rng, d: DistributionJson): ParamValue {
  if (d.name === "CategoricalDistribution") return rng.choice(d.attributes.choices);
  const { low, high, log } = d.attributes;
  if (d.name === "IntDistribution") {
    if (log) return Math.min(high, Math.max(low, Math.round(Math.exp(rng.uniform(Math.log(low - 0.5), Math.log(high + 0.5))))));
    return low + d.attributes.step * rng.integer(0, (high - low) / d.attributes.step);
  }
  return log ? Math.exp(rng.uniform(Math.log(low), Math.log(high))) : rng.uniform(low, high);
}

function sample(
  name: string,
  n: number,
  seed: number,
  space: Record<string, DistributionJson>,
  objective: (p: Record<string, ParamValue>, rng: Rng) => number,
  expectedOrder: string[],
  clear: number,
): ImportanceCase {
  const rng = new Rng(seed);
  const trials: TrialRecord[] = [];
  for (let i = 0; i < n; i++) {
    const params: Record<string, ParamValue> = {};
    for (const [key, d] of Object.entries(space)) params[key] = draw(rng, d);
    trials.push(trial(i, params, space, objective(params, rng)));
  }
  return { name, expectedOrder, clear, trials };
}

/** Floats only: value = 5x + 2y + noise; z does not matter. */
export function linearCase(n = 200, seed = 1): ImportanceCase {
  return sample(
    "linear",
    n,
    seed,
    { x: float(0, 1), y: float(0, 1), z: float(0, 1) },
    (p, rng) => 5 * (p.x as number) + 2 * (p.y as number) + 0.05 * rng.normal(),
    ["x", "y", "z"],
    3,
  );
}

/** A curved dominant float, a small integer effect, an irrelevant log float. */
export function mixedCase(n = 200, seed = 2): ImportanceCase {
  return sample(
    "mixed",
    n,
    seed,
    { depth: int(1, 10), lr: float(1e-4, 1, true), w: float(-2, 2) },
    (p, rng) => (p.w as number) ** 2 * 3 + 0.3 * (p.depth as number) + 0.05 * rng.normal(),
    ["w", "depth", "lr"],
    3,
  );
}

/** A categorical that dominates, a log float that matters a little, an irrelevant int. */
export function categoricalCase(n = 200, seed = 3): ImportanceCase {
  const offset: Record<string, number> = { rbf: 0, linear: 4, poly: 9 };
  return sample(
    "categorical",
    n,
    seed,
    { kernel: categorical(["rbf", "linear", "poly"]), c: float(1e-3, 1e3, true), k: int(0, 20, 2) },
    (p, rng) => offset[p.kernel as string] + 0.4 * Math.log10(p.c as number) + 0.05 * rng.normal(),
    ["kernel", "c", "k"],
    3,
  );
}

export const CASES = [linearCase, mixedCase, categoricalCase];
