/** The options of `nestedCrossValidate`, checked where they are given, before anything runs. */
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { checkName } from "../core/limits.js";
import { checkSeed, Rng } from "../core/rng.js";
import type { ClusteringScoring } from "../learn/clustering-scoring.js";
import type { Label } from "../learn/labels.js";
import { CLUSTERING_SCORER_NAMES, clusteringScorer } from "../learn/metrics/clustering.js";
import { scorer as findScorer, SCORER_NAMES, type Scorer, type ScorerName } from "../learn/metrics/index.js";
import type { Splitter } from "../learn/splitters/index.js";
import { type PrunerSpec, resolvePruner } from "../tune/pruners/index.js";
import type { Pruner } from "../tune/pruners/pruner.js";
import { resolveSampler, type SamplerSpec } from "../tune/samplers/registry.js";
import type { Sampler } from "../tune/samplers/sampler.js";
import type { StorageSpec } from "../tune/storage.js";

export interface NestedCrossValidateOptions {
  /**
   * The outer folds, which score the tuned configurations: a splitter, or a number k —
   * StratifiedKFold for a classifier, KFold otherwise (as `crossValidate`). Default 5.
   */
  outer?: Splitter | number;
  /**
   * The inner folds, which score each trial inside an outer training fold: a splitter or a
   * number, resolved as `outer` but over the outer training rows. Default 3.
   */
  inner?: Splitter | number;
  /** Trials per inner study (a grid sampler stops earlier once its points are spent). Required. */
  nTrials: number;
  /**
   * The inner studies' sampler: a name (built afresh for each outer fold, seeded from `seed`),
   * a function `(outerFold, seed) => Sampler` called once per outer fold, or one Sampler
   * used by every inner study (it keeps its own seed). Default: the default sampler.
   */
  sampler?: SamplerSpec | ((outerFold: number, seed: number | undefined) => Sampler);
  /**
   * Prunes inner trials on their fold scores (each fold is a step): a name (one pruner per
   * inner study) or a Pruner (shared). Default: none.
   */
  pruner?: PrunerSpec;
  /**
   * Makes the run repeatable: each outer fold's sampler is seeded with a number drawn from
   * it. Shuffled splitters and models keep their own seeds. Default: a random run.
   */
  seed?: number;
  /** A scorer as `crossValidate` takes it; the inner studies follow its direction. Default: as `crossValidate`. */
  scoring?: ScorerName | Scorer | ClusteringScoring;
  /**
   * Where the inner studies are written: a storage URL or instance. Default ":memory:" (kept
   * for this run only); give a file or database to review the run in the tracker.
   */
  storage?: StorageSpec;
  /** The experiment the inner studies belong to. Default: `name`. */
  experiment?: string;
  /** The run's name: the inner studies are `${name}/outer-1`, `${name}/outer-2`, ... Default: generated from the time. */
  name?: string;
  /** Group labels, one per row, for group splitters (GroupKFold), outer and inner. */
  groups?: readonly Label[];
}

const OPTION_KEYS = ["outer", "inner", "nTrials", "sampler", "pruner", "seed", "scoring", "storage", "experiment", "name", "groups"];

/** The options with defaults, and what builds each outer fold's sampler and pruner. */
export interface NestedSettings {
  outer: Splitter | number;
  inner: Splitter | number;
  nTrials: number;
  name: string;
  experiment: string;
  storage: StorageSpec;
  scoring: NestedCrossValidateOptions["scoring"];
  groups: readonly Label[] | undefined;
  /** The seed of each outer fold's sampler, drawn from `seed` (undefined: random). */
  foldSeed: (outerFold: number) => number | undefined;
  samplerFor: (outerFold: number) => Sampler;
  prunerFor: (outerFold: number) => Pruner;
}

