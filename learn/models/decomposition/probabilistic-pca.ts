/**
 * PCA as a Gaussian model (probabilistic PCA, Tipping & Bishop 1999): the kept axes carry
 * their explained variance, every other direction the noise variance. scikit-learn's
 * `get_covariance`, `get_precision` and `score_samples`, from the fitted attributes.
 */
import { inverse, LuDecomposition, Matrix } from "ml-matrix";
import { ValueError } from "../../../core/errors.js";

/** What the model needs of a fitted PCA. */
export interface GaussianAxes {
  components: readonly (readonly number[])[];
  explainedVariance: readonly number[];
  noiseVariance: number;
  whiten: boolean;
}

/** The axes scaled as scikit-learn scales them (by √variance when whitening), and the variance above the noise. */
function scaledAxes({ components, explainedVariance, noiseVariance, whiten }: GaussianAxes) {
  const axes = components.map((row, k) => (whiten ? row.map((value) => value * Math.sqrt(explainedVariance[k])) : [...row]));
  const excess = explainedVariance.map((variance) => Math.max(variance - noiseVariance, 0));
  return { axes, excess };
}

/** Cᵀ·diag(excess)·C + noise·I: the data covariance the model implies (p × p). */
export function modelCovariance(model: GaussianAxes): number[][] {
  const { axes, excess } = scaledAxes(model);
  const p = model.components[0].length;
  const weighted = new Matrix(axes.map((row, k) => row.map((value) => value * excess[k])));
  const covariance = weighted.transpose().mmul(new Matrix(axes)).to2DArray();
  for (let j = 0; j < p; j++) covariance[j][j] += model.noiseVariance;
  return covariance;
}

/**
 * The inverse of `modelCovariance`: by the matrix inversion lemma when there is noise
 * variance; otherwise the covariance itself is inverted, which needs every feature
 * direction among the components with a variance well above round-off.
 */
export function modelPrecision(where: string, model: GaussianAxes): number[][] {
  const { noiseVariance } = model;
  const p = model.components[0].length;
  if (noiseVariance === 0) {
    const kept = model.whiten ? model.explainedVariance.map((v) => v * v) : model.explainedVariance;
    const largest = Math.max(...kept);
    if (model.components.length < p || Math.min(...kept) <= largest * p * Number.EPSILON) {
      throw new ValueError(
        `${where}: the model's covariance is singular: its ${model.components.length} components leave no noise variance ` +
          `and do not span the ${p} features with variance above round-off. Fit with fewer components ` +
          `(nComponents below min(nSamples, nFeatures), or a fraction of the variance) so that noiseVariance > 0.`,
      );
    }
    return inverse(new Matrix(modelCovariance(model))).to2DArray();
  }
  const { axes, excess } = scaledAxes(model);
  const C = new Matrix(axes);
  const inner = C.mmul(C.transpose()).div(noiseVariance);
  for (let k = 0; k < excess.length; k++) inner.set(k, k, inner.get(k, k) + 1 / excess[k]);
  const precision = C.transpose()
    .mmul(inverse(inner).mmul(C))
    .div(-(noiseVariance * noiseVariance))
    .to2DArray();
  for (let j = 0; j < p; j++) precision[j][j] += 1 / noiseVariance;
  return precision;
}

/** log |det A| when det A > 0, else −∞ (scikit-learn's `fast_logdet`). */
export function logDeterminant(A: readonly (readonly number[])[]): number {
  const lu = new LuDecomposition(new Matrix(A.map((row) => [...row])));
  const U = lu.upperTriangularMatrix;
  let sign = permutationSign(lu.pivotPermutationVector);
  let sum = 0;
  for (let k = 0; k < A.length; k++) {
    const pivot = U.get(k, k);
    if (pivot === 0) return -Infinity;
    if (pivot < 0) sign = -sign;
    sum += Math.log(Math.abs(pivot));
  }
  return sign > 0 ? sum : -Infinity;
}

/** +1 for an even permutation, −1 for an odd one. */
function permutationSign(permutation: readonly number[]): number {
  const seen = new Array<boolean>(permutation.length).fill(false);
  let sign = 1;
  for (let start = 0; start < permutation.length; start++) {
    if (seen[start]) continue;
    let length = 0;
    for (let i = start; !seen[i]; i = permutation[i]) {
      seen[i] = true;
      length++;
    }
    if (length % 2 === 0) sign = -sign;
  }
  return sign;
}

/** The Gaussian log-density of each centred row under `precision` (p × p). */
export function gaussianLogDensity(centred: readonly (readonly number[])[], precision: readonly (readonly number[])[]): number[] {
  const p = precision.length;
  const constant = -0.5 * (p * Math.log(2 * Math.PI) - logDeterminant(precision));
  return centred.map((row) => {
    let quadratic = 0;
    for (let i = 0; i < p; i++) {
      let product = 0;
      for (let j = 0; j < p; j++) product += row[j] * precision[j][i];
      quadratic += row[i] * product;
    }
    return -0.5 * quadratic + constant;
  });
}
