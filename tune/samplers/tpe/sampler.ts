import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import type { TrialRecord } from "../../../core/records.js";
import { checkSeed, Rng } from "../../../core/rng.js";
import type { Distribution } from "../../distributions.js";
import { QMCSampler } from "../qmc.js";
import type { InternalParams, Sampler, StudyView } from "../sampler.js";
import { fromUnit, GroupDecomposedSearchSpace, IntersectionSearchSpace } from "../search-space.js";
import { type RankedTrials, rankTrials, splitObservations } from "./observations.js";
import { defaultWeights, ParzenEstimator, type ParzenEstimatorOptions } from "./parzen-estimator.js";

export interface TPESamplerOptions {
  /** Seed of the sampler's random stream (default: a random seed, not repeatable). */
  seed?: number;
  /**
   * Trials before the model is used (default 10): the first at random, the others from a
   * scrambled Sobol sequence over its parameters, which covers the space more evenly
   * than random draws; parameters outside that space are drawn at random.
   */
  nStartupTrials?: number;
  /**
   * Candidates drawn from l(x) per suggestion; the one with the best l(x)/g(x) wins
   * (default 12; Optuna's is 24). Fewer candidates explore more around l's modes.
   */
  nEiCandidates?: number;
  /** How many of n finished trials count as good (default `defaultGamma`: min(⌈0.1·n⌉, 25)). */
  gamma?: (n: number) => number;
  /** Weight of the prior kernel, a wide kernel over the whole range (default 1). */
  priorWeight?: number;
  /** Add the prior kernel to both densities (default true). */
  considerPrior?: boolean;
  /** Keep every kernel at least range · max(0.01, (1 + kernels)^−magicClipExponent) wide (default true). */
  considerMagicClip?: boolean;
  /**
   * How fast the magic clip's floor narrows as good trials accumulate (default 1.25;
   * Optuna's is 1). With Optuna's 1, the ten good trials of a 100-trial study keep every
   * kernel at least a twelfth of the range wide, which caps how finely TPE can home in;
   * 1.25 lets them tighten to about a twenty-second.
   */
  magicClipExponent?: number;
  /** Let the range bounds narrow the outermost kernels (default false). */
  considerEndpoints?: boolean;
  /** Weights of the observations in chronological order (default `defaultWeights`: older ones fade after 25). */
  weights?: (n: number) => ArrayLike<number>;
  /** Model the parameters shared by all finished trials jointly (default false). */
  multivariate?: boolean;
  /** With `multivariate`, split a conditional space into groups of parameters that appear together (default false). */
  group?: boolean;
  /**
   * Kernel widths when parameters are modelled jointly (`multivariate`, `group`):
   * "neighbours" (default) sizes each parameter's kernels by the gaps between its
   * observations, as for one parameter; "optuna" gives all kernels of a parameter one
   * width, 0.2 · range · n^(−1/(d+4)), Optuna 3.1's rule, which stays wide and explores more.
   */
  jointBandwidth?: "neighbours" | "optuna";
  /**
   * Count running trials as bad results, so parallel workers spread out (default false).
   * With several objectives they count as worst in every objective.
   */
  constantLiar?: boolean;
  /**
   * With several objectives, the least weight of a good trial in l(x), between 0 and 1:
   * each weighs floor + (1 − floor) · its hypervolume contribution among the good trials
   * over the largest (default 0.5; Optuna 3.1's is 0, weights by contribution alone).
   * With Optuna's weights the trials that add little weigh next to nothing and the prior
   * kernel takes a large share of l(x), so TPE explores more and converges more slowly.
   */
  hypervolumeWeightFloor?: number;
}

const OPTION_KEYS = [
  "seed",
  "nStartupTrials",
  "nEiCandidates",
  "gamma",
  "priorWeight",
  "considerPrior",
  "considerMagicClip",
  "magicClipExponent",
  "considerEndpoints",
  "weights",
  "multivariate",
  "group",
  "jointBandwidth",
  "constantLiar",
  "hypervolumeWeightFloor",
] as const;

/** Optuna's default split: the best 10% of finished trials, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Hyperopt's split: ⌈¼·√n⌉, at most 25. */
export function hyperoptGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/**
 * Options that give `TPESampler` the model of Optuna 3.1's `TPESampler()` defaults (its
 * start-up trials still come from a Sobol sequence rather than at random).
 */
