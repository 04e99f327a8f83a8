import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import type { TrialRecord } from "../../../core/records.js";
import { checkSeed, Rng } from "../../../core/rng.js";
import type { Distribution } from "../../distributions.js";
import { SobolSequence } from "../qmc.js";
import { RandomSampler } from "../random.js";
import type { InternalParams, Sampler, StudyView } from "../sampler.js";
import { IntersectionSearchSpace, internalParam } from "../search-space.js";
import { SOBOL_MAX_DIMENSION } from "../sobol-directions.js";
import { ACQUISITION_NAMES, type AcquisitionName, createAcquisition } from "./acquisition.js";
import { sobolDesign } from "./design.js";
import { FeatureSpace } from "./features.js";
import { fitKernelParams } from "./fit.js";
import { GaussianProcess, type KernelParams } from "./model.js";
import { optimizeAcquisition } from "./optimize-acquisition.js";

export type { AcquisitionName } from "./acquisition.js";

export interface GPSamplerOptions {
  /** Seed of the sampler's random stream (default: a random seed, not repeatable). */
  seed?: number;
  /** Completed trials before the model is used; until then points come from a space-filling design (default 10). */
  nStartupTrials?: number;
  /** "logEI" (log expected improvement), "UCB" (upper confidence bound) or "PI" (log probability of improvement) (default "logEI"). */
  acquisition?: AcquisitionName;
  /** UCB's exploration weight β in μ + √β·σ (default 2). */
  beta?: number;
  /** Samples parameters outside the joint space (conditional ones, and the very first trial) (default: random search with the same seed). */
  independentSampler?: Sampler;
  /** The objective returns the same value for the same parameters: fix the noise at its floor (default false). */
  deterministicObjective?: boolean;
  /**
   * Most completed trials the model is fitted on (default 200): beyond it, the best half
   * and the most recent rest. Bounds the cost per suggestion, which grows with the cube
   * of this number.
   */
  maxTrainingTrials?: number;
}

const OPTION_KEYS = [
  "seed",
  "nStartupTrials",
  "acquisition",
  "beta",
  "independentSampler",
  "deterministicObjective",
  "maxTrainingTrials",
] as const;

/** The noise variance never goes below this, on standardised values; keeps K well conditioned. */
const MINIMUM_NOISE = 1e-6;

interface StudyState {
  /** Key of the space the warm start was fitted on. */
  spaceKey: string;
  warmStart: Float64Array | null;
  /** The last fitted hyperparameters, and how many trials had completed then. */
  fitted: { params: KernelParams; n: number } | null;
  features: FeatureSpace;
  /** The start-up design's sequence over this space. */
  design: SobolSequence | null;
  /** Points this sampler suggested to trials that may still be running, by trial id. */
  proposed: Map<number, InternalParams>;
}

/**
 * Gaussian-process Bayesian optimisation (in the manner of Optuna's GPSampler).
 *
 * Parameters that every completed trial shares are modelled jointly: inputs mapped to
 * the unit cube (log parameters in log space, categorical ones one-hot), objective
 * values standardised, a Matérn-5/2 kernel with one lengthscale per parameter fitted
 * by maximum a posteriori, and the next point chosen by maximising the acquisition
 * (log expected improvement by default) over quasi-random candidates refined by local
 * search. Trials still running are conditioned on as fantasies at the posterior mean,
 * so parallel workers spread out.
 *
 * Budget: meant for up to a few hundred trials in small spaces (up to about 20
 * parameters). The model is fitted on at most `maxTrainingTrials` trials, so the cost
 * per suggestion stops growing there; see the README for measured times.
 */
export class GPSampler implements Sampler {
  readonly name = "gp";
  private readonly rng: Rng;
  private readonly designSeed: number;
  private readonly nStartupTrials: number;
  private readonly acquisition: AcquisitionName;
  private readonly beta: number;
  private readonly independentSampler: Sampler;
  private readonly deterministic: boolean;
  private readonly maxTrainingTrials: number;
  private readonly searchSpace = new IntersectionSearchSpace();
  private readonly studies = new Map<string, StudyState>();

