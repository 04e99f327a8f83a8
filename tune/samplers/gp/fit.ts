import type { Rng } from "../../../core/rng.js";
import { minimizeBounded } from "./lbfgsb.js";
import { cholesky, halfLogDeterminant, inverseFromCholesky, solveLower, solveLowerTransposed } from "./linalg.js";
import { type KernelParams, matern52, matern52Slope } from "./model.js";

/**
 * Kernel hyperparameters by maximum a posteriori: maximise log p(y | X, θ) + log p(θ)
 * over θ = (log ρ_1..ρ_P, log s, log(σ² − σ²_min)) with analytic gradients
 *   ∂/∂θ_k log p(y | X, θ) = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_k),  α = K⁻¹y,
 * from several starting points. Working in log space keeps every parameter positive;
 * the noise floor σ²_min keeps K well conditioned.
 *
 * The priors are Optuna's GPSampler defaults, which keep the fit sane on a handful of
 * points: log p(ρ) = −(0.1/ρ + 0.1ρ) (lengthscales near the unit cube's size),
 * s ~ Gamma(2, 1) and σ² ~ Gamma(1.1, 30) (small noise on standardised values).
 */

export interface FitOptions {
  /** Fix σ² at `minimumNoise` instead of fitting it. */
  deterministic: boolean;
  minimumNoise: number;
  /** Raw parameters of an earlier fit to start from, if the parameters are unchanged. */
  warmStart: Float64Array | null;
  rng: Rng;
  /** Random starting points besides the default and the warm start (default 3). */
  randomStarts?: number;
  /** Without a warm start, how many of the best starting points are optimised (default 2). */
  optimizedStarts?: number;
}

export interface FitResult {
  params: KernelParams;
  /** θ, for warm-starting the next fit. */
  raw: Float64Array;
  /** log p(y | X, θ) + log p(θ) at the result (up to a constant). */
  logPosterior: number;
}

const LOG_RHO_BOUNDS = [Math.log(1e-4), Math.log(1e4)] as const;
const LOG_SCALE_BOUNDS = [Math.log(1e-3), Math.log(1e3)] as const;
const LOG_NOISE_BOUNDS = [Math.log(1e-12), Math.log(10)] as const;

export function kernelParamsFromRaw(raw: ArrayLike<number>, nParams: number, minimumNoise: number, deterministic: boolean): KernelParams {
  const rho = new Float64Array(nParams);
  for (let p = 0; p < nParams; p++) rho[p] = Math.exp(raw[p]);
  return {
    inverseSquaredLengthscales: rho,
    signalVariance: Math.exp(raw[nParams]),
    noiseVariance: deterministic ? minimumNoise : Math.exp(raw[nParams + 1]) + minimumNoise,
  };
}

/** θ of ρ = 1 (lengthscale = the unit cube's side), s = 1, σ² = 0.01. */
export function defaultRaw(nParams: number, minimumNoise: number): Float64Array {
  const raw = new Float64Array(nParams + 2);
  raw[nParams + 1] = Math.log(Math.max(1e-2 - minimumNoise, 1e-12));
  return raw;
}

/** −(log marginal likelihood + log prior) and its gradient in θ, over fixed data. */
export class NegativeLogPosterior {
  readonly n: number;
  readonly nParams: number;
  /** Per parameter, the packed lower triangle of squared distances between training points. */
  private readonly distances: Float64Array[];
  private readonly y: Float64Array;
  private readonly kMatrix: Float64Array;
  private readonly slopes: Float64Array;
  evaluations = 0;

