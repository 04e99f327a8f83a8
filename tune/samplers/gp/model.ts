import { cholesky, halfLogDeterminant, solveLower, solveLowerTransposed } from "./linalg.js";

/**
 * A Gaussian-process regressor with a Matérn-5/2 kernel and one lengthscale per
 * parameter (ARD):
 *   k(x, x') = s · M(r²),  r² = Σ_c ρ_p(c) · (x_c − x'_c)²,  M(r²) = (1 + √5 r + 5r²/3) e^{−√5 r}
 * where ρ_p = 1/ℓ_p² is the inverse squared lengthscale of the parameter owning column c
 * (a categorical parameter's one-hot columns share one). Observations carry Gaussian
 * noise of variance σ²: y = f(x) + ε.
 */

export interface KernelParams {
  /** ρ_p = 1/ℓ_p², one per parameter. */
  readonly inverseSquaredLengthscales: Float64Array;
  /** s, the prior variance of f. */
  readonly signalVariance: number;
  /** σ², the observation noise variance. */
  readonly noiseVariance: number;
}

const SQRT5 = Math.sqrt(5);

/** M(r²) for the Matérn-5/2 kernel. */
export function matern52(r2: number): number {
  const a = SQRT5 * Math.sqrt(r2);
  return (1 + a + (5 / 3) * r2) * Math.exp(-a);
}

/** dM/d(r²) = −(5/6)(1 + √5 r) e^{−√5 r}; finite at r = 0, unlike dM/dr·dr/dr². */
export function matern52Slope(r2: number): number {
  const a = SQRT5 * Math.sqrt(r2);
  return (-5 / 6) * (1 + a) * Math.exp(-a);
}

/** Per-column weights ρ_p(c). */
export function columnWeights(params: KernelParams, paramOfColumn: Int32Array): Float64Array {
  return Float64Array.from(paramOfColumn, (p) => params.inverseSquaredLengthscales[p]);
}

export interface Posterior {
  mean: number;
  /** Variance of f(x) (without observation noise), never negative. */
  variance: number;
}

export interface PosteriorWithGradient extends Posterior {
  /** d mean / d x_c for the requested columns, in their order. */
  meanGradient: Float64Array;
  varianceGradient: Float64Array;
}

export class GaussianProcess {
  readonly n: number;
  readonly dim: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly params: KernelParams;
  readonly paramOfColumn: Int32Array;
  /** (K + σ²I)⁻¹ y */
  readonly alpha: Float64Array;
  private readonly weights: Float64Array;
  private readonly factor: Float64Array;
  private readonly k: Float64Array;
  private readonly scratch: Float64Array;
  private readonly solved: Float64Array;

  /** `x` holds n rows of `dim` features, row-major. */
  constructor(x: Float64Array, y: Float64Array, dim: number, paramOfColumn: Int32Array, params: KernelParams) {
    this.n = y.length;
    this.dim = dim;
    this.x = x;
    this.y = y;
    this.params = params;
    this.paramOfColumn = paramOfColumn;
    this.weights = columnWeights(params, paramOfColumn);
    this.factor = factorize(kernelMatrix(x, this.n, dim, this.weights, params), this.n, params.signalVariance);
    this.alpha = solveLowerTransposed(this.factor, this.n, solveLower(this.factor, this.n, y));
    this.k = new Float64Array(this.n);
    this.scratch = new Float64Array(this.n);
    this.solved = new Float64Array(this.n);
  }

  /** k(x, X_i) for every training point, into `out`. */
  covariances(point: ArrayLike<number>, offset = 0, out: Float64Array = this.k): Float64Array {
    const { n, dim, x, weights } = this;
    const s = this.params.signalVariance;
    for (let i = 0; i < n; i++) {
      const row = i * dim;
      let r2 = 0;
      for (let c = 0; c < dim; c++) {
        const d = point[offset + c] - x[row + c];
        r2 += weights[c] * d * d;
      }
      out[i] = s * matern52(r2);
    }
    return out;
  }

  posterior(point: ArrayLike<number>, offset = 0): Posterior {
    const k = this.covariances(point, offset);
    let mean = 0;
    for (let i = 0; i < this.n; i++) mean += k[i] * this.alpha[i];
    const w = solveLower(this.factor, this.n, k, this.scratch);
    let explained = 0;
    for (let i = 0; i < this.n; i++) explained += w[i] * w[i];
    return { mean, variance: Math.max(0, this.params.signalVariance - explained) };
  }

