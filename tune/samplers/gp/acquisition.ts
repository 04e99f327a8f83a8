import type { GaussianProcess } from "./model.js";
import { logH, logNormalCdfWithSlope } from "./normal.js";

/**
 * Acquisition functions over the GP posterior, on standardised values that are to be
 * maximised. All are larger-is-better and come with gradients for local refinement.
 * - logEI: log E[max(0, f(x) − f*)], computed without underflow (see normal.ts), so that
 *   far-from-promising regions still have an informative gradient.
 * - PI: log P(f(x) > f*).
 * - UCB: μ(x) + √β·σ(x).
 */
export type AcquisitionName = "logEI" | "UCB" | "PI";
export const ACQUISITION_NAMES: readonly AcquisitionName[] = ["logEI", "UCB", "PI"];

/** Added to the posterior variance so that σ > 0 at observed points. */
export const STABILIZING_VARIANCE = 1e-12;

export interface AcquisitionFunction {
  value(point: ArrayLike<number>, offset?: number): number;
  /** The value and its gradient with respect to the feature columns `columns`. */
  valueAndGradient(point: ArrayLike<number>, columns: readonly number[]): { value: number; gradient: Float64Array };
}

/** log E[max(0, Y − threshold)] for Y ~ N(mean, variance). */
export function logExpectedImprovement(mean: number, variance: number, threshold: number): number {
  const sigma = Math.sqrt(variance);
  return Math.log(sigma) + logH((mean - threshold) / sigma).value;
}

export interface AcquisitionOptions {
  /** f*, the best standardised value observed (logEI and PI). */
  threshold: number;
  /** UCB's exploration weight β. */
  beta: number;
}

export function createAcquisition(name: AcquisitionName, gp: GaussianProcess, options: AcquisitionOptions): AcquisitionFunction {
  const { threshold, beta } = options;
  const sqrtBeta = Math.sqrt(beta);
  // Each acquisition is a function of (μ, σ): its value and its partial derivatives.
  const score = (mean: number, sigma: number): { value: number; dMean: number; dSigma: number } => {
    if (name === "UCB") return { value: mean + sqrtBeta * sigma, dMean: 1, dSigma: sqrtBeta };
    const z = (mean - threshold) / sigma;
    if (name === "PI") {
      const { value, slope } = logNormalCdfWithSlope(z);
      return { value, dMean: slope / sigma, dSigma: (-slope * z) / sigma };
    }
    const { value, slope } = logH(z);
    return { value: Math.log(sigma) + value, dMean: slope / sigma, dSigma: (1 - slope * z) / sigma };
  };
  return {
    value(point, offset = 0) {
      const { mean, variance } = gp.posterior(point, offset);
      return score(mean, Math.sqrt(variance + STABILIZING_VARIANCE)).value;
    },
    valueAndGradient(point, columns) {
      const p = gp.posteriorWithGradient(point, columns);
      const sigma = Math.sqrt(p.variance + STABILIZING_VARIANCE);
      const { value, dMean, dSigma } = score(p.mean, sigma);
      const gradient = new Float64Array(columns.length);
      for (let m = 0; m < columns.length; m++) {
        gradient[m] = dMean * p.meanGradient[m] + (dSigma * p.varianceGradient[m]) / (2 * sigma);
      }
      return { value, gradient };
    },
  };
}
