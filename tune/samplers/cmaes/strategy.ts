import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { normalQuantile } from "../../../core/math/normal.js";
import type { Rng } from "../../../core/rng.js";

/**
 * The covariance matrix adaptation evolution strategy (Hansen, "The CMA Evolution
 * Strategy: A Tutorial", 2016): weighted recombination of the best half, cumulative
 * step-size adaptation, rank-one and rank-μ covariance updates. It minimises over the
 * box [0, 1]^n: candidates outside are drawn again (then clipped), and solutions that
 * did not come from the current distribution are shortened to a plausible Mahalanobis
 * length, as Hansen recommends for injected solutions.
 *
 * Coordinates that are really grids (integers, stepped floats) get a margin in the
 * spirit of CMA-ES with margin (Hamano et al. 2022): their spread is widened, for
 * sampling only, so that the mean's neighbouring grid values keep a probability of at
 * least 1/(n·λ) — otherwise the search freezes on one grid value.
 */

export interface StrategyOptions {
  mean: Float64Array;
  sigma: number;
  popsize: number;
  /** Grid cells per coordinate, or 0 for a continuous one. */
  cells?: readonly number[];
}

export interface Solution {
  x: Float64Array;
  value: number;
}

/** Why a run stopped; used to trigger restarts. */
export type StopReason = "tolFun" | "tolX" | "flatFitness" | "conditionCov" | "noEffectAxis" | "noEffectCoord";

const TOL_FUN = 1e-12;
const TOL_X = 1e-12;
const MAX_CONDITION = 1e14;

export class CmaStrategy {
  readonly n: number;
  readonly popsize: number;
  readonly mu: number;
  readonly weights: Float64Array;
  readonly muEff: number;
  private readonly cSigma: number;
  private readonly dSigma: number;
  private readonly cC: number;
  private readonly c1: number;
  private readonly cMu: number;
  private readonly chiN: number;
  private readonly cells: readonly number[];

  mean: Float64Array;
  sigma: number;
  private readonly sigma0: number;
  /** Covariance C, row-major. */
  private cov: Float64Array;
  /** C = B·diag(d²)·Bᵀ; B's columns are eigenvectors. */
  private eigenvectors: Float64Array;
  private axisLengths: Float64Array;
  private pathSigma: Float64Array;
  private pathC: Float64Array;
  /** Sampling-only widening of grid coordinates (1 elsewhere). */
  private margin: Float64Array;
  generation = 0;
  private bestHistory: number[] = [];
  private flatGenerations = 0;
  private lastStop: StopReason | null = null;

