/**
 * What NSGA-II and NSGA-III share, ported from Optuna 3.1's NSGAIISampler: generations
 * recorded on the trials, children made by tournament selection, crossover and mutation,
 * random sampling for the first generation, for mutated parameters and for parameters
 * outside the space every trial shares. They differ only in how a generation's elite is
 * chosen (`EliteSelection`).
 */
import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import type { StudyDirection, TrialRecord, TrialState } from "../../../core/records.js";
import { checkSeed, Rng } from "../../../core/rng.js";
import type { Distribution } from "../../distributions.js";
import { RandomSampler } from "../random.js";
import type { InternalParams, Sampler, StudyView } from "../sampler.js";
import { IntersectionSearchSpace, internalParam } from "../search-space.js";
import { type Crossover, type CrossoverName, checkProbability, resolveCrossover } from "./crossovers.js";
import { constrainedDominates, type Ranked, ranked } from "./dominance.js";
import { type EliteSelection, Generations, type ParentPopulation, recordOnTrial } from "./generations.js";
import { type NumericDistribution, NumericSpace } from "./numeric-space.js";

export interface GeneticSamplerOptions {
  /** Trials per generation (default 50); at least the crossover's number of parents. */
  populationSize?: number;
  /** Chance that each parameter of a child is drawn at random instead (default null: 1 / its number of parameters). */
  mutationProb?: number | null;
  /**
   * How a child's numeric parameters are made from its parents (default "uniform"):
   * "uniform", "blxalpha", "sbx", "vsbx" (two parents), "undx", "spx" (three), each with
   * Optuna's defaults, or an instance such as `new SBXCrossover({ eta: 10 })` to set
   * them. Categorical parameters always get the uniform crossover.
   */
  crossover?: CrossoverName | Crossover;
  /** Chance that a child is a crossover of parents rather than a copy of one parent (default 0.9). */
  crossoverProb?: number;
  /** In a uniform crossover, each parameter's chance of coming from the first parent rather than the second (default 0.5). */
  swappingProb?: number;
  /** Seed of the sampler's random streams (default: a random seed, not repeatable). */
  seed?: number;
}

export const GENETIC_OPTION_KEYS = ["populationSize", "mutationProb", "crossover", "crossoverProb", "swappingProb", "seed"] as const;

/** Optuna retries a child outside the space for ever; after this many draws, the last one is clipped into it. */
const MAX_CROSSOVER_DRAWS = 1000;

export class GeneticSampler implements Sampler {
  readonly multiObjective = true;
  readonly populationSize: number;
  readonly mutationProb: number | null;
  readonly crossover: Crossover;
  readonly crossoverProb: number;
  readonly swappingProb: number;
  private readonly rng: Rng;
  private readonly random: RandomSampler;
  private readonly searchSpace = new IntersectionSearchSpace();
  private readonly generations: Generations;
  /** The parents each trial being started drew, from `inferRelativeSearchSpace` to `sampleRelative`. */
  private readonly pending = new Map<number, ParentPopulation>();

  constructor(
    /** Also the prefix of the system attributes, e.g. "nsga2" → `nsga2:generation`. */
    readonly name: string,
    where: string,
    options: GeneticSamplerOptions,
    extraKeys: readonly string[],
    /** Builds the elite selection, given a seed for any randomness it needs. */
    eliteSelection: (populationSize: number, seed: number) => EliteSelection,
  ) {
    checkOptionKeys(where, options, [...GENETIC_OPTION_KEYS, ...extraKeys]);
    const { populationSize = 50, mutationProb = null, crossoverProb = 0.9, swappingProb = 0.5 } = options;
    if (typeof populationSize !== "number" || !Number.isInteger(populationSize) || populationSize < 2) {
      throw new ValueError(`${where}: populationSize must be an integer of at least 2, got ${show(populationSize)}.`);
    }
    this.populationSize = populationSize;
    this.mutationProb = mutationProb === null ? null : checkProbability(where, "mutationProb", mutationProb);
    this.crossoverProb = checkProbability(where, "crossoverProb", crossoverProb);
    this.swappingProb = checkProbability(where, "swappingProb", swappingProb);
    this.crossover = resolveCrossover(where, options.crossover ?? "uniform", this.swappingProb);
    if (populationSize < this.crossover.parents) {
      throw new ValueError(
        `${where}: the ${this.crossover.name} crossover needs ${this.crossover.parents} parents, so populationSize must be at least ${this.crossover.parents}, got ${populationSize}.`,
      );
    }
    const root = new Rng(checkSeed(where, options.seed));
    this.rng = root.fork();
    this.random = new RandomSampler({ seed: root.seed() });
    this.generations = new Generations(`${name}:generation`, populationSize, eliteSelection(populationSize, root.seed()));
  }

