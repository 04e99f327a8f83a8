import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import { constraintValues, isFeasible, violation } from "../../../core/feasibility.js";
import type { TrialRecord } from "../../../core/records.js";
import { checkSeed, Rng } from "../../../core/rng.js";
import type { Distribution } from "../../distributions.js";
import { SobolSequence } from "../qmc.js";
import { RandomSampler } from "../random.js";
import type { InternalParams, Sampler, StudyView } from "../sampler.js";
import { IntersectionSearchSpace, internalParam } from "../search-space.js";
import { SOBOL_MAX_DIMENSION } from "../sobol-directions.js";
import { ACQUISITION_NAMES, type AcquisitionName } from "./acquisition.js";
import { multiObjectivePlan, singleObjectivePlan } from "./acquisition-plan.js";
import { sobolDesign } from "./design.js";
import { FeatureSpace } from "./features.js";
import { optimizeAcquisition } from "./optimize-acquisition.js";
import { constraintModels, type FitSettings, fittedModel, type ModelMemory } from "./surrogates.js";
import { selectRankedTrainingTrials, selectTrainingTrials, standardize } from "./training.js";

export type { AcquisitionName } from "./acquisition.js";
export { needsRefit } from "./surrogates.js";
export { selectTrainingTrials, standardize } from "./training.js";

export interface GPSamplerOptions {
  /** Seed of the sampler's random stream (default: a random seed, not repeatable). */
  seed?: number;
  /** Completed trials before the model is used; until then points come from a space-filling design (default 10). */
  nStartupTrials?: number;
  /**
   * With one objective: "logEI" (log expected improvement), "UCB" (upper confidence bound)
   * or "PI" (log probability of improvement) (default "logEI"). Several objectives always
   * use log expected hypervolume improvement.
   */
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
  /** Key of the space the models were fitted on. */
  spaceKey: string;
  /** Each model's last fit, by name ("objective 0", "constraint 1"). */
  models: Map<string, ModelMemory>;
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
 * Several objectives: one GP per objective, and log expected hypervolume improvement,
 * exact (ehvi.ts). Constraints (a trial's `constraints`, feasible when all ≤ 0): one GP
 * per constraint, and the acquisition multiplied by the probability that all hold; while
 * no trial is feasible, that probability alone is maximised (constrained.ts).
 *
 * Budget: meant for up to a few hundred trials in small spaces (up to about 20
 * parameters). The model is fitted on at most `maxTrainingTrials` trials, so the cost
 * per suggestion stops growing there; see the README for measured times. Each objective
 * and constraint adds a model, and log EHVI's cost grows with the Pareto front: gently up
 * to four objectives (2n + 1 boxes for n front points with three, about 6n with four on
 * typical fronts), steeply beyond.
 */
export class GPSampler implements Sampler {
  readonly name = "gp";
  readonly multiObjective = true;
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
    const objectives = study.directions.length;
    const completed = study
      .trials(["COMPLETE"])
      .filter((t) => t.values?.length === objectives && names.every((name) => internalParam(t, name, space[name]) !== null));
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
        models: new Map(),
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
    const { directions } = study;
    const constrained = completed.some((t) => constraintValues(t) !== null);
    const training =
      directions.length === 1 && !constrained
        ? selectTrainingTrials(completed, study.direction, this.maxTrainingTrials)
        : selectRankedTrainingTrials(completed, directions, this.maxTrainingTrials);
    const x = new Float64Array(training.length * features.dim);
    training.forEach((t, i) => {
      features.encode(internalParams(t, space)!, x, i * features.dim);
    });
    const settings: FitSettings = { deterministic: this.deterministic, minimumNoise: MINIMUM_NOISE, rng: this.rng };
    const memoryOf = (name: string) => getOrCreate(state.models, name);
    const objectives = directions.map((direction, j) => {
      const y = standardize(training.map((t) => (direction === "minimize" ? -t.values![j] : t.values![j])));
      return fittedModel(memoryOf(`objective ${j}`), x, y, features, completed.length, settings);
    });
    const constraints = constrained ? constraintModels(training, x, features, memoryOf, completed.length, settings) : [];
    const inputs = {
      objectives,
      constraints,
      x,
      dim: features.dim,
      feasible: training.map((t) => !constrained || isFeasible(t)),
      violations: training.map((t) => (constrained ? violation(t) : 0)),
      pending: this.pendingPoints(study, trial, space, state),
      acquisition: this.acquisition,
      beta: this.beta,
    };
    const plan = directions.length === 1 ? singleObjectivePlan(inputs) : multiObjectivePlan(inputs);
    const optimum = optimizeAcquisition(plan.acquisition, features, {
      rng: this.rng,
      design: sobolDesign(this.rng),
      candidates: candidateCount(plan.size),
      warmStarts: plan.warmStarts,
      inverseSquaredLengthscales: plan.inverseSquaredLengthscales,
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
export function internalParams(trial: TrialRecord, space: Record<string, Distribution>, fallback?: InternalParams): InternalParams | null {
  const result: InternalParams = {};
  for (const [name, distribution] of Object.entries(space)) {
    const value = internalParam(trial, name, distribution) ?? fallback?.[name] ?? null;
    if (value === null) return null;
    result[name] = value;
  }
  return result;
}

/**
 * Candidates scored per suggestion: 2048 up to 100 training points, then fewer (scoring
 * one costs O(n²)), never below 256; local search from the best ones makes up for it.
 */
export function candidateCount(n: number): number {
  return Math.max(256, Math.min(2048, Math.floor(2048 * (100 / Math.max(n, 1)) ** 2)));
}

function getOrCreate(models: Map<string, ModelMemory>, name: string): ModelMemory {
  let memory = models.get(name);
  if (memory === undefined) {
    memory = { warmStart: null, fitted: null };
    models.set(name, memory);
  }
  return memory;
}