  constructor(options: GPSamplerOptions = {}) {
    checkOptionKeys("GPSampler", options, OPTION_KEYS);
    const { seed, nStartupTrials = 10, acquisition = "logEI", beta = 2, deterministicObjective = false, maxTrainingTrials = 200 } = options;
    if (!Number.isInteger(nStartupTrials) || nStartupTrials < 0) {
      throw new ValueError(`GPSampler: nStartupTrials must be a non-negative integer, got ${show(nStartupTrials)}.`);
    }
    if (!ACQUISITION_NAMES.includes(acquisition)) {
      throw new ValueError(
        `GPSampler: acquisition must be one of ${ACQUISITION_NAMES.map((a) => show(a)).join(", ")}, got ${show(acquisition)}.`,
      );
    }
    if (typeof beta !== "number" || !(beta > 0) || !Number.isFinite(beta)) {
      throw new ValueError(`GPSampler: beta must be a positive number, got ${show(beta)}.`);
    }
    if (typeof deterministicObjective !== "boolean") {
      throw new ValueError(`GPSampler: deterministicObjective must be true or false, got ${show(deterministicObjective)}.`);
    }
    if (!Number.isInteger(maxTrainingTrials) || maxTrainingTrials < 2) {
      throw new ValueError(`GPSampler: maxTrainingTrials must be an integer of at least 2, got ${show(maxTrainingTrials)}.`);
    }
    if (options.independentSampler !== undefined && typeof options.independentSampler?.sampleIndependent !== "function") {
      throw new ValueError(`GPSampler: independentSampler must be a Sampler, got ${show(options.independentSampler)}.`);
    }
    this.rng = new Rng(checkSeed("GPSampler", seed));
    this.designSeed = this.rng.seed();
    this.nStartupTrials = nStartupTrials;
    this.acquisition = acquisition;
    this.beta = beta;
    this.deterministic = deterministicObjective;
    this.maxTrainingTrials = maxTrainingTrials;
    this.independentSampler = options.independentSampler ?? new RandomSampler({ seed: this.rng.seed() });
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    const space: Record<string, Distribution> = {};
    for (const [name, distribution] of Object.entries(this.searchSpace.calculate(study))) {
      if (!distribution.isSingle()) space[name] = distribution;
    }
    return space;
  }

