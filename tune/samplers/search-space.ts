import { type DistributionJson, sameChoice, sameDistribution, type TrialRecord, type TrialState } from "../../core/records.js";
import { type Distribution, distributionFromJson } from "../distributions.js";
import type { StudyView } from "./sampler.js";

/**
 * The search space that samplers modelling parameters jointly (multivariate TPE,
 * GP, CMA-ES) work on: the parameters every finished trial suggested with the
 * same distribution. A parameter whose range changed between trials, or that only
 * some trials asked for (a conditional parameter), is left out and sampled
 * independently instead.
 */

export interface SearchSpaceOptions {
  /** Count PRUNED trials as well as COMPLETE ones (default false). */
  includePruned?: boolean;
}

type JsonSpace = Map<string, DistributionJson>;

function statesOfInterest(options: SearchSpaceOptions): ReadonlySet<TrialState> {
  return new Set<TrialState>(options.includePruned ? ["COMPLETE", "PRUNED"] : ["COMPLETE"]);
}

function intersect(space: JsonSpace | null, trial: TrialRecord): JsonSpace {
  if (space === null) return new Map(Object.entries(trial.distributions));
  for (const [name, json] of space) {
    const other = trial.distributions[name];
    if (other === undefined || !sameDistribution(json, other)) space.delete(name);
  }
  return space;
}

/** Distributions rebuilt from JSON once and reused while they stay the same. */
class DistributionCache {
  private byName = new Map<string, { json: DistributionJson; distribution: Distribution }>();

  get(name: string, json: DistributionJson): Distribution {
    const hit = this.byName.get(name);
    if (hit !== undefined && (hit.json === json || sameDistribution(hit.json, json))) return hit.distribution;
    const distribution = distributionFromJson(json, name);
    this.byName.set(name, { json, distribution });
    return distribution;
  }

  /** A plain record sorted by parameter name (a stable order for joint samplers). */
  build(space: JsonSpace | null): Record<string, Distribution> {
    const result: Record<string, Distribution> = {};
    if (space === null) return result;
    for (const name of [...space.keys()].sort()) result[name] = this.get(name, space.get(name)!);
    return result;
  }
}

/** The intersection search space of `trials`, sorted by parameter name (computed from scratch). */
export function intersectionSearchSpace(trials: readonly TrialRecord[], options: SearchSpaceOptions = {}): Record<string, Distribution> {
  const states = statesOfInterest(options);
  let space: JsonSpace | null = null;
  for (const trial of trials) if (states.has(trial.state)) space = intersect(space, trial);
  return new DistributionCache().build(space);
}

interface IntersectionState {
  /** Trials numbered below this are finished and already folded into `space`. */
  cursor: number;
  space: JsonSpace | null;
  cache: DistributionCache;
}

function studyKey(study: StudyView): string {
  return `${study.studyId}\u0000${study.name}`;
}

/**
 * The intersection search space, kept up to date incrementally: each finished trial
 * is folded in once, so the cost per call is the number of new trials, not all of them.
 * One instance may serve several studies (state is kept per study).
 */
export class IntersectionSearchSpace {
  private readonly states: ReadonlySet<TrialState>;
  private readonly perStudy = new Map<string, IntersectionState>();

  constructor(options: SearchSpaceOptions = {}) {
    this.states = statesOfInterest(options);
  }

  calculate(study: StudyView): Record<string, Distribution> {
    const key = studyKey(study);
    const trials = study.trials();
    let state = this.perStudy.get(key);
    // A study view with fewer trials than we folded in is a different study: start over.
    if (state === undefined || trials.length < state.cursor) {
      state = { cursor: 0, space: null, cache: new DistributionCache() };
      this.perStudy.set(key, state);
    }
    let nextCursor = trials.length > 0 ? trials[trials.length - 1].number + 1 : 0;
    for (let i = trials.length - 1; i >= 0; i--) {
      const trial = trials[i];
      if (trial.number < state.cursor) break;
      if (trial.state === "RUNNING" || trial.state === "WAITING") {
        // Not finished yet: look at it again next time.
        nextCursor = trial.number;
        continue;
      }
      if (this.states.has(trial.state)) state.space = intersect(state.space, trial);
    }
    state.cursor = Math.max(state.cursor, nextCursor);
    return state.cache.build(state.space);
  }
}

