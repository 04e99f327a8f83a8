import { show, ValueError } from "../../../core/errors.js";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { constrainedFronts, ranked } from "./dominance.js";
import { GeneticSampler, type GeneticSamplerOptions } from "./genetic-sampler.js";
import { associate, dasDennisPoints, nicheSelect, normalisedObjectives } from "./reference-points.js";

export interface NSGAIIISamplerOptions extends GeneticSamplerOptions {
  /**
   * Points the population should spread around, one value per objective each, in the
   * normalised objective space where 0 is the best value seen and 1 about the worst on
   * the front; a point near an axis favours trials good in that objective (default:
   * Das–Dennis points on the unit simplex, see `dividingParameter`).
   */
  referencePoints?: readonly (readonly number[])[];
  /** Divisions of each axis for the default reference points (default 3: 10 points for 3 objectives, 15 for 4). */
  dividingParameter?: number;
}

/**
 * NSGA-III (Deb and Jain 2014), after Optuna's `NSGAIIISampler` (3.2 and later): NSGA-II
 * with another cut of the last front that does not fit in the elite: by reference points
 * rather than crowding distance, which keeps a population spread out with three or more
 * objectives, where crowding distance loses its grip. Generations, selection, crossovers
 * and mutation are NSGA-II's (see `NSGAIISampler`); each trial's generation is in its
 * system attribute `nsga3:generation`, as Optuna writes it.
 *
 * Unlike Optuna's, the niching normalises the values with maximised objectives turned
 * round (Optuna's uses them as they are), and the random choices of a generation's niching
 * are fixed by the seed and the generation, so every worker and a resumed study choose the
 * same elite.
 */
export class NSGAIIISampler extends GeneticSampler {
  readonly referencePoints: readonly (readonly number[])[] | null;
  readonly dividingParameter: number;

  constructor(options: NSGAIIISamplerOptions = {}) {
    const { dividingParameter = 3, referencePoints } = options;
    if (!Number.isInteger(dividingParameter) || dividingParameter < 1) {
      throw new ValueError(`NSGAIIISampler: dividingParameter must be a positive integer, got ${show(dividingParameter)}.`);
    }
    const given = referencePoints === undefined ? null : checkReferencePoints(referencePoints);
    super("nsga3", "NSGAIIISampler", options, ["referencePoints", "dividingParameter"], (populationSize, seed) => {
      const byObjectives = new Map<number, readonly (readonly number[])[]>();
      return (population, directions, generation) => {
        if (!byObjectives.has(directions.length)) {
          if (given && given[0].length !== directions.length) {
            throw new ValueError(
              `NSGAIIISampler: the reference points have ${given[0].length} values each but the study has ${directions.length} objectives; give one value per objective.`,
            );
          }
          byObjectives.set(directions.length, given ?? dasDennisPoints(directions.length, dividingParameter));
        }
        const rng = new Rng((seed + Math.imul(generation + 1, 0x9e3779b9)) >>> 0);
        return referencePointElite(population, directions, populationSize, byObjectives.get(directions.length)!, rng);
      };
    });
    this.referencePoints = given;
    this.dividingParameter = dividingParameter;
  }
}

/** Whole fronts while they fit, then the members of the front that does not fit chosen by niching (see reference-points.ts). */
export function referencePointElite(
  population: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  size: number,
  referencePoints: readonly (readonly number[])[],
  rng: Rng,
): TrialRecord[] {
  const ranks = population.map((t) => ranked(t, directions));
  const elite: number[] = [];
  for (const front of constrainedFronts(ranks)) {
    if (elite.length + front.length < size) {
      elite.push(...front);
      continue;
    }
    const normalised = normalisedObjectives([...elite, ...front].map((i) => ranks[i].point));
    const { nearest, distance } = associate(normalised, referencePoints);
    for (const k of nicheSelect(size - elite.length, elite.length, nearest, distance, rng)) elite.push(front[k]);
    break;
  }
  return elite.map((i) => population[i]);
}

function checkReferencePoints(points: unknown): number[][] {
  const valid =
    Array.isArray(points) &&
    points.length > 0 &&
    points.every(
      (p) =>
        Array.isArray(p) &&
        p.length === (points[0] as unknown[]).length &&
        p.length > 0 &&
        p.every((v) => typeof v === "number" && Number.isFinite(v)) &&
        p.some((v) => v !== 0),
    );
  if (!valid) {
    throw new ValueError(
      `NSGAIIISampler: referencePoints must be a non-empty array of points, each as many finite numbers as the study has objectives and not all 0, e.g. [[1, 0], [0.5, 0.5], [0, 1]]; got ${show(points)}.`,
    );
  }
  return (points as number[][]).map((p) => [...p]);
}
