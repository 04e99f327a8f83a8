import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import type { TrialRecord, TrialState } from "../../../core/records.js";
import { checkSeed, Rng } from "../../../core/rng.js";
import type { Distribution } from "../../distributions.js";
import { gridSize, type NumericDistribution } from "../gp/unit-cube.js";
import { RandomSampler } from "../random.js";
import type { InternalParams, Sampler, StudyView } from "../sampler.js";
import { fromUnit, IntersectionSearchSpace, internalParam, toUnit } from "../search-space.js";
import { CmaStrategy, type Solution, type StopReason } from "./strategy.js";

export interface CmaEsSamplerOptions {
  /** Seed of the sampler's random stream (default: a random seed, not repeatable). */
  seed?: number;
  /** Initial step size in the unit cube the parameters are mapped to (default 1/6: a sixth of every range). */
  sigma0?: number;
  /** Completed trials sampled by `independentSampler` before CMA-ES starts (default 0). */
  nStartupTrials?: number;
  /** Candidates per generation (default 4 + ⌊3 ln n⌋ for n parameters). */
  popsize?: number;
  /** "ipop": restart with a larger population when the search stalls; null: never restart (default "ipop"). */
  restartStrategy?: "ipop" | null;
  /** Factor by which each IPOP restart multiplies the population (default 2). */
  incPopsize?: number;
  /** Samples categorical and conditional parameters, and the first trial (default: random search with the same seed). */
  independentSampler?: Sampler;
}

const OPTION_KEYS = ["seed", "sigma0", "nStartupTrials", "popsize", "restartStrategy", "incPopsize", "independentSampler"] as const;

/** What the sampler currently does in one study, for inspection. */
export interface CmaEsState {
  /** Restarts so far (IPOP). */
  restarts: number;
  popsize: number;
  /** Generations told in the current run. */
  generation: number;
  sigma: number;
  /** The distribution's mean, as internal parameter values. */
  mean: InternalParams;
  /** Why the previous run stopped, if it did. */
  lastStopReason: StopReason | null;
}

interface StudyState {
  spaceKey: string;
  names: string[];
  distributions: NumericDistribution[];
  strategy: CmaStrategy;
  restarts: number;
  lastStopReason: StopReason | null;
  /** Numbers of the trials already folded into the state. */
  consumed: Set<number>;
  /** Evaluated solutions of the generation being filled. */
  pending: Solution[];
}

/**
 * CMA-ES over the numeric parameters (continuous and integer) every completed trial
 * shares, mapped to the unit cube like the GP's inputs (log parameters in log space,
 * grids padded by half a step and rounded back); categorical parameters are sampled
 * independently. With `restartStrategy: "ipop"`, a run that stalls (flat values, a
 * collapsed step size, an ill-conditioned covariance) restarts from a random mean with
 * `incPopsize` times the population.
 *
 * State: the sampler keeps the strategy in memory, per study, and updates it from
 * completed trials, folded in by trial number, `popsize` at a time, each trial as the
 * point its parameters map to (the rounded value for integers). A fresh sampler on an
 * existing study rebuilds the same state by replaying the completed trials in the same
 * way, so with one worker a resumed study continues exactly where it stopped; with
 * several workers, trials completing out of order fall into a later generation, and
 * points that do not fit the current distribution are shortened to a plausible
 * distance before they count.
 */
export class CmaEsSampler implements Sampler {
  readonly name = "cmaes";
  private readonly baseSeed: number;
  private readonly sigma0: number;
  private readonly nStartupTrials: number;
  private readonly popsize: number | undefined;
  private readonly restartStrategy: "ipop" | null;
  private readonly incPopsize: number;
  private readonly independentSampler: Sampler;
  private readonly searchSpace = new IntersectionSearchSpace();
  private readonly studies = new Map<string, StudyState>();

  constructor(options: CmaEsSamplerOptions = {}) {
    checkOptionKeys("CmaEsSampler", options, OPTION_KEYS);
    const { sigma0 = 1 / 6, nStartupTrials = 0, popsize, restartStrategy = "ipop", incPopsize = 2 } = options;
    if (typeof sigma0 !== "number" || !(sigma0 > 0) || !Number.isFinite(sigma0)) {
      throw new ValueError(`CmaEsSampler: sigma0 must be a positive number (a fraction of each range, e.g. 1/6), got ${show(sigma0)}.`);
    }
    if (!Number.isInteger(nStartupTrials) || nStartupTrials < 0) {
      throw new ValueError(`CmaEsSampler: nStartupTrials must be a non-negative integer, got ${show(nStartupTrials)}.`);
    }
    if (popsize !== undefined && (!Number.isInteger(popsize) || popsize < 2)) {
      throw new ValueError(`CmaEsSampler: popsize must be an integer of at least 2, got ${show(popsize)}.`);
    }
    if (restartStrategy !== "ipop" && restartStrategy !== null) {
      throw new ValueError(`CmaEsSampler: restartStrategy must be "ipop" or null, got ${show(restartStrategy)}.`);
    }
    if (typeof incPopsize !== "number" || !(incPopsize >= 1) || !Number.isFinite(incPopsize)) {
      throw new ValueError(`CmaEsSampler: incPopsize must be a number of at least 1, got ${show(incPopsize)}.`);
    }
    if (options.independentSampler !== undefined && typeof options.independentSampler?.sampleIndependent !== "function") {
      throw new ValueError(`CmaEsSampler: independentSampler must be a Sampler, got ${show(options.independentSampler)}.`);
    }
    const rng = new Rng(checkSeed("CmaEsSampler", options.seed));
    this.baseSeed = rng.seed();
    this.sigma0 = sigma0;
    this.nStartupTrials = nStartupTrials;
    this.popsize = popsize;
    this.restartStrategy = restartStrategy;
    this.incPopsize = incPopsize;
    this.independentSampler = options.independentSampler ?? new RandomSampler({ seed: rng.seed() });
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    const space: Record<string, Distribution> = {};
    for (const [name, distribution] of Object.entries(this.searchSpace.calculate(study))) {
      if (distribution.kind !== "categorical" && !distribution.isSingle()) space[name] = distribution;
    }
    return space;
  }

