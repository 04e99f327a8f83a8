/**
 * Minka's maximum-likelihood choice of PCA's dimension (T. P. Minka, "Automatic choice of
 * dimensionality for PCA", NIPS 2000), as scikit-learn's `_assess_dimension` and
 * `_infer_dimension` compute it from the explained variances.
 */
import { logGamma } from "../../../core/math/gamma.js";
import { pairwiseSum } from "./sums.js";

/** Below this a variance counts as zero (scikit-learn's `eps`). */
const TINY = 1e-15;

/**
 * The log-likelihood of keeping `rank` components (1 ≤ rank < spectrum.length) of data
 * whose covariance has eigenvalues `spectrum` (descending), from `nSamples` rows; −∞ when
 * the rank-th eigenvalue is below 1e-15.
 */
export function assessDimension(spectrum: readonly number[], rank: number, nSamples: number): number {
  const nFeatures = spectrum.length;
  if (spectrum[rank - 1] < TINY) return -Infinity;
  let pu = -rank * Math.log(2);
  for (let i = 1; i <= rank; i++) {
    pu += logGamma((nFeatures - i + 1) / 2) - (Math.log(Math.PI) * (nFeatures - i + 1)) / 2;
  }
  const logs = spectrum.slice(0, rank).map(Math.log);
  const pl = (-pairwiseSum(logs) * nSamples) / 2;
  const v = Math.max(TINY, pairwiseSum(spectrum, rank) / (nFeatures - rank));
  const pv = (-Math.log(v) * nSamples * (nFeatures - rank)) / 2;
  const m = nFeatures * rank - (rank * (rank + 1)) / 2;
  const pp = (Math.log(2 * Math.PI) * (m + rank)) / 2;
  let pa = 0;
  for (let i = 0; i < rank; i++) {
    for (let j = i + 1; j < nFeatures; j++) {
      const inverseJ = j < rank ? 1 / spectrum[j] : 1 / v;
      const product = (spectrum[i] - spectrum[j]) * (inverseJ - 1 / spectrum[i]);
      // Equal eigenvalues make this log(0): scikit-learn's math.log raises there; this rank is then unlikely.
      if (!(product > 0)) return -Infinity;
      pa += Math.log(product) + Math.log(nSamples);
    }
  }
  return pu + pl + pv + pp - pa / 2 - (rank * Math.log(nSamples)) / 2;
}

/** The rank in 1 … spectrum.length − 1 of largest likelihood (the first of equals). */
export function inferDimension(spectrum: readonly number[], nSamples: number): number {
  let best = 1;
  let bestValue = -Infinity;
  for (let rank = 1; rank < spectrum.length; rank++) {
    const value = assessDimension(spectrum, rank, nSamples);
    if (value > bestValue) {
      best = rank;
      bestValue = value;
    }
  }
  return best;
}
