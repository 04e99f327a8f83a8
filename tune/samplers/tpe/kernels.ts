import { LOG_SQRT_2PI } from "../../../core/math/constants.js";
import { logGaussMass } from "../../../core/math/normal.js";
import type { Distribution } from "../../distributions.js";
import { type BandwidthOptions, groupBandwidths, numericBandwidths } from "./bandwidths.js";

/**
 * The kernels of a Parzen estimator's mixture, one set per parameter: centres and
 * bandwidths with their normalising constants for numeric parameters, choice
 * probabilities for categorical ones, and the mixture weights with the prior's share.
 */

export interface NumericKernels {
  kind: "numeric";
  distribution: Distribution;
  /** Bounds in the transformed space (widened by half a step for grid parameters). */
  low: number;
  high: number;
  /** Grid step in the transformed space, or 0 for continuous parameters. */
  step: number;
  log: boolean;
  mus: Float64Array;
  sigmas: Float64Array;
  invSigmas: Float64Array;
  /** Number of grid values (grid parameters; 0 for continuous ones). */
  gridSize: number;
  /** Grid parameters: kernel k's bandwidth is `groupSigmas[sigmaGroup[k]]` (few distinct values), so cell masses can be tabled per group. */
  sigmaGroup: Int32Array;
  groupSigmas: number[];
  /** Continuous: −log √2π − log mass in bounds (no −log σ: see the class comment). Grid: −log mass in bounds. */
  logConst: Float64Array;
}

export interface CategoricalKernels {
  kind: "categorical";
  distribution: Distribution;
  nChoices: number;
  /** Row k: kernel k's probabilities of each choice. */
  probs: Float64Array;
  logProbs: Float64Array;
}

export type Kernels = NumericKernels | CategoricalKernels;

/**
 * log weights of the mixture's components: the observations' weights, then the prior
 * kernel's `priorWeight` when `considerPrior`, normalised to sum to 1.
 */
export function componentLogWeights(
  observationWeights: ArrayLike<number>,
  n: number,
  considerPrior: boolean,
  priorWeight: number,
): Float64Array {
  const weights = new Float64Array(n + (considerPrior ? 1 : 0));
  for (let i = 0; i < n; i++) weights[i] = observationWeights[i];
  if (considerPrior) weights[n] = priorWeight;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const logWeights = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) logWeights[i] = Math.log(weights[i] / total);
  return logWeights;
}

/**
 * The kernels of a numeric parameter: a truncated normal at each of the n observations
 * (log space for log-scaled parameters; grid parameters own half a step beyond each end)
 * and, with `considerPrior`, one at the middle as wide as the range.
 */
export function numericKernels(
  d: Exclude<Distribution, { kind: "categorical" }>,
  observed: Float64Array,
  n: number,
  considerPrior: boolean,
  options: BandwidthOptions,
  sharedShare: number | null,
): NumericKernels {
  let low: number;
  let high: number;
  let step = 0;
  if (d.log) {
    // A log-scaled int owns [k − ½, k + ½] before the log.
    const pad = d.kind === "int" ? 0.5 : 0;
    low = Math.log(d.low - pad);
    high = Math.log(d.high + pad);
  } else if (d.step !== null) {
    step = d.step;
    low = d.low - step / 2;
    high = d.high + step / 2;
  } else {
    low = d.low;
    high = d.high;
  }
  const m = n + (considerPrior ? 1 : 0);
  const mus = new Float64Array(m);
  for (let i = 0; i < n; i++) mus[i] = d.log ? Math.log(observed[i]) : observed[i];
  if (considerPrior) mus[n] = 0.5 * (low + high);
  const sigmas = numericBandwidths(mus, low, high, considerPrior, options, sharedShare);
  const invSigmas = new Float64Array(m);
  const logConst = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    invSigmas[i] = 1 / sigmas[i];
    const a = (low - mus[i]) * invSigmas[i];
    const b = (high - mus[i]) * invSigmas[i];
    // Beyond 8.5σ on both sides the mass outside is below 1e-16: log mass is 0 to double precision.
    const logMass = a < -8.5 && b > 8.5 ? 0 : logGaussMass(a, b);
    logConst[i] = step === 0 ? -LOG_SQRT_2PI - logMass : -logMass;
  }
  const gridSize = step === 0 ? 0 : Math.round((d.high - d.low) / step) + 1;
  const { sigmaGroup, groupSigmas } = step === 0 ? { sigmaGroup: new Int32Array(0), groupSigmas: [] } : groupBandwidths(sigmas);
  return {
    kind: "numeric",
    distribution: d,
    low,
    high,
    step,
    log: d.log,
    mus,
    sigmas,
    invSigmas,
    gridSize,
    sigmaGroup,
    groupSigmas,
    logConst,
  };
}

/**
 * The kernels of a categorical parameter: each observation's puts its weight mostly on
 * the observed choice, the rest spread evenly by the prior weight; the prior kernel,
 * with `considerPrior`, is uniform.
 */
export function categoricalKernels(
  d: Extract<Distribution, { kind: "categorical" }>,
  observed: Float64Array,
  n: number,
  considerPrior: boolean,
  priorWeight: number,
): CategoricalKernels {
  const c = d.choices.length;
  const m = n + (considerPrior ? 1 : 0);
  // Optuna's rule: every row starts at priorWeight / m, the observed choice gets +1.
  const base = priorWeight / m;
  const probs = new Float64Array(m * c).fill(base);
  for (let i = 0; i < n; i++) probs[i * c + observed[i]] += 1;
  const logProbs = new Float64Array(m * c);
  for (let k = 0; k < m; k++) {
    let total = 0;
    for (let choice = 0; choice < c; choice++) total += probs[k * c + choice];
    for (let choice = 0; choice < c; choice++) {
      probs[k * c + choice] /= total;
      logProbs[k * c + choice] = Math.log(probs[k * c + choice]);
    }
  }
  return { kind: "categorical", distribution: d, nChoices: c, probs, logProbs };
}

/** Kernels with the same centre and bandwidth become one, carrying their summed weight. */
export function mergeIdenticalKernels(
  kernel: NumericKernels,
  logWeights: Float64Array,
): { kernel: NumericKernels; logWeights: Float64Array } {
  const byKey = new Map<string, number>();
  const keep: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < logWeights.length; k++) {
    const key = `${kernel.mus[k]} ${kernel.sigmas[k]}`;
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, keep.length);
      keep.push(k);
      weights.push(Math.exp(logWeights[k]));
    } else {
      weights[at] += Math.exp(logWeights[k]);
    }
  }
  const pick = (a: Float64Array) => Float64Array.from(keep, (k) => a[k]);
  const merged: NumericKernels = {
    ...kernel,
    mus: pick(kernel.mus),
    sigmas: pick(kernel.sigmas),
    invSigmas: pick(kernel.invSigmas),
    logConst: pick(kernel.logConst),
    sigmaGroup: Int32Array.from(keep, (k) => kernel.sigmaGroup[k]),
  };
  return { kernel: merged, logWeights: Float64Array.from(weights, Math.log) };
}