/**
 * Splits the parameters seen in finished trials into groups that always appear
 * together (Optuna's group decomposition): with conditional parameters, e.g. an
 * `algo` choice followed by per-algorithm parameters, each branch's parameters form
 * their own group, which can be modelled jointly over the trials that have it.
 */
export function groupDecomposedSearchSpace(
  trials: readonly TrialRecord[],
  options: SearchSpaceOptions = {},
): Record<string, Distribution>[] {
  const states = statesOfInterest(options);
  const groups = new SearchSpaceGroups();
  for (const trial of trials) if (states.has(trial.state)) groups.add(trial.distributions);
  return groups.build(new DistributionCache());
}

class SearchSpaceGroups {
  private groups: JsonSpace[] = [];

  /** Refine the partition so that `distributions`' names are a union of groups. */
  add(distributions: Record<string, DistributionJson>): void {
    const remaining = new Map(Object.entries(distributions));
    const next: JsonSpace[] = [];
    for (const group of this.groups) {
      const inside: JsonSpace = new Map();
      const outside: JsonSpace = new Map();
      for (const [name, json] of group) (remaining.has(name) ? inside : outside).set(name, json);
      for (const name of inside.keys()) remaining.delete(name);
      if (inside.size > 0) next.push(inside);
      if (outside.size > 0) next.push(outside);
    }
    if (remaining.size > 0) next.push(remaining);
    this.groups = next;
  }

  build(cache: DistributionCache): Record<string, Distribution>[] {
    return this.groups.map((group) => cache.build(group));
  }
}

/** Group decomposition kept up to date incrementally, like `IntersectionSearchSpace`. */
export class GroupDecomposedSearchSpace {
  private readonly states: ReadonlySet<TrialState>;
  private readonly perStudy = new Map<string, { cursor: number; groups: SearchSpaceGroups; cache: DistributionCache }>();

  constructor(options: SearchSpaceOptions = {}) {
    this.states = statesOfInterest(options);
  }

  calculate(study: StudyView): Record<string, Distribution>[] {
    const key = studyKey(study);
    const trials = study.trials();
    let state = this.perStudy.get(key);
    if (state === undefined || trials.length < state.cursor) {
      state = { cursor: 0, groups: new SearchSpaceGroups(), cache: new DistributionCache() };
      this.perStudy.set(key, state);
    }
    let nextCursor: number | null = null;
    for (const trial of trials) {
      if (trial.number < state.cursor) continue;
      if (trial.state === "RUNNING" || trial.state === "WAITING") {
        nextCursor ??= trial.number;
        continue;
      }
      // Adding a trial twice leaves the partition unchanged, so re-reading is harmless.
      if (this.states.has(trial.state)) state.groups.add(trial.distributions);
    }
    state.cursor = nextCursor ?? (trials.length > 0 ? trials[trials.length - 1].number + 1 : state.cursor);
    return state.groups.build(state.cache);
  }
}

/**
 * A trial's value for `name` in internal form (a categorical choice's index), or
 * null when the trial did not suggest it or suggested it from another distribution.
 */
export function internalParam(trial: TrialRecord, name: string, distribution: Distribution): number | null {
  // Absent is undefined (never a stored value); inherited keys such as "constructor"
  // yield functions, which no number check or choice accepts.
  const external = trial.params[name];
  if (external === undefined) return null;
  if (distribution.kind === "categorical") {
    const json = trial.distributions[name];
    if (json !== undefined && json.name !== "CategoricalDistribution") return null;
    const choices = distribution.choices;
    for (let i = 0; i < choices.length; i++) if (sameChoice(choices[i], external)) return i;
    return null;
  }
  if (typeof external !== "number" || !distribution.contains(external)) return null;
  return external;
}