  sampleRelative(study: StudyView, trial: TrialRecord, space: Record<string, Distribution>): InternalParams {
    const names = Object.keys(space);
    if (names.length === 0) return {};
    const state = this.stateFor(study, space);
    const completed = study
      .trials(["COMPLETE"])
      .filter((t) => t.value !== null && names.every((name) => internalParam(t, name, space[name]) !== null));
    const params =
      completed.length < this.nStartupTrials ? this.designPoint(state, trial) : this.modelPoint(study, trial, space, state, completed);
    state.proposed.set(trial.trialId, params);
    return params;
  }

  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number {
    return this.independentSampler.sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(study: StudyView, trial: TrialRecord, state: TrialRecord["state"], values: readonly number[] | null): void {
    this.studies.get(studyKey(study))?.proposed.delete(trial.trialId);
    this.independentSampler.afterTrial?.(study, trial, state, values);
  }

  private stateFor(study: StudyView, space: Record<string, Distribution>): StudyState {
    const spaceKey = JSON.stringify(Object.entries(space).map(([name, d]) => [name, d.toJson()]));
    let state = this.studies.get(studyKey(study));
    if (state === undefined || state.spaceKey !== spaceKey) {
      state = {
        spaceKey,
        warmStart: null,
        fitted: null,
        design: null,
        features: new FeatureSpace(space),
        proposed: state?.proposed ?? new Map(),
      };
      this.studies.set(studyKey(study), state);
    }
    return state;
  }

  /**
   * A point of the start-up design: point `trial.number` of a scrambled Sobol sequence
   * fixed by the seed, so the start-up trials cover the space evenly and workers sharing
   * a seed never repeat each other's points.
   */
  private designPoint(state: StudyState, trial: TrialRecord): InternalParams {
    const { features } = state;
    const dims = features.params.length;
    const unit = new Float64Array(dims);
    if (dims <= SOBOL_MAX_DIMENSION) {
      state.design ??= new SobolSequence(dims, { seed: this.designSeed });
      state.design.point(trial.number, unit);
    } else {
      for (let i = 0; i < dims; i++) unit[i] = this.rng.random();
    }
    const x = new Float64Array(features.dim);
    features.fromUnitPoint(unit, x);
    return features.decode(x);
  }

  private modelPoint(
    study: StudyView,
    trial: TrialRecord,
    space: Record<string, Distribution>,
    state: StudyState,
    completed: readonly TrialRecord[],
  ): InternalParams {
    const { features } = state;
    const training = selectTrainingTrials(completed, study.direction, this.maxTrainingTrials);
    const n = training.length;
    const x = new Float64Array(n * features.dim);
    training.forEach((t, i) => {
      features.encode(internalParams(t, space)!, x, i * features.dim);
    });
    const y = standardize(training.map((t) => (study.direction === "minimize" ? -t.value! : t.value!)));

    if (state.fitted === null || needsRefit(completed.length, state.fitted.n)) {
      const fit = fitKernelParams(x, y, features.dim, features.paramOfColumn, features.params.length, {
        deterministic: this.deterministic,
        minimumNoise: MINIMUM_NOISE,
        warmStart: state.warmStart,
        rng: this.rng,
      });
      state.warmStart = fit.raw;
      state.fitted = { params: fit.params, n: completed.length };
    }
    const kernelParams = state.fitted.params;
    let gp = new GaussianProcess(x, y, features.dim, features.paramOfColumn, kernelParams);

    const pending = this.pendingPoints(study, trial, space, state);
    // The incumbent is the best posterior mean at an observed point, not the best
    // observation: when the fit attributes part of the data to noise, a lucky value is
    // not a bar the model can ever expect to clear, and EI would then chase variance
    // alone (far corners). Means at the data are K_f·α = y − σ²·α.
    const means = y.map((v, i) => v - kernelParams.noiseVariance * gp.alpha[i]);
    let best = 0;
    for (let i = 1; i < n; i++) if (means[i] > means[best]) best = i;
    const threshold = means[best];
    if (pending.length > 0) gp = gp.withFantasies(pending, threshold);

    const acquisition = createAcquisition(this.acquisition, gp, { threshold, beta: this.beta });
    const optimum = optimizeAcquisition(acquisition, features, {
      rng: this.rng,
      design: sobolDesign(this.rng),
      candidates: candidateCount(gp.n),
      warmStarts: [x.slice(best * features.dim, (best + 1) * features.dim)],
      inverseSquaredLengthscales: kernelParams.inverseSquaredLengthscales,
    });
    return features.decode(optimum.point);
  }

  /** Features of other running trials: their suggested values, or what this sampler proposed to them. */
  private pendingPoints(study: StudyView, trial: TrialRecord, space: Record<string, Distribution>, state: StudyState): Float64Array {
    const running = new Set<number>();
    const rows: InternalParams[] = [];
    for (const t of study.trials(["RUNNING"])) {
      running.add(t.trialId);
      if (t.trialId === trial.trialId) continue;
      const params = internalParams(t, space, state.proposed.get(t.trialId));
      if (params !== null) rows.push(params);
    }
    for (const id of state.proposed.keys()) if (!running.has(id) && id !== trial.trialId) state.proposed.delete(id);
    const out = new Float64Array(rows.length * state.features.dim);
    rows.forEach((params, i) => {
      state.features.encode(params, out, i * state.features.dim);
    });
    return out;
  }
}

/** One sampler may serve several studies, even of several storages. */
function studyKey(study: StudyView): string {
  return `${study.studyId}\u0000${study.name}`;
}

/** The trial's values of `space` in internal form, filled from `fallback` where it has none yet; null if incomplete. */
function internalParams(trial: TrialRecord, space: Record<string, Distribution>, fallback?: InternalParams): InternalParams | null {
  const result: InternalParams = {};
  for (const [name, distribution] of Object.entries(space)) {
    const value = internalParam(trial, name, distribution) ?? fallback?.[name] ?? null;
    if (value === null) return null;
    result[name] = value;
  }
  return result;
}

/**
 * Whether to fit the kernel again with n completed trials, last fitted with `fittedOn`:
 * every time up to 100, then once the data grew by 5% (every 10 trials at 200). One new
 * point barely moves the hyperparameters, and each fit costs O(n³) per iteration.
 */
export function needsRefit(n: number, fittedOn: number): boolean {
  return n <= 100 || (n !== fittedOn && Math.abs(n - fittedOn) >= 0.05 * fittedOn);
}

/**
 * Candidates scored per suggestion: 2048 up to 100 training points, then fewer (scoring
 * one costs O(n²)), never below 256; local search from the best ones makes up for it.
 */
export function candidateCount(n: number): number {
  return Math.max(256, Math.min(2048, Math.floor(2048 * (100 / Math.max(n, 1)) ** 2)));
}

/** At most `limit` trials: all of them, or the best half and then the most recent. */
export function selectTrainingTrials(
  trials: readonly TrialRecord[],
  direction: StudyView["direction"],
  limit: number,
): readonly TrialRecord[] {
  if (trials.length <= limit) return trials;
  const sign = direction === "minimize" ? 1 : -1;
  const byValue = [...trials].sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number);
  const chosen = new Set(byValue.slice(0, Math.floor(limit / 2)));
  for (let i = trials.length - 1; chosen.size < limit; i--) chosen.add(trials[i]);
  return trials.filter((t) => chosen.has(t));
}

/** (v − mean)/std, with infinite values clipped to the finite extremes first. */
export function standardize(values: readonly number[]): Float64Array {
  const finite = values.filter(Number.isFinite);
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const high = finite.length > 0 ? Math.max(...finite) : 0;
  const clipped = values.map((v) => Math.min(high, Math.max(low, Number.isNaN(v) ? low : v)));
  const mean = clipped.reduce((a, b) => a + b, 0) / clipped.length;
  const variance = clipped.reduce((a, b) => a + (b - mean) ** 2, 0) / clipped.length;
  const std = Math.max(Math.sqrt(variance), 1e-10);
  return Float64Array.from(clipped, (v) => (v - mean) / std);
}
