import type { AcquisitionFunction } from "./acquisition.js";
import { STABILIZING_VARIANCE } from "./acquisition.js";
import type { GaussianProcess } from "./model.js";
import { logNormalCdfWithSlope } from "./normal.js";

/**
 * Constraints in the acquisition (Gardner et al. 2014, as Optuna's and BoTorch's
 * constrained GP samplers do it): one GP per constraint, on its values negated and
 * standardised (so "feasible" is "at least `threshold`", the standardised image of 0), and
 * the acquisition multiplied by P(every constraint ≤ 0) under independent GPs, which in
 * log space is a sum: log a(x) + Σ_j log Φ((μ_j(x) − t_j)/σ_j(x)).
 */

export interface ConstraintModel {
  gp: GaussianProcess;
  /** The standardised value of a constraint at 0: feasible at or above it. */
  threshold: number;
}

/** log P(all constraints ≤ 0), as an acquisition: what to maximise while no trial is feasible. */
export function createLogFeasibility(constraints: readonly ConstraintModel[]): AcquisitionFunction {
  return {
    value(point, offset = 0) {
      let total = 0;
      for (const { gp, threshold } of constraints) {
        const { mean, variance } = gp.posterior(point, offset);
        total += logNormalCdfWithSlope((mean - threshold) / Math.sqrt(variance + STABILIZING_VARIANCE)).value;
      }
      return total;
    },
    valueAndGradient(point, columns) {
      let value = 0;
      const gradient = new Float64Array(columns.length);
      for (const { gp, threshold } of constraints) {
        const p = gp.posteriorWithGradient(point, columns);
        const sigma = Math.sqrt(p.variance + STABILIZING_VARIANCE);
        const z = (p.mean - threshold) / sigma;
        const { value: logP, slope } = logNormalCdfWithSlope(z);
        value += logP;
        // d/dμ = slope/σ; d/dσ = −slope·z/σ, and dσ/dv = 1/(2σ).
        for (let c = 0; c < columns.length; c++) {
          gradient[c] += (slope / sigma) * p.meanGradient[c] - ((slope * z) / sigma) * (p.varianceGradient[c] / (2 * sigma));
        }
      }
      return { value, gradient };
    },
  };
}

/** The sum of log-scale acquisitions: the log of their product. */
export function sumOfAcquisitions(parts: readonly AcquisitionFunction[]): AcquisitionFunction {
  if (parts.length === 1) return parts[0];
  return {
    value(point, offset = 0) {
      let total = 0;
      for (const part of parts) total += part.value(point, offset);
      return total;
    },
    valueAndGradient(point, columns) {
      let value = 0;
      const gradient = new Float64Array(columns.length);
      for (const part of parts) {
        const result = part.valueAndGradient(point, columns);
        value += result.value;
        for (let c = 0; c < columns.length; c++) gradient[c] += result.gradient[c];
      }
      return { value, gradient };
    },
  };
}
