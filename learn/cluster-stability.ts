/**
 * Stability of a clustering under resampling (Ben-Hur, Elisseeff and Guyon,
 * 2002): fit a fresh model on bootstrap resamples of the rows and compare every
 * two runs by the adjusted Rand index over the rows both drew. A number of
 * clusters the data supports gives the same partition whatever the resample
 * (near 1); a wrong one splits or merges groups differently from run to run.
 */
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { Features } from "./estimator.js";
import { adjustedRand } from "./metrics/index.js";

export interface StabilityOptions {
  /** Bootstrap resamples, each clustered by a fresh model. Default 10. */
  resamples?: number;
  /** Seed of the resampling. Default 0. */
  seed?: number;
}

export interface Stability {
  /** Mean adjusted Rand index over the pairs of runs. */
  mean: number;
  /** Its (population) standard deviation. */
  std: number;
  /** The adjusted Rand index of each pair of runs (0, 1), (0, 2), …, (1, 2), …, over the rows both drew (pairs sharing no row are left out). */
  pairs: number[];
}

/** Check `stability: true | { resamples, seed }`; undefined for false or left out. */
export function stabilitySettings(where: string, stability: unknown): Required<StabilityOptions> | undefined {
  if (stability === undefined || stability === false) return undefined;
  if (stability === true) return { resamples: 10, seed: 0 };
  if (typeof stability !== "object" || stability === null || Array.isArray(stability)) {
    throw new ValueError(`${where}: stability must be true, false or { resamples, seed }, got ${show(stability)}.`);
  }
  checkOptionKeys(`${where}: stability`, stability, ["resamples", "seed"]);
  const { resamples = 10, seed = 0 } = stability as StabilityOptions;
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new ValueError(`${where}: stability.resamples must be an integer >= 2 (runs are compared in pairs), got ${show(resamples)}.`);
  }
  if (!Number.isInteger(seed) || seed < 0) throw new ValueError(`${where}: stability.seed must be an integer >= 0, got ${show(seed)}.`);
  return { resamples, seed };
}

/**
 * Cluster `resamples` bootstrap resamples of X with `cluster` (a fresh model's
 * fitPredict) and compare the runs pairwise over the original rows both drew.
 */
export function clusterStability(
  X: Features,
  cluster: (rows: Features) => readonly number[],
  { resamples, seed }: Required<StabilityOptions>,
): Stability {
  const n = X.length;
  const rng = new Rng(seed);
  const runs: Map<number, number>[] = [];
  for (let r = 0; r < resamples; r++) {
    const drawn = Array.from({ length: n }, () => rng.integer(0, n - 1));
    const labels = cluster(drawn.map((i) => X[i]));
    // A row drawn twice is labelled once: by its first copy.
    const labelOf = new Map<number, number>();
    drawn.forEach((row, position) => {
      if (!labelOf.has(row)) labelOf.set(row, labels[position]);
    });
    runs.push(labelOf);
  }
  const pairs: number[] = [];
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      const shared = [...runs[a].keys()].filter((row) => runs[b].has(row));
      if (shared.length === 0) continue;
      pairs.push(
        adjustedRand(
          shared.map((row) => runs[a].get(row)!),
          shared.map((row) => runs[b].get(row)!),
        ),
      );
    }
  }
  if (pairs.length === 0) {
    throw new ValueError(`stability: no two of ${resamples} resamples of ${n} rows drew a row in common; pass more rows.`);
  }
  const mean = pairs.reduce((sum, v) => sum + v, 0) / pairs.length;
  const std = Math.sqrt(pairs.reduce((sum, v) => sum + (v - mean) ** 2, 0) / pairs.length);
  return { mean, std, pairs };
}