export const OPTUNA_TPE_DEFAULTS = {
  nEiCandidates: 24,
  magicClipExponent: 1,
  jointBandwidth: "optuna",
  hypervolumeWeightFloor: 0,
} as const satisfies TPESamplerOptions;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011), as in Optuna 3.
 *
 * After `nStartupTrials` start-up trials, finished trials are split into the best
 * γ(n) and the rest; a Parzen estimator is fitted to each (l for the good, g for the
 * rest), `nEiCandidates` points are drawn from l, and the one maximising
 * log l(x) − log g(x) — which maximises expected improvement — is suggested.
 *
 * Three defaults differ from Optuna 3.1's: the joint kernel widths described below, and
 * two knobs studied by Watanabe (2023, "TPE: understanding its algorithm components"):
 * the magic clip narrows faster
 * (`magicClipExponent` 1.25, not 1) and fewer candidates compete (`nEiCandidates` 12,
 * not 24). Chosen on seeds 20–119 of twelve objectives (2 to 8 dimensions, ints,
 * categoricals, a conditional space) and checked on seeds 120–219: the median regret at
 * 100 trials halved against Optuna's defaults (geometric mean over the twelve), fell on
 * eleven and rose by 13% on the 8-dimensional one (bench/samplers.ts, README "TPE's
 * defaults"). `new TPESampler({ ...OPTUNA_TPE_DEFAULTS })` restores Optuna's behaviour.
 *
 * By default each parameter is modelled on its own. With `multivariate: true` the
 * parameters every finished trial shares are modelled jointly (their interactions
 * count), and parameters outside that space are still sampled one by one; add
 * `group: true` for conditional spaces, so each set of parameters that appear
 * together is modelled jointly over the trials that have it. Joint kernels take each
 * parameter's width from the gaps between its observations, as single-parameter ones
 * do; Optuna 3.1 gives them one wide shared width instead (`jointBandwidth: "optuna"`),
 * which leaves the joint model behind the per-parameter one: at 100 trials on seeds
 * 120–219 of the twelve benchmark objectives, multivariate TPE's median regret was
 * 1.33× Optuna's (univariate) TPE's with the shared width and 0.31× with the gaps
 * (geometric means).
 *
 * With several objectives (MOTPE: Ozaki et al. 2020, Optuna 3.1's `TPESampler`) the good
 * trials are whole non-dominated fronts, best first, then the part of the next front that
 * greedily adds the most hypervolume; in l(x) each weighs by its hypervolume contribution
 * among them, floored at `hypervolumeWeightFloor`. That floor (0.5; Optuna's is 0) raised
 * the mean hypervolume at 200 trials on seeds 200–239 (chosen on 100–139) on ZDT1 from
 * 0.088 to 0.200, ZDT3 0.246 to 0.382, DTLZ2 0.648 to 0.680 and WFG4 7.03 to 7.12, and
 * lowered it on Binh–Korn from 5155 to 5121 of 5285, a two-parameter problem where
 * random search beats both (bench/multiobjective, problems.ts).
 *
 * Constraints (`createStudy({ constraints })`, `trial.setConstraint`) are read from each
 * trial's record, so any study with constraints gets Optuna's constrained TPE, with one
 * objective or several: feasible trials are split as above, and infeasible ones are good
 * only when too few feasible ones are finished, the least violation first.
 */
export class TPESampler implements Sampler {
  readonly name = "tpe";
  readonly multiObjective = true;
  private readonly rng: Rng;
  private readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly multivariate: boolean;
  private readonly group: boolean;
  private readonly constantLiar: boolean;
  private readonly hypervolumeWeightFloor: number;
  private readonly parzen: ParzenEstimatorOptions;
  /** Estimator options for parameters modelled jointly. */
  private readonly jointParzen: ParzenEstimatorOptions;
  private readonly intersection = new IntersectionSearchSpace({ includePruned: true });
  private readonly groups = new GroupDecomposedSearchSpace({ includePruned: true });
  /** Group decomposition computed by `inferRelativeSearchSpace`, for `sampleRelative` of the same trial. */
  private lastGroups: { study: StudyView; trialNumber: number; groups: Record<string, Distribution>[] } | null = null;
  /** The ranking, computed once per trial and reused for each parameter sampled on its own. */
  private lastRanking: { study: StudyView; trialNumber: number; nTrials: number; ranked: RankedTrials } | null = null;
  /** Start-up trials after the first come from a scrambled Sobol sequence over the first trial's space. */
  private readonly startup: QMCSampler;
  private candidates: Float64Array[] = [];
  private logL = new Float64Array(0);
  private logG = new Float64Array(0);

  constructor(options: TPESamplerOptions = {}) {
    checkOptionKeys("TPESampler", options, OPTION_KEYS);
    this.rng = new Rng(checkSeed("TPESampler", options.seed));
    this.startup = new QMCSampler({ seed: this.rng.seed() });
    this.nStartupTrials = nonNegativeInteger("nStartupTrials", options.nStartupTrials ?? 10);
    this.nEiCandidates = nonNegativeInteger("nEiCandidates", options.nEiCandidates ?? 12);
    if (this.nEiCandidates < 1) throw new ValueError(`TPESampler: nEiCandidates must be at least 1, got ${this.nEiCandidates}.`);
    this.gamma = checkFunction("gamma", options.gamma ?? defaultGamma);
    const priorWeight = options.priorWeight ?? 1;
    if (typeof priorWeight !== "number" || !(priorWeight > 0) || !Number.isFinite(priorWeight)) {
      throw new ValueError(`TPESampler: priorWeight must be a positive number, got ${show(priorWeight)}.`);
    }
    this.multivariate = flag("multivariate", options.multivariate ?? false);
    this.group = flag("group", options.group ?? false);
    if (this.group && !this.multivariate) throw new ValueError("TPESampler: group: true needs multivariate: true as well.");
    this.constantLiar = flag("constantLiar", options.constantLiar ?? false);
    const floor = options.hypervolumeWeightFloor ?? 0.5;
    if (typeof floor !== "number" || !(floor >= 0 && floor <= 1)) {
      throw new ValueError(
        `TPESampler: hypervolumeWeightFloor must be a number from 0 to 1, got ${show(floor)}; 0 weighs good trials as Optuna 3.1 does.`,
      );
    }
    this.hypervolumeWeightFloor = floor;
    const weights = checkFunction("weights", options.weights ?? defaultWeights);
    const magicClipExponent = options.magicClipExponent ?? 1.25;
    if (typeof magicClipExponent !== "number" || !(magicClipExponent > 0)) {
      throw new ValueError(`TPESampler: magicClipExponent must be a positive number, got ${show(magicClipExponent)}.`);
    }
    this.parzen = {
      considerPrior: flag("considerPrior", options.considerPrior ?? true),
      priorWeight,
      considerMagicClip: flag("considerMagicClip", options.considerMagicClip ?? true),
      magicClipExponent,
      considerEndpoints: flag("considerEndpoints", options.considerEndpoints ?? false),
      bandwidth: "neighbours",
      // Optuna's weights need no checking; a user's function is checked on every call.
      weights: weights === defaultWeights ? defaultWeights : (n) => checkedWeights(weights, n),
    };
    const jointBandwidth = options.jointBandwidth ?? "neighbours";
    if (jointBandwidth !== "neighbours" && jointBandwidth !== "optuna") {
      throw new ValueError(`TPESampler: jointBandwidth must be "neighbours" or "optuna", got ${show(jointBandwidth)}.`);
    }
    this.jointParzen = jointBandwidth === "optuna" ? { ...this.parzen, bandwidth: "shared" } : this.parzen;
  }

  inferRelativeSearchSpace(study: StudyView, trial: TrialRecord): Record<string, Distribution> {
    if (study.trials(["COMPLETE", "PRUNED"]).length < this.nStartupTrials) return this.startup.inferRelativeSearchSpace(study);
    if (!this.multivariate) return {};
    const space: Record<string, Distribution> = {};
    if (this.group) {
      const groups = this.groups.calculate(study);
      this.lastGroups = { study, trialNumber: trial.number, groups };
      for (const group of groups) for (const [name, d] of Object.entries(group)) if (!d.isSingle()) space[name] = d;
      return space;
    }
    for (const [name, d] of Object.entries(this.intersection.calculate(study))) if (!d.isSingle()) space[name] = d;
    return space;
  }

  sampleRelative(study: StudyView, trial: TrialRecord, searchSpace: Record<string, Distribution>): InternalParams {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const ranked = this.ranking(study, trial);
    if (ranked.nFinished < this.nStartupTrials) return this.startup.sampleRelative(study, trial, searchSpace);
    if (!this.group)
      return this.sampleJointly(
        ranked,
        names,
        names.map((name) => searchSpace[name]),
      );
    const groups =
      this.lastGroups !== null && this.lastGroups.study === study && this.lastGroups.trialNumber === trial.number
        ? this.lastGroups.groups
        : this.groups.calculate(study);
    const params: InternalParams = {};
    for (const group of groups) {
      const inGroup = Object.keys(group).filter((name) => name in searchSpace);
      if (inGroup.length === 0) continue;
      Object.assign(
        params,
        this.sampleJointly(
          ranked,
          inGroup,
          inGroup.map((name) => searchSpace[name]),
        ),
      );
    }
    return params;
  }

  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number {
    if (distribution.isSingle()) return fromUnit(distribution, 0.5);
    const ranked = this.ranking(study, trial);
    if (ranked.nFinished < this.nStartupTrials) return fromUnit(distribution, this.rng.random());
    return this.sampleJointly(ranked, [name], [distribution])[name];
  }

  private ranking(study: StudyView, trial: TrialRecord): RankedTrials {
    const nTrials = study.trials().length;
    const last = this.lastRanking;
    if (last !== null && last.study === study && last.trialNumber === trial.number && last.nTrials === nTrials) return last.ranked;
    const ranked = rankTrials(study, trial, this.constantLiar);
    this.lastRanking = { study, trialNumber: trial.number, nTrials, ranked };
    return ranked;
  }

  /** Fit l and g over `names` and return the best of the candidates drawn from l. */
  private sampleJointly(ranked: RankedTrials, names: string[], space: Distribution[]): InternalParams {
    const options = names.length > 1 || this.multivariate ? this.jointParzen : this.parzen;
    const { below, above, belowWeights } = splitObservations(ranked, names, space, this.gamma, this.hypervolumeWeightFloor);
    // With several objectives the good trials weigh by their hypervolume contribution.
    const lOptions = belowWeights === null ? options : { ...options, weights: () => belowWeights };
    const l = new ParzenEstimator(space, below.columns, below.count, lOptions);
    const g = new ParzenEstimator(space, above.columns, above.count, options);
    const count = this.nEiCandidates;
    this.ensureBuffers(names.length, count);
    l.sample(this.rng, count, this.candidates);
    l.logPdf(this.candidates, count, this.logL);
    g.logPdf(this.candidates, count, this.logG);
    let best = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < count; i++) {
      const score = this.logL[i] - this.logG[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    const params: InternalParams = {};
    names.forEach((name, j) => {
      params[name] = this.candidates[j][best];
    });
    return params;
  }

  private ensureBuffers(dims: number, count: number): void {
    while (this.candidates.length < dims) this.candidates.push(new Float64Array(count));
    for (let j = 0; j < dims; j++) if (this.candidates[j].length < count) this.candidates[j] = new Float64Array(count);
    if (this.logL.length < count) {
      this.logL = new Float64Array(count);
      this.logG = new Float64Array(count);
    }
  }
}

function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`TPESampler: ${name} must be a non-negative integer, got ${show(value)}.`);
  }
  return value;
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ValueError(`TPESampler: ${name} must be true or false, got ${show(value)}.`);
  return value;
}

function checkFunction<T extends (n: number) => unknown>(name: string, value: T): T {
  if (typeof value !== "function")
    throw new ValueError(`TPESampler: ${name} must be a function of the number of trials, got ${show(value)}.`);
  return value;
}

function checkedWeights(weights: (n: number) => ArrayLike<number>, n: number): ArrayLike<number> {
  const w = weights(n);
  if (w.length < n) throw new ValueError(`TPESampler: weights(${n}) returned ${w.length} values; it must return one per observation.`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i]))
      throw new ValueError(`TPESampler: weights(${n}) returned ${show(w[i])} at ${i}; weights must be finite and non-negative.`);
    total += w[i];
  }
  if (n > 0 && total <= 0) throw new ValueError(`TPESampler: weights(${n}) are all zero; at least one must be positive.`);
  return w;
}
