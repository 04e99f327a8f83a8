import { ValueError } from "../../core/errors.js";
import type { StudyDirection, TrialRecord } from "../../core/records.js";
import type { Rng } from "../../core/rng.js";
import type { Distribution } from "../distributions.js";
import { FeatureSpace } from "../samplers/gp/features.js";
import { fitKernelParams } from "../samplers/gp/fit.js";
import { internalParams } from "../samplers/gp/index.js";
import { GaussianProcess } from "../samplers/gp/model.js";
import { standardization } from "../samplers/gp/training.js";
import { intersectionSearchSpace } from "../samplers/search-space.js";
import { completedTrials } from "./trials.js";

/**
 * An upper bound on the regret of the best trial so far — how much better the best point
 * of the search space may still be — with high probability under a Gaussian-process model
 * of the objective (Makarova et al. 2022, "Automatic termination for hyperparameter
 * optimization"; Optuna's RegretBoundEvaluator).
 *
 * A GP (the GP sampler's: Matérn 5/2, fitted by maximum a posteriori) is fitted to the top
 * trials on the intersection search space, values standardised and turned to be maximised.
 * With β = 2·log(d·n²·π²/6/δ)/5 (d parameters, n top trials, δ = 0.1),
 *   bound = (max UCB over the space − max LCB over the top trials) · std,
 * UCB/LCB = μ ± √(β·σ²); the space's maximum is taken over the top trials and 2048 random
 * points, and std maps the bound back to the objective's scale.
 */

export interface RegretBoundOptions {
  /** The least number of top trials the GP is fitted on (all when there are fewer). */
  minTrials: number;
  /** The share of COMPLETE trials, best first, the GP is fitted on. */
  topTrialsRatio: number;
  rng: Rng;
  /** The kernel's last fit, to start the next one from; updated in place. */
  memory?: { warmStart: Float64Array | null };
}

/** Random points the upper confidence bound is maximised over (Optuna's 2048). */
const RANDOM_POINTS = 2048;
const DELTA = 0.1;
/** The GP sampler's noise floor on standardised values. */
const MINIMUM_NOISE = 1e-6;

/** β of the confidence bounds for d parameters and n trials. */
export function confidenceBeta(d: number, n: number, delta = DELTA): number {
  return (2 * Math.log((d * n * n * Math.PI ** 2) / 6 / delta)) / 5;
}

/**
 * The top trials by value: the best `max(minTrials, ⌊n·ratio⌋)` (all n when fewer), and
 * any that tie with the last of them.
 */
export function topTrials<T>(rows: readonly T[], values: readonly number[], minTrials: number, ratio: number): T[] {
  const n = rows.length;
  const count = Math.min(n, Math.max(minTrials, Math.floor(n * ratio)));
  const threshold = [...values].sort((a, b) => b - a)[count - 1];
  return rows.filter((_, i) => values[i] >= threshold);
}

/** The regret bound of the study's COMPLETE trials, on the objective's scale. */
export function regretBound(trials: readonly TrialRecord[], direction: StudyDirection, options: RegretBoundOptions): number {
  const completed = completedTrials(trials);
  const space: Record<string, Distribution> = {};
  for (const [name, d] of Object.entries(intersectionSearchSpace(completed))) if (!d.isSingle()) space[name] = d;
  if (Object.keys(space).length === 0) {
    throw new ValueError(
      `stop "converged": the trials share no parameter that varies, so there is no search space to bound the regret over; ` +
        `suggest parameters in the objective (trial.suggestFloat(...)), or stop with { noImprovementTrials } instead.`,
    );
  }
  const features = new FeatureSpace(space);
  const rows = completed.flatMap((t) => {
    const params = internalParams(t, space);
    return params === null ? [] : [{ params, value: direction === "minimize" ? -t.value! : t.value! }];
  });
  const top = topTrials(
    rows,
    rows.map((r) => r.value),
    options.minTrials,
    options.topTrialsRatio,
  );
  const { values: y, std } = standardization(top.map((r) => r.value));
  const x = new Float64Array(top.length * features.dim);
  top.forEach((r, i) => {
    features.encode(r.params, x, i * features.dim);
  });
  const fit = fitKernelParams(x, y, features.dim, features.paramOfColumn, features.params.length, {
    deterministic: false,
    minimumNoise: MINIMUM_NOISE,
    warmStart: options.memory?.warmStart ?? null,
    rng: options.rng,
  });
  if (options.memory) options.memory.warmStart = fit.raw;
  const gp = new GaussianProcess(x, y, features.dim, features.paramOfColumn, fit.params);
  const beta = confidenceBeta(features.params.length, top.length);

  let maxUpper = -Infinity;
  let maxLower = -Infinity;
  for (let i = 0; i < top.length; i++) {
    const { mean, variance } = gp.posterior(x, i * features.dim);
    const width = Math.sqrt(beta * variance);
    maxUpper = Math.max(maxUpper, mean + width);
    maxLower = Math.max(maxLower, mean - width);
  }
  const unit = new Float64Array(features.params.length);
  const point = new Float64Array(features.dim);
  for (let s = 0; s < RANDOM_POINTS; s++) {
    for (let p = 0; p < unit.length; p++) unit[p] = options.rng.random();
    features.fromUnitPoint(unit, point);
    const { mean, variance } = gp.posterior(point);
    maxUpper = Math.max(maxUpper, mean + Math.sqrt(beta * variance));
  }
  return (maxUpper - maxLower) * std;
}