/**
 * Maps u ∈ [0, 1] onto a distribution, in internal form: linearly (or on a log
 * scale), snapped to the grid of a stepped float or an int, or to a categorical
 * choice's index. Each grid value or choice gets an equal share of [0, 1), so a
 * uniform u gives a uniform (or log-uniform) draw; quasi-random and model-based
 * samplers that work in the unit cube use this to come back to the space.
 */
export function fromUnit(distribution: Distribution, u: number): number {
  if (distribution.kind === "categorical") {
    return Math.min(distribution.choices.length - 1, Math.max(0, Math.floor(u * distribution.choices.length)));
  }
  const { low, high } = distribution;
  if (low === high) return low;
  const step = distribution.step;
  let value: number;
  if (onLogScale(distribution)) {
    // Ints on a log scale: each integer owns [k − ½, k + ½] in log space.
    const pad = distribution.kind === "int" ? 0.5 : 0;
    const a = Math.log(low - pad);
    const b = Math.log(high + pad);
    value = Math.exp(a + u * (b - a));
    if (distribution.kind === "int") value = Math.round(value);
  } else if (step !== null) {
    const cells = Math.round((high - low) / step) + 1;
    const k = Math.min(cells - 1, Math.max(0, Math.floor(u * cells)));
    value = distribution.kind === "int" ? low + k * step : snapToGrid(low, step, k);
  } else {
    value = low + u * (high - low);
  }
  return Math.min(high, Math.max(low, value));
}

/**
 * Whether `fromUnit` and `toUnit` map a range on a log scale: not a log range so narrow
 * (high/low below 1 + 1e-6) that the logs of its ends are nearly equal, where the log
 * scale would lose all precision and the linear one differs from it by under 1e-7.
 */
function onLogScale(distribution: Exclude<Distribution, { kind: "categorical" }>): boolean {
  return distribution.log && distribution.high / distribution.low > 1 + 1e-6;
}

/** The inverse of `fromUnit`: where a value sits in [0, 1] (a grid value or choice at the centre of its share). */
export function toUnit(distribution: Distribution, internal: number): number {
  if (distribution.kind === "categorical") return (internal + 0.5) / distribution.choices.length;
  const { low, high } = distribution;
  if (low === high) return 0.5;
  if (onLogScale(distribution)) {
    const pad = distribution.kind === "int" ? 0.5 : 0;
    const a = Math.log(low - pad);
    const b = Math.log(high + pad);
    return (Math.log(internal) - a) / (b - a);
  }
  const step = distribution.step;
  if (step !== null) {
    const cells = Math.round((high - low) / step) + 1;
    return (Math.round((internal - low) / step) + 0.5) / cells;
  }
  return (internal - low) / (high - low);
}

/**
 * low + k·step, rounded so that repeated grid values compare equal (0.1·3 is
 * 0.30000000000000004), unless rounding would move it off the grid (subnormal steps).
 */
export function snapToGrid(low: number, step: number, k: number): number {
  const value = low + k * step;
  const rounded = Number.parseFloat(value.toPrecision(14));
  return Math.abs((rounded - low) / step - k) < 1e-8 * Math.max(1, k) ? rounded : value;
}

/** The value of grid point nearest to `value` (for stepped floats and ints), clipped to the range. */
export function roundToGrid(distribution: Distribution, value: number): number {
  if (distribution.kind === "categorical") return Math.min(distribution.choices.length - 1, Math.max(0, Math.round(value)));
  const { low, high } = distribution;
  let v = value;
  if (distribution.kind === "int") {
    v = low + Math.round((v - low) / distribution.step) * distribution.step;
  } else if (distribution.step !== null) {
    v = snapToGrid(low, distribution.step, Math.round((v - low) / distribution.step));
  }
  return Math.min(high, Math.max(low, v));
}
