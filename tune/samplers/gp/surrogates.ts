import { constraintValues } from "../../../core/feasibility.js";
import type { TrialRecord } from "../../../core/records.js";
import type { Rng } from "../../../core/rng.js";
import type { ConstraintModel } from "./constrained.js";
import type { FeatureSpace } from "./features.js";
import { fitKernelParams } from "./fit.js";
import { GaussianProcess, type KernelParams } from "./model.js";
import { standardization } from "./training.js";

/**
 * The GPs one suggestion is made from: one per objective and one per constraint, each on
 * its own standardised values, each remembering its last fit to warm-start the next.
 */

/** What one model keeps between suggestions: its last fit, and how many trials had completed then. */
export interface ModelMemory {
  warmStart: Float64Array | null;
  fitted: { params: KernelParams; n: number } | null;
}

export interface FitSettings {
  deterministic: boolean;
  minimumNoise: number;
  rng: Rng;
}

/**
 * Whether to fit the kernel again with n completed trials, last fitted with `fittedOn`:
 * every time up to 100, then once the data grew by 5% (every 10 trials at 200). One new
 * point barely moves the hyperparameters, and each fit costs O(n³) per iteration.
 */
export function needsRefit(n: number, fittedOn: number): boolean {
  return n <= 100 || (n !== fittedOn && Math.abs(n - fittedOn) >= 0.05 * fittedOn);
}

/** A GP on rows `x` (features) and standardised `y`, refitted when `needsRefit` says so with `seen` completed trials. */
export function fittedModel(
  memory: ModelMemory,
  x: Float64Array,
  y: Float64Array,
  features: FeatureSpace,
  seen: number,
  settings: FitSettings,
): GaussianProcess {
  if (memory.fitted === null || needsRefit(seen, memory.fitted.n)) {
    const fit = fitKernelParams(x, y, features.dim, features.paramOfColumn, features.params.length, {
      deterministic: settings.deterministic,
      minimumNoise: settings.minimumNoise,
      warmStart: memory.warmStart,
      rng: settings.rng,
    });
    memory.warmStart = fit.raw;
    memory.fitted = { params: fit.params, n: seen };
  }
  return new GaussianProcess(x, y, features.dim, features.paramOfColumn, memory.fitted.params);
}

/**
 * One GP per constraint over the training trials (rows of `x`), on the negated values
 * (feasible = large, as the objectives are maximised), with the standardised image of 0
 * as its threshold. A trial that carries fewer constraint values than others says
 * nothing about the ones it lacks and is left out of their models.
 */
export function constraintModels(
  training: readonly TrialRecord[],
  x: Float64Array,
  features: FeatureSpace,
  memoryOf: (name: string) => ModelMemory,
  seen: number,
  settings: FitSettings,
): ConstraintModel[] {
  const lists = training.map((t) => constraintValues(t));
  const count = Math.max(0, ...lists.map((list) => list?.length ?? 0));
  const models: ConstraintModel[] = [];
  for (let j = 0; j < count; j++) {
    const rows = lists.flatMap((list, i) => (list !== null && j < list.length ? [i] : []));
    const xs = rows.length === training.length ? x : subsetRows(x, rows, features.dim);
    const { values, mean, std } = standardization(rows.map((i) => -lists[i]![j]));
    const gp = fittedModel(memoryOf(`constraint ${j}`), xs, values, features, seen, settings);
    models.push({ gp, threshold: -mean / std });
  }
  return models;
}

function subsetRows(x: Float64Array, rows: readonly number[], dim: number): Float64Array {
  const out = new Float64Array(rows.length * dim);
  rows.forEach((row, k) => {
    out.set(x.subarray(row * dim, (row + 1) * dim), k * dim);
  });
  return out;
}