  /**
   * Also where the trial's generation is decided and recorded: the engine calls this for
   * every trial, `sampleRelative` only when the space is not empty, and Optuna gives the
   * very first trial its generation too.
   */
  inferRelativeSearchSpace(study: StudyView, trial: TrialRecord): Record<string, Distribution> {
    const parents = this.generations.parentPopulation(study);
    recordOnTrial(study, trial, this.generations.key, parents.generation + 1);
    if (parents.generation < 0) return {}; // generation 0 is drawn at random
    this.pending.set(trial.trialId, parents);
    const space: Record<string, Distribution> = {};
    for (const [name, distribution] of Object.entries(this.searchSpace.calculate(study))) {
      // Optuna leaves single values to independent sampling too.
      if (!distribution.isSingle()) space[name] = distribution;
    }
    return space;
  }

  sampleRelative(study: StudyView, trial: TrialRecord, space: Record<string, Distribution>): InternalParams {
    const parents = this.pending.get(trial.trialId) ?? this.generations.parentPopulation(study);
    this.pending.delete(trial.trialId);
    if (parents.generation < 0 || parents.parents.length === 0) return {};
    // Parameters every parent has (all of them, unless a parent was added by hand with other values).
    const names = Object.keys(space).filter((name) => parents.parents.every((p) => internalParam(p, name, space[name]) !== null));
    const population = parents.parents.map((p) => ranked(p, study.directions));
    const child =
      this.rng.random() < this.crossoverProb
        ? this.crossed(population, names, space, study.directions)
        : valuesOf(population[this.rng.integer(0, population.length - 1)].trial, names, space);
    const mutationProb = this.mutationProb ?? 1 / Math.max(1, names.length);
    const params: InternalParams = {};
    for (const name of names) if (this.rng.random() >= mutationProb) params[name] = child[name];
    return params;
  }

  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number {
    return this.random.sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(_study: StudyView, trial: TrialRecord, _state: TrialState, _values: readonly number[] | null): void {
    this.pending.delete(trial.trialId);
  }

  /** Optuna's `perform_crossover`: parents by tournament, categoricals swapped uniformly, numerics by the crossover; drawn again while outside the space. */
  private crossed(
    population: readonly Ranked[],
    names: readonly string[],
    space: Record<string, Distribution>,
    directions: readonly StudyDirection[],
  ): InternalParams {
    const categorical = names.filter((name) => space[name].kind === "categorical");
    const numeric = names.filter((name) => space[name].kind !== "categorical");
    const numericSpace = new NumericSpace(numeric.map((name) => space[name] as NumericDistribution));
    for (let draw = 1; ; draw++) {
      const parents = this.selectParents(population).map((r) => valuesOf(r.trial, names, space));
      const child: InternalParams = {};
      // Optuna takes categoricals from the first or the last parent.
      for (const name of categorical)
        child[name] = (this.rng.random() >= this.swappingProb ? parents[parents.length - 1] : parents[0])[name];
      if (numeric.length === 0) return child;
      const vectors = parents.map((p) => numericSpace.toVector(numeric.map((name) => p[name])));
      const vector = this.crossover.cross(vectors, numericSpace.bounds, this.rng, { objectives: directions.length });
      const values = numericSpace.fromVector(vector) ?? (draw >= MAX_CROSSOVER_DRAWS ? numericSpace.clipped(vector) : null);
      if (values === null) continue;
      numeric.forEach((name, i) => {
        child[name] = values[i];
      });
      return child;
    }
  }

  /** As many parents as the crossover takes, each the better of two drawn at random (binary tournament), all different. */
  private selectParents(population: readonly Ranked[]): Ranked[] {
    const chosen: Ranked[] = [];
    for (let k = 0; k < this.crossover.parents; k++) {
      const pool = population.filter((r) => !chosen.includes(r));
      const first = pool[this.rng.integer(0, pool.length - 1)];
      const second = pool[this.rng.integer(0, pool.length - 1)];
      chosen.push(constrainedDominates(first, second) ? first : second);
    }
    return chosen;
  }
}

function valuesOf(trial: TrialRecord, names: readonly string[], space: Record<string, Distribution>): InternalParams {
  const values: InternalParams = {};
  for (const name of names) values[name] = internalParam(trial, name, space[name])!;
  return values;
}
