import { crowdingDistance } from "../../../core/math/pareto.js";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { constrainedFronts, ranked } from "./dominance.js";
import { GeneticSampler, type GeneticSamplerOptions } from "./genetic-sampler.js";

export type NSGAIISamplerOptions = GeneticSamplerOptions;

/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan 2002), a port of Optuna 3.1's
 * `NSGAIISampler` with the same options and defaults. Generation 0 is `populationSize`
 * random trials; each later trial is a child of the previous generation's elite: two
 * parents (three for UNDX and SPX) each won by a binary tournament under constrained
 * dominance, crossed with probability `crossoverProb` (else one parent copied), then
 * each parameter redrawn at random with probability `mutationProb`. The elite of a
 * generation is the best `populationSize` of it and its parents by non-dominated rank,
 * the last front cut by crowding distance.
 *
 * Each trial's generation is in its system attribute `nsga2:generation`, as Optuna
 * writes it, so either can continue a study the other started. With several workers,
 * a generation's trials that are still running are simply not parents, and a generation
 * may end with more than `populationSize` trials. Constraints (`createStudy({ constraints })`,
 * `trial.setConstraint`) are honoured through constrained dominance (see dominance.ts).
 * Works with one objective too, as Optuna's does.
 */
export class NSGAIISampler extends GeneticSampler {
  constructor(options: NSGAIISamplerOptions = {}) {
    super(
      "nsga2",
      "NSGAIISampler",
      options,
      [],
      (populationSize) => (population, directions) => crowdingElite(population, directions, populationSize),
    );
  }
}

/**
 * Optuna 3.1's `_select_elite_population`: whole fronts while they fit, then the members
 * of the front that does not fit with the largest crowding distance (ties: the earlier in
 * `population`, which lists the newer generation first).
 */
export function crowdingElite(population: readonly TrialRecord[], directions: readonly StudyDirection[], size: number): TrialRecord[] {
  const ranks = population.map((t) => ranked(t, directions));
  const elite: TrialRecord[] = [];
  for (const front of constrainedFronts(ranks)) {
    if (elite.length + front.length < size) {
      for (const i of front) elite.push(population[i]);
      continue;
    }
    const distances = crowdingDistance(
      ranks.map((r) => r.point),
      front,
    );
    const order = front.map((_, k) => k).sort((a, b) => distances[b] - distances[a] || front[a] - front[b]);
    for (const k of order.slice(0, size - elite.length)) elite.push(population[front[k]]);
    break;
  }
  return elite;
}