  constructor(options: StrategyOptions) {
    const n = options.mean.length;
    this.n = n;
    this.popsize = options.popsize;
    this.mu = Math.floor(this.popsize / 2);
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log((this.popsize + 1) / 2) - Math.log(i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(raw, (w) => w / sum);
    this.muEff = 1 / this.weights.reduce((a, w) => a + w * w, 0);
    const muEff = this.muEff;
    this.cSigma = (muEff + 2) / (n + muEff + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + this.cSigma;
    this.cC = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
    this.c1 = 2 / ((n + 1.3) ** 2 + muEff);
    this.cMu = Math.min(1 - this.c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.cells = options.cells ?? new Array<number>(n).fill(0);

    this.mean = Float64Array.from(options.mean);
    this.sigma = options.sigma;
    this.sigma0 = options.sigma;
    this.cov = new Float64Array(n * n);
    this.eigenvectors = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      this.cov[i * n + i] = 1;
      this.eigenvectors[i * n + i] = 1;
    }
    this.axisLengths = new Float64Array(n).fill(1);
    this.pathSigma = new Float64Array(n);
    this.pathC = new Float64Array(n);
    this.margin = new Float64Array(n).fill(1);
    this.updateMargin();
  }

  /** One candidate in [0, 1]^n. */
  ask(rng: Rng): Float64Array {
    const { n } = this;
    const x = new Float64Array(n);
    for (let attempt = 0; attempt < 100; attempt++) {
      this.draw(rng, x);
      if (x.every((v) => v >= 0 && v <= 1)) return x;
    }
    return x.map((v) => Math.min(1, Math.max(0, v)));
  }

  /** Updates the distribution from one generation of evaluated solutions (minimised). */
  tell(solutions: readonly Solution[]): void {
    const { n, mu, weights } = this;
    const sorted = [...solutions].sort((a, b) => a.value - b.value);
    const steps = sorted.map((s) => this.stepOf(s.x));
    this.generation++;

    const meanStep = new Float64Array(n);
    const used = Math.min(mu, steps.length);
    let weightSum = 0;
    for (let k = 0; k < used; k++) weightSum += weights[k];
    for (let k = 0; k < used; k++) for (let i = 0; i < n; i++) meanStep[i] += (weights[k] / weightSum) * steps[k][i];
    for (let i = 0; i < n; i++) this.mean[i] = Math.min(1, Math.max(0, this.mean[i] + this.sigma * this.margin[i] * meanStep[i]));

    // Cumulation: p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ)μ_eff) · C^{-1/2} ⟨y⟩
    const whitened = this.inverseSqrtTimes(meanStep);
    const cs = this.cSigma;
    const factorSigma = Math.sqrt(cs * (2 - cs) * this.muEff);
    for (let i = 0; i < n; i++) this.pathSigma[i] = (1 - cs) * this.pathSigma[i] + factorSigma * whitened[i];
    const pathSigmaNorm = Math.hypot(...this.pathSigma);
    const hSigma = pathSigmaNorm / Math.sqrt(1 - (1 - cs) ** (2 * this.generation)) < (1.4 + 2 / (n + 1)) * this.chiN ? 1 : 0;
    const cc = this.cC;
    const factorC = hSigma * Math.sqrt(cc * (2 - cc) * this.muEff);
    for (let i = 0; i < n; i++) this.pathC[i] = (1 - cc) * this.pathC[i] + factorC * meanStep[i];

    // C ← (1 − c1 − cμ + (1 − hσ)c1·cc(2 − cc)) C + c1 p_c p_cᵀ + cμ Σ w_k y_k y_kᵀ
    const c1 = this.c1;
    const cMu = this.cMu;
    const decay = 1 - c1 - cMu + (1 - hSigma) * c1 * cc * (2 - cc);
    const cov = this.cov;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let rankMu = 0;
        for (let k = 0; k < used; k++) rankMu += (weights[k] / weightSum) * steps[k][i] * steps[k][j];
        const v = decay * cov[i * n + j] + c1 * this.pathC[i] * this.pathC[j] + cMu * rankMu;
        cov[i * n + j] = v;
        cov[j * n + i] = v;
      }
    }
    this.sigma *= Math.exp(Math.min(1, (cs / this.dSigma) * (pathSigmaNorm / this.chiN - 1)));

    // Flat fitness: the best and the 70th-percentile value coincide; widen the search.
    const values = sorted.map((s) => s.value);
    const flat = values.length > 1 && values[0] === values[Math.min(values.length - 1, Math.ceil(0.7 * this.popsize) - 1)];
    this.flatGenerations = flat ? this.flatGenerations + 1 : 0;
    if (flat) this.sigma *= Math.exp(0.2 + cs / this.dSigma);

    this.decompose();
    this.updateMargin();
    this.lastStop = this.stopReason(values);
  }

  /** Why this run should stop, checked after the last `tell`; null while it should go on. */
  shouldStop(): StopReason | null {
    return this.lastStop;
  }

  /** Standard deviation of each coordinate of the next candidates (before repair). */
  coordinateSpread(): Float64Array {
    return Float64Array.from(this.mean, (_, i) => this.sigma * this.margin[i] * Math.sqrt(this.cov[i * this.n + i]));
  }