  /** The posterior and its gradient with respect to the feature columns `columns`. */
  posteriorWithGradient(point: ArrayLike<number>, columns: readonly number[]): PosteriorWithGradient {
    const { n, dim, x, weights } = this;
    const s = this.params.signalVariance;
    const k = this.k;
    const slope = this.scratch;
    for (let i = 0; i < n; i++) {
      const row = i * dim;
      let r2 = 0;
      for (let c = 0; c < dim; c++) {
        const d = point[c] - x[row + c];
        r2 += weights[c] * d * d;
      }
      k[i] = s * matern52(r2);
      slope[i] = 2 * s * matern52Slope(r2); // dk_i/dx_c = slope_i · ρ_c · (x_c − X_ic)
    }
    // v = (K + σ²I)⁻¹k by two triangular solves
    const v = solveLowerTransposed(this.factor, n, solveLower(this.factor, n, k, this.solved), this.solved);
    let mean = 0;
    let explained = 0;
    const meanGradient = new Float64Array(columns.length);
    const varianceGradient = new Float64Array(columns.length);
    for (let i = 0; i < n; i++) {
      mean += k[i] * this.alpha[i];
      explained += v[i] * k[i];
      const a = this.alpha[i] * slope[i];
      const b = -2 * v[i] * slope[i];
      const xRow = i * dim;
      for (let m = 0; m < columns.length; m++) {
        const c = columns[m];
        const d = point[c] - x[xRow + c];
        meanGradient[m] += a * d;
        varianceGradient[m] += b * d;
      }
    }
    for (let m = 0; m < columns.length; m++) {
      meanGradient[m] *= weights[columns[m]];
      varianceGradient[m] *= weights[columns[m]];
    }
    const variance = s - explained;
    if (variance <= 0) varianceGradient.fill(0);
    return { mean, variance: Math.max(0, variance), meanGradient, varianceGradient };
  }

  /** log p(y | X, θ) = −½ yᵀ(K+σ²I)⁻¹y − ½ log|K+σ²I| − (n/2) log 2π. */
  logMarginalLikelihood(): number {
    let quadratic = 0;
    for (let i = 0; i < this.n; i++) quadratic += this.y[i] * this.alpha[i];
    return -0.5 * quadratic - halfLogDeterminant(this.factor, this.n) - 0.5 * this.n * Math.log(2 * Math.PI);
  }

  /**
   * The same kernel conditioned on extra points with made-up observations: this model's
   * posterior mean there, but no more than `ceiling`. With the ceiling at the best value
   * observed this is a constant liar where the model expects an improvement and a
   * kriging believer elsewhere: either way the variance at those points collapses and
   * the promise of improvement around them is withdrawn, so the next suggestion goes
   * elsewhere while they are evaluated.
   */
  withFantasies(points: Float64Array, ceiling = Infinity): GaussianProcess {
    const m = points.length / this.dim;
    if (m === 0) return this;
    const x = new Float64Array(this.x.length + points.length);
    x.set(this.x);
    x.set(points, this.x.length);
    const y = new Float64Array(this.n + m);
    y.set(this.y);
    for (let j = 0; j < m; j++) y[this.n + j] = Math.min(ceiling, this.posterior(points, j * this.dim).mean);
    return new GaussianProcess(x, y, this.dim, this.paramOfColumn, this.params);
  }
}

/** K + σ²I for the rows of `x`. */
export function kernelMatrix(x: Float64Array, n: number, dim: number, weights: Float64Array, params: KernelParams): Float64Array {
  const s = params.signalVariance;
  const kMatrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    kMatrix[i * n + i] = s + params.noiseVariance;
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let c = 0; c < dim; c++) {
        const d = x[i * dim + c] - x[j * dim + c];
        r2 += weights[c] * d * d;
      }
      const v = s * matern52(r2);
      kMatrix[i * n + j] = v;
      kMatrix[j * n + i] = v;
    }
  }
  return kMatrix;
}

/** Cholesky factor, adding growing jitter to the diagonal when rounding breaks definiteness. */
export function factorize(matrix: Float64Array, n: number, scale: number): Float64Array {
  let added = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const factor = cholesky(matrix, n);
    if (factor !== null) return factor;
    const next = added === 0 ? 1e-10 * Math.max(scale, 1e-300) : added * 10;
    for (let i = 0; i < n; i++) matrix[i * n + i] += next - added;
    added = next;
  }
  throw new Error("kernel matrix is not positive definite even with jitter");
}