  constructor(
    x: Float64Array,
    y: Float64Array,
    dim: number,
    paramOfColumn: Int32Array,
    nParams: number,
    private readonly minimumNoise: number,
    private readonly deterministic: boolean,
  ) {
    const n = y.length;
    this.n = n;
    this.nParams = nParams;
    this.y = y;
    const pairs = (n * (n - 1)) / 2;
    this.distances = Array.from({ length: nParams }, () => new Float64Array(pairs));
    let index = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++, index++) {
        for (let c = 0; c < dim; c++) {
          const d = x[i * dim + c] - x[j * dim + c];
          this.distances[paramOfColumn[c]][index] += d * d;
        }
      }
    }
    this.kMatrix = new Float64Array(n * n);
    this.slopes = new Float64Array(pairs);
  }

  /** The loss at θ = `raw` without its gradient: one Cholesky factorisation, no inverse. */
  loss(raw: Float64Array): number {
    return this.compute(raw, null);
  }

  /** The loss at θ = `raw`; writes its gradient. Infinity when K is not positive definite. */
  evaluate = (raw: Float64Array, gradient: Float64Array): number => this.compute(raw, gradient);

  private compute(raw: Float64Array, gradient: Float64Array | null): number {
    this.evaluations++;
    const { n, nParams, y, kMatrix, slopes, distances } = this;
    const params = kernelParamsFromRaw(raw, nParams, this.minimumNoise, this.deterministic);
    const rho = params.inverseSquaredLengthscales;
    const s = params.signalVariance;
    const noise = params.noiseVariance;

    const pairs = slopes.length;
    const r2 = new Float64Array(pairs);
    for (let p = 0; p < nParams; p++) {
      const dp = distances[p];
      const rp = rho[p];
      for (let k = 0; k < pairs; k++) r2[k] += rp * dp[k];
    }
    let index = 0;
    for (let i = 0; i < n; i++) {
      kMatrix[i * n + i] = s + noise;
      for (let j = 0; j < i; j++, index++) {
        const v = s * matern52(r2[index]);
        kMatrix[i * n + j] = v;
        kMatrix[j * n + i] = v;
        slopes[index] = s * matern52Slope(r2[index]);
      }
    }
    const factor = cholesky(kMatrix, n);
    if (factor === null) {
      gradient?.fill(0);
      return Infinity;
    }
    const alpha = solveLowerTransposed(factor, n, solveLower(factor, n, y));
    let quadratic = 0;
    for (let i = 0; i < n; i++) quadratic += y[i] * alpha[i];
    const logLikelihood = -0.5 * quadratic - halfLogDeterminant(factor, n) - 0.5 * n * Math.log(2 * Math.PI);
    let logPrior = 0;
    for (let p = 0; p < nParams; p++) logPrior -= 0.1 / rho[p] + 0.1 * rho[p];
    logPrior += Math.log(s) - s;
    logPrior += 0.1 * Math.log(noise) - 30 * noise;
    if (gradient === null) return -(logLikelihood + logPrior);

    const inverse = inverseFromCholesky(factor, n);

    // W = ααᵀ − K⁻¹; ∂/∂θ_k = ½ Σ_ij W_ij ∂K_ij/∂θ_k, summed over i > j twice-counted once.
    const weighted = r2; // reuse: W_ij · ∂K_ij/∂(r²) for i > j
    let scaleGradient = 0;
    let traceW = 0;
    index = 0;
    for (let i = 0; i < n; i++) {
      const wii = alpha[i] * alpha[i] - inverse[i * n + i];
      traceW += wii;
      scaleGradient += 0.5 * wii * s;
      for (let j = 0; j < i; j++, index++) {
        const wij = alpha[i] * alpha[j] - inverse[i * n + j];
        scaleGradient += wij * kMatrix[i * n + j];
        weighted[index] = wij * slopes[index];
      }
    }
    for (let p = 0; p < nParams; p++) {
      const dp = distances[p];
      let sum = 0;
      for (let k = 0; k < pairs; k++) sum += weighted[k] * dp[k];
      gradient[p] = sum * rho[p];
    }
    gradient[nParams] = scaleGradient;
    gradient[nParams + 1] = this.deterministic ? 0 : 0.5 * traceW * (noise - this.minimumNoise);

    // Gradients of the priors (see the module comment) in θ.
    for (let p = 0; p < nParams; p++) gradient[p] += 0.1 / rho[p] - 0.1 * rho[p];
    gradient[nParams] += 1 - s;
    if (!this.deterministic) gradient[nParams + 1] += (0.1 / noise - 30) * (noise - this.minimumNoise);

    for (let k = 0; k < gradient.length; k++) gradient[k] = -gradient[k];
    return -(logLikelihood + logPrior);
  }
}

/** Bounds of θ for the optimiser. */
export function rawBounds(nParams: number, deterministic: boolean): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(nParams + 2);
  const upper = new Float64Array(nParams + 2);
  for (let p = 0; p < nParams; p++) [lower[p], upper[p]] = LOG_RHO_BOUNDS;
  [lower[nParams], upper[nParams]] = LOG_SCALE_BOUNDS;
  [lower[nParams + 1], upper[nParams + 1]] = LOG_NOISE_BOUNDS;
  if (deterministic) upper[nParams + 1] = lower[nParams + 1];
  return { lower, upper };
}

export function fitKernelParams(
  x: Float64Array,
  y: Float64Array,
  dim: number,
  paramOfColumn: Int32Array,
  nParams: number,
  options: FitOptions,
): FitResult {
  const objective = new NegativeLogPosterior(x, y, dim, paramOfColumn, nParams, options.minimumNoise, options.deterministic);
  const { lower, upper } = rawBounds(nParams, options.deterministic);
  const clip = (raw: Float64Array) => raw.map((v, k) => Math.min(upper[k], Math.max(lower[k], v)));

  const starts: Float64Array[] = [];
  const hasWarmStart = options.warmStart !== null && options.warmStart.length === nParams + 2;
  if (hasWarmStart) starts.push(clip(options.warmStart!));
  starts.push(clip(defaultRaw(nParams, options.minimumNoise)));
  for (let r = 0; r < (options.randomStarts ?? 3); r++) {
    const raw = new Float64Array(nParams + 2);
    for (let p = 0; p < nParams; p++) raw[p] = 1.5 * options.rng.normal();
    raw[nParams] = 0.5 * options.rng.normal();
    raw[nParams + 1] = options.rng.uniform(Math.log(1e-6), Math.log(1e-1));
    starts.push(clip(raw));
  }

  // Score every start by its loss alone (cheap: no inverse). The warm start is always
  // refined; another start only if it already looks better, or on a cold fit.
  const scored = starts.map((raw, order) => ({ raw, order, loss: objective.loss(raw) }));
  const warm = hasWarmStart ? scored.shift() : undefined;
  scored.sort((a, b) => a.loss - b.loss || a.order - b.order);
  const others =
    warm === undefined ? scored.slice(0, Math.max(1, options.optimizedStarts ?? 2)) : scored.filter((s) => s.loss < warm.loss).slice(0, 1);
  const chosen = [...(warm ? [warm] : []), ...others];

  let best: { raw: Float64Array; loss: number } | null = null;
  for (const start of chosen) {
    if (!Number.isFinite(start.loss)) continue;
    const result = minimizeBounded(objective.evaluate, start.raw, {
      lower,
      upper,
      maxIterations: 100,
      gradientTolerance: 1e-2,
      relativeTolerance: 1e-9,
    });
    if (best === null || result.value < best.loss) best = { raw: result.x, loss: result.value };
  }
  if (best === null) best = { raw: clip(defaultRaw(nParams, options.minimumNoise)), loss: NaN };
  return {
    params: kernelParamsFromRaw(best.raw, nParams, options.minimumNoise, options.deterministic),
    raw: best.raw,
    logPosterior: -best.loss,
  };
}