  private stopReason(values: number[]): StopReason | null {
    const { n } = this;
    this.bestHistory.push(values[0]);
    const historyLength = 10 + Math.ceil((30 * n) / this.popsize);
    if (this.bestHistory.length > historyLength) this.bestHistory.shift();
    if (this.flatGenerations >= 3) return "flatFitness";
    if (this.bestHistory.length >= historyLength) {
      const all = [...this.bestHistory, ...values];
      if (Math.max(...all) - Math.min(...all) < TOL_FUN) return "tolFun";
    }
    let widest = 0;
    for (let i = 0; i < n; i++) widest = Math.max(widest, Math.sqrt(this.cov[i * n + i]), Math.abs(this.pathC[i]));
    if (this.sigma * widest < TOL_X * Math.max(1, this.sigma0)) return "tolX";
    const longest = Math.max(...this.axisLengths);
    const shortest = Math.min(...this.axisLengths);
    if ((longest / shortest) ** 2 > MAX_CONDITION) return "conditionCov";
    // No effect: adding a tenth of a standard deviation along an axis leaves the mean unchanged.
    const axis = this.generation % n;
    let unchanged = true;
    for (let i = 0; i < n && unchanged; i++) {
      const shift = 0.1 * this.sigma * this.axisLengths[axis] * this.eigenvectors[i * n + axis];
      if (this.mean[i] + shift !== this.mean[i]) unchanged = false;
    }
    if (unchanged) return "noEffectAxis";
    for (let i = 0; i < n; i++) {
      if (this.mean[i] + 0.2 * this.sigma * Math.sqrt(this.cov[i * n + i]) === this.mean[i]) return "noEffectCoord";
    }
    return null;
  }

  /** x = m + σ·A·B·D·z, z ~ N(0, I). */
  private draw(rng: Rng, out: Float64Array): void {
    const { n } = this;
    const z = Float64Array.from({ length: n }, () => rng.normal());
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += this.eigenvectors[i * n + k] * this.axisLengths[k] * z[k];
      out[i] = this.mean[i] + this.sigma * this.margin[i] * v;
    }
  }

  /** y = (x − m)/(σA), shortened if its Mahalanobis length is implausible for a sample. */
  private stepOf(x: Float64Array): Float64Array {
    const { n } = this;
    const y = Float64Array.from(x, (v, i) => (v - this.mean[i]) / (this.sigma * this.margin[i]));
    const length = Math.hypot(...this.inverseSqrtTimes(y));
    const limit = Math.sqrt(n) + (2 * n) / (n + 2);
    if (length > limit) for (let i = 0; i < n; i++) y[i] *= limit / length;
    return y;
  }

  /** C^{-1/2}·v = B·D⁻¹·Bᵀ·v. */
  private inverseSqrtTimes(v: Float64Array): Float64Array {
    const { n } = this;
    const projected = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.eigenvectors[i * n + k] * v[i];
      projected[k] = s / this.axisLengths[k];
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += this.eigenvectors[i * n + k] * projected[k];
      out[i] = s;
    }
    return out;
  }

  private decompose(): void {
    const { n } = this;
    const rows = Array.from({ length: n }, (_, i) => Array.from(this.cov.subarray(i * n, (i + 1) * n)));
    const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const vectors = evd.eigenvectorMatrix;
    const values = evd.realEigenvalues;
    for (let k = 0; k < n; k++) {
      this.axisLengths[k] = Math.sqrt(Math.max(values[k], 1e-30));
      for (let i = 0; i < n; i++) this.eigenvectors[i * n + k] = vectors.get(i, k);
    }
    // Keep C consistent with the floored eigenvalues.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += this.eigenvectors[i * n + k] * this.axisLengths[k] ** 2 * this.eigenvectors[j * n + k];
        this.cov[i * n + j] = s;
      }
    }
  }

  private updateMargin(): void {
    const { n } = this;
    const z = normalQuantile(1 - 1 / (n * this.popsize));
    for (let i = 0; i < n; i++) {
      const cells = this.cells[i];
      this.margin[i] = 1;
      if (!(cells > 1)) continue;
      const k = Math.min(cells - 1, Math.max(0, Math.floor(this.mean[i] * cells)));
      const left = this.mean[i] - k / cells;
      const right = (k + 1) / cells - this.mean[i];
      // The nearest boundary with a grid value behind it.
      const distance = k === 0 ? right : k === cells - 1 ? left : Math.min(left, right);
      const spread = this.sigma * Math.sqrt(this.cov[i * n + i]);
      if (spread > 0) this.margin[i] = Math.max(1, distance / (z * spread));
    }
  }
}