  sampleRelative(study: StudyView, trial: TrialRecord, space: Record<string, Distribution>): InternalParams {
    if (Object.keys(space).length === 0) return {};
    const completed = study.trials(["COMPLETE"]);
    if (completed.length < this.nStartupTrials) return {};
    const state = this.update(study, space, completed);
    // One stream per trial: the point a trial gets depends on the state, the seed and its number only.
    const x = state.strategy.ask(this.rngFor(trial.number, state.restarts));
    const params: InternalParams = {};
    state.names.forEach((name, i) => {
      params[name] = fromUnit(state.distributions[i], x[i]);
    });
    return params;
  }

  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number {
    return this.independentSampler.sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(study: StudyView, trial: TrialRecord, state: TrialState, values: readonly number[] | null): void {
    this.independentSampler.afterTrial?.(study, trial, state, values);
  }

  /** The current state in a study (by id, or by its view), or null before CMA-ES has sampled in it. */
  stateOf(study: number | StudyView): CmaEsState | null {
    const state =
      typeof study === "number"
        ? [...this.studies.entries()].find(([key]) => key.startsWith(`${study}\u0000`))?.[1]
        : this.studies.get(studyKey(study));
    if (state === undefined) return null;
    const { strategy } = state;
    const mean: InternalParams = {};
    state.names.forEach((name, i) => {
      mean[name] = fromUnit(state.distributions[i], strategy.mean[i]);
    });
    return {
      restarts: state.restarts,
      popsize: strategy.popsize,
      generation: strategy.generation,
      sigma: strategy.sigma,
      mean,
      lastStopReason: state.lastStopReason,
    };
  }

  /** Folds newly completed trials into the study's state, generation by generation. */
  private update(study: StudyView, space: Record<string, Distribution>, completed: readonly TrialRecord[]): StudyState {
    const names = Object.keys(space);
    const spaceKey = JSON.stringify(names.map((name) => [name, space[name].toJson()]));
    let state = this.studies.get(studyKey(study));
    // A different space, or a view with fewer completed trials than folded in (another study): start over.
    if (state === undefined || state.spaceKey !== spaceKey || completed.length < state.consumed.size) {
      const distributions = names.map((name) => space[name] as NumericDistribution);
      state = {
        spaceKey,
        names,
        distributions,
        strategy: this.newStrategy(distributions, 0),
        restarts: 0,
        lastStopReason: null,
        consumed: new Set(),
        pending: [],
      };
      this.studies.set(studyKey(study), state);
    }
    const sign = study.direction === "minimize" ? 1 : -1;
    for (const t of completed) {
      if (state.consumed.has(t.number) || t.value === null) continue;
      const x = new Float64Array(names.length);
      let complete = true;
      names.forEach((name, i) => {
        const v = internalParam(t, name, space[name]);
        if (v === null) complete = false;
        else x[i] = toUnit(state!.distributions[i], v);
      });
      if (!complete) continue;
      state.consumed.add(t.number);
      state.pending.push({ x, value: sign * t.value });
      if (state.pending.length < state.strategy.popsize) continue;
      state.strategy.tell(state.pending);
      state.pending = [];
      const reason = state.strategy.shouldStop();
      if (reason !== null && this.restartStrategy === "ipop") {
        state.restarts++;
        state.lastStopReason = reason;
        state.strategy = this.newStrategy(state.distributions, state.restarts, Math.round(state.strategy.popsize * this.incPopsize));
      }
    }
    return state;
  }

  private newStrategy(distributions: NumericDistribution[], restarts: number, popsize?: number): CmaStrategy {
    const n = distributions.length;
    // The first run starts at the centre of the space, restarts at a random point.
    const rng = this.rngFor(-1, restarts);
    const mean = Float64Array.from(distributions, () => (restarts === 0 ? 0.5 : rng.random()));
    return new CmaStrategy({
      mean,
      sigma: this.sigma0,
      popsize: popsize ?? this.popsize ?? 4 + Math.floor(3 * Math.log(n)),
      cells: distributions.map((distribution) => {
        const size = gridSize(distribution);
        return size === Infinity ? 0 : size;
      }),
    });
  }

  private rngFor(trialNumber: number, restarts: number): Rng {
    let h = this.baseSeed ^ Math.imul(trialNumber + 2, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ Math.imul(restarts + 1, 0xc2b2ae35);
    return new Rng(h >>> 0);
  }
}

/** One sampler may serve several studies, even of several storages. */
function studyKey(study: StudyView): string {
  return `${study.studyId}\u0000${study.name}`;
}