export function nestedSettings(where: string, options: NestedCrossValidateOptions): NestedSettings {
  if (options === null || typeof options !== "object") {
    throw new ValueError(`${where}: options must be an object like { outer: 5, inner: 3, nTrials: 30 }, got ${show(options)}.`);
  }
  checkOptionKeys(where, options, OPTION_KEYS);
  const { nTrials } = options;
  if (typeof nTrials !== "number" || !Number.isInteger(nTrials) || nTrials < 1) {
    throw new ValueError(`${where}: nTrials (trials per inner study) must be an integer >= 1, got ${show(nTrials)}.`);
  }
  for (const key of ["outer", "inner"] as const) checkFolds(where, key, options[key]);
  const name = options.name ?? generatedName();
  if (typeof name !== "string" || name.trim() === "") throw new ValueError(`${where}: name must be a non-empty string, got ${show(name)}.`);
  checkName(`${where}: name`, `${name}/outer-1`);
  const experiment = options.experiment ?? name;
  if (typeof experiment !== "string" || experiment === "") {
    throw new ValueError(`${where}: experiment must be a non-empty string, got ${show(experiment)}.`);
  }
  const seed = checkSeed(where, options.seed);
  const rng = seed === undefined ? undefined : new Rng(seed);
  const seeds: number[] = [];
  const foldSeed = (outerFold: number) => {
    if (!rng) return undefined;
    while (seeds.length <= outerFold) seeds.push(rng.nextUint32());
    return seeds[outerFold];
  };
  if (options.groups !== undefined && !Array.isArray(options.groups)) {
    throw new ValueError(`${where}: groups must be an array with one group label per row, got ${show(options.groups)}.`);
  }
  checkScoring(where, options.scoring);
  return {
    outer: options.outer ?? 5,
    inner: options.inner ?? 3,
    nTrials,
    name,
    experiment,
    storage: options.storage ?? ":memory:",
    scoring: options.scoring,
    groups: options.groups,
    foldSeed,
    samplerFor: samplerFactory(where, options.sampler, foldSeed),
    prunerFor: prunerFactory(where, options.pruner),
  };
}

function checkFolds(where: string, key: string, value: unknown): void {
  if (value === undefined || (typeof value === "object" && value !== null && typeof (value as Splitter).split === "function")) return;
  if (typeof value === "number" && Number.isInteger(value) && value >= 2) return;
  throw new ValueError(
    `${where}: ${key} must be a splitter (e.g. new KFold({ nSplits: 5 })) or a number of folds >= 2, got ${show(value)}.`,
  );
}

function checkScoring(where: string, scoring: NestedCrossValidateOptions["scoring"]): void {
  if (typeof scoring !== "string") return; // objects are checked by crossValidate, with the estimator at hand
  if ((SCORER_NAMES as string[]).includes(scoring) || (CLUSTERING_SCORER_NAMES as string[]).includes(scoring)) return;
  prefixed(where, () => findScorer(scoring as ScorerName));
}

/**
 * Whether greater scores are better: the inner studies' direction. The defaults (accuracy,
 * r2, silhouette) all are; a name is looked up among the scorers of the estimator's kind.
 */
export function greaterIsBetter(scoring: NestedCrossValidateOptions["scoring"], clusterer: boolean): boolean {
  if (scoring === undefined) return true;
  if (typeof scoring === "object") return scoring.greaterIsBetter;
  const clustering = clusterer || !(SCORER_NAMES as string[]).includes(scoring);
  return clustering ? clusteringScorer(scoring as ClusteringScoring).greaterIsBetter : findScorer(scoring as ScorerName).greaterIsBetter;
}

function samplerFactory(
  where: string,
  spec: NestedCrossValidateOptions["sampler"],
  foldSeed: (outerFold: number) => number | undefined,
): (outerFold: number) => Sampler {
  if (typeof spec === "function") {
    return (outerFold) => {
      const sampler = spec(outerFold, foldSeed(outerFold));
      if (sampler === null || typeof sampler !== "object" || typeof sampler.sampleIndependent !== "function") {
        throw new ValueError(`${where}: the sampler function must return a Sampler for outer fold ${outerFold + 1}, got ${show(sampler)}.`);
      }
      return sampler;
    };
  }
  if (spec === undefined || typeof spec === "string") {
    prefixed(where, () => resolveSampler(spec, 0)); // an unknown name fails now, not after the first fold
    return (outerFold) => resolveSampler(spec, foldSeed(outerFold));
  }
  const shared = prefixed(where, () => resolveSampler(spec));
  return () => shared;
}

function prunerFactory(where: string, spec: PrunerSpec | undefined): (outerFold: number) => Pruner {
  const first = prefixed(where, () => resolvePruner(spec));
  return typeof spec === "string" ? () => resolvePruner(spec) : () => first;
}

/** `build()`, its ValueError re-thrown naming `where`. */
function prefixed<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`${where}: ${error.message}`);
    throw error;
  }
}

function generatedName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `nested-${stamp}-${Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, "0")}`;
}
