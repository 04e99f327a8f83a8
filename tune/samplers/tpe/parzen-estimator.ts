import { logGaussMass } from "../../../core/math/normal.js";
import type { Rng } from "../../../core/rng.js";
import type { Distribution } from "../../distributions.js";
import { roundToGrid } from "../search-space.js";
import { type BandwidthOptions, sharedBandwidthShare } from "./bandwidths.js";
import { expNegative } from "./fast-exp.js";
import {
  type CategoricalKernels,
  categoricalKernels,
  componentLogWeights,
  type Kernels,
  mergeIdenticalKernels,
  type NumericKernels,
  numericKernels,
} from "./kernels.js";

/**
 * A Parzen estimator: a weighted mixture with one kernel per observation (plus an
 * optional prior kernel), over one parameter or jointly over several.
 *
 * Numeric parameters get truncated-normal kernels in the transformed space (log
 * space for log-scaled ones); ints and stepped floats are widened by half a step on
 * each side and their density is the kernel's mass over the grid cell, so a grid
 * value's probability is what the kernel puts around it. Categorical parameters get
 * a kernel that puts most of its mass on the observed choice and the rest, set by
 * the prior weight, spread evenly.
 *
 * As in Optuna 3, a continuous kernel is scored by its height relative to a unit-width
 * kernel — exp(−z²/2) / (√2π · mass in bounds), without the 1/σ of a normalised
 * density — so each kernel counts in proportion to its bandwidth: isolated
 * observations (wide kernels) weigh more than clustered ones. Sampling still picks
 * kernels by weight alone. On the sampler benchmark (100 seeds) this scored better than
 * normalised densities on six of seven functions, by a third overall, by keeping g(x)
 * from over-penalising well-explored good regions. Grid parameters use each kernel's
 * mass over the cell, which needs no such choice.
 */
export interface ParzenEstimatorOptions extends BandwidthOptions {
  considerPrior: boolean;
  priorWeight: number;
  /**
   * How wide each numeric kernel is before the magic clip. "neighbours": as the larger
   * gap to its neighbouring observations along that parameter (Hyperopt's rule, Optuna's
   * for one parameter). "shared": every kernel of a parameter alike, 0.2 · range ·
   * n^(−1/(d+4)) over d parameters (Optuna 3.1's rule for joint estimators).
   */
  bandwidth: "neighbours" | "shared";
  /** Weights of n observations in chronological order. */
  weights: (n: number) => ArrayLike<number>;
}

/** Optuna's default: equal weights, but beyond 25 observations the older ones fade (linear ramp). */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n >= 25) {
    const ramp = n - 25;
    for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  }
  return w;
}

/** Mixture terms below e^-37 (< 2^-53) of the largest cannot change the sum in double precision: their exp is skipped. */
const SKIP_BELOW = 37;

export class ParzenEstimator {
  nComponents: number;
  private logWeights: Float64Array;
  private cumulativeWeights: Float64Array | null = null;
  private kernels: Kernels[];
  /** log P(choice) when the estimator is one categorical parameter. */
  private choiceLogProbs: Float64Array | null = null;
  private scratch = new Float64Array(0);

  /**
   * @param space the parameters, in a fixed order
   * @param observations per parameter, the internal values of the same n trials (chronological)
   */
  constructor(space: readonly Distribution[], observations: readonly Float64Array[], n: number, options: ParzenEstimatorOptions) {
    const considerPrior = options.considerPrior || n === 0;
    this.logWeights = componentLogWeights(options.weights(n), n, considerPrior, options.priorWeight);
    this.nComponents = this.logWeights.length;
    const sharedShare = options.bandwidth === "shared" ? sharedBandwidthShare(n, space.length) : null;
    this.kernels = space.map((d, j) =>
      d.kind === "categorical"
        ? categoricalKernels(d, observations[j], n, considerPrior, options.priorWeight)
        : numericKernels(d, observations[j], n, considerPrior, options, sharedShare),
    );
    const only = this.kernels.length === 1 ? this.kernels[0] : null;
    if (only !== null && only.kind === "categorical") {
      // One categorical parameter: the mixture is just a distribution over the choices.
      this.choiceLogProbs = new Float64Array(only.nChoices);
      for (let choice = 0; choice < only.nChoices; choice++) {
        let p = 0;
        for (let k = 0; k < this.nComponents; k++) p += Math.exp(this.logWeights[k]) * only.probs[k * only.nChoices + choice];
        this.choiceLogProbs[choice] = Math.log(p);
      }
    } else if (only !== null && only.kind === "numeric" && only.step !== 0) {
      // One grid parameter: many trials share a value and a bandwidth; identical kernels merge.
      const merged = mergeIdenticalKernels(only, this.logWeights);
      this.kernels = [merged.kernel];
      this.nComponents = merged.logWeights.length;
      this.logWeights = merged.logWeights;
    }
  }

  /** Draws `count` points; `out[j][i]` is parameter j of point i, in internal form. */
  sample(rng: Rng, count: number, out: Float64Array[]): void {
    for (let i = 0; i < count; i++) {
      const k = this.pickComponent(rng.random());
      for (let j = 0; j < this.kernels.length; j++) {
        const kernel = this.kernels[j];
        if (kernel.kind === "categorical") {
          out[j][i] = pickChoice(kernel, k, rng.random());
        } else {
          const x = truncatedNormal(rng, kernel.mus[k], kernel.sigmas[k], kernel.low, kernel.high);
          out[j][i] = fromTransformed(kernel, x);
        }
      }
    }
  }

  /** log density of each of `count` points (internal form, as `sample` gives them) into `out`. */
  logPdf(points: readonly Float64Array[], count: number, out: Float64Array): void {
    if (this.choiceLogProbs !== null) {
      for (let i = 0; i < count; i++) out[i] = this.choiceLogProbs[points[0][i]];
      return;
    }
    if (this.continuousDims.length === this.kernels.length) {
      this.continuousLogPdf(points, count, out);
      return;
    }
    const m = this.nComponents;
    const size = count * m;
    if (this.scratch.length < size) this.scratch = new Float64Array(Math.max(size, 2 * this.scratch.length));
    const acc = this.scratch;
    this.addContinuous(points, count, acc);
    for (let j = 0; j < this.kernels.length; j++) {
      const kernel = this.kernels[j];
      const values = points[j];
      if (kernel.kind === "categorical") {
        const c = kernel.nChoices;
        const logProbs = kernel.logProbs;
        for (let i = 0; i < count; i++) {
          const choice = values[i];
          const base = i * m;
          for (let k = 0; k < m; k++) acc[base + k] += logProbs[k * c + choice];
        }
      } else if (kernel.step !== 0) {
        this.addGridLogMass(kernel, values, count, acc);
      }
    }
    for (let i = 0; i < count; i++) {
      const base = i * m;
      let max = -Infinity;
      for (let k = 0; k < m; k++) if (acc[base + k] > max) max = acc[base + k];
      if (max === -Infinity) {
        out[i] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < m; k++) {
        const d = acc[base + k] - max;
        if (d > -SKIP_BELOW) sum += expNegative(d);
      }
      out[i] = max + Math.log(sum);
    }
  }

  /**
   * A grid parameter's density at a grid value is each kernel's mass over the value's
   * cell. Kernels and candidates sit on grid values, so that mass depends only on the
   * bandwidth and on how many steps apart they are: it is computed once per
   * (bandwidth, distance) and looked up after that.
   */
  private addGridLogMass(kernel: NumericKernels, values: Float64Array, count: number, acc: Float64Array): void {
    const m = this.nComponents;
    const { mus, invSigmas, logConst, low, high, step, gridSize, sigmaGroup, groupSigmas } = kernel;
    const tabled = gridSize <= 4096;
    const tables = tabled ? groupSigmas.map(() => new Float64Array(2 * gridSize - 1).fill(NaN)) : [];
    for (let i = 0; i < count; i++) {
      const x = values[i];
      const lower = Math.max(x - step / 2, low);
      const upper = Math.min(x + step / 2, high);
      const base = i * m;
      for (let k = 0; k < m; k++) {
        let mass: number;
        if (tabled) {
          const table = tables[sigmaGroup[k]];
          const slot = Math.round((x - mus[k]) / step) + gridSize - 1;
          mass = table[slot];
          if (Number.isNaN(mass)) {
            mass = logGaussMass((lower - mus[k]) * invSigmas[k], (upper - mus[k]) * invSigmas[k]);
            table[slot] = mass;
          }
        } else {
          mass = logGaussMass((lower - mus[k]) * invSigmas[k], (upper - mus[k]) * invSigmas[k]);
        }
        acc[base + k] += logConst[k] + mass;
      }
    }
  }

  /**
   * Starts `acc` (candidate-major, one row of kernels per candidate) at each kernel's
   * log weight plus its log density over the continuous parameters, all of them in one
   * pass: kernel k's centres and scales sit side by side in `continuousKernels`.
   */
  private addContinuous(points: readonly Float64Array[], count: number, acc: Float64Array): void {
    const m = this.nComponents;
    const dims = this.continuousDims;
    const nc = dims.length;
    const { mus, invSigmas, heads } = this.continuousKernels();
    const x = new Float64Array(nc);
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < nc; c++) {
        const kernel = this.kernels[dims[c]] as NumericKernels;
        const v = points[dims[c]][i];
        x[c] = kernel.log ? Math.log(v) : v;
      }
      const base = i * m;
      if (nc === 1) {
        const x0 = x[0];
        for (let k = 0; k < m; k++) {
          const z = (x0 - mus[k]) * invSigmas[k];
          acc[base + k] = heads[k] - 0.5 * z * z;
        }
      } else {
        for (let k = 0; k < m; k++) {
          let sum = heads[k];
          const row = k * nc;
          for (let c = 0; c < nc; c++) {
            const z = (x[c] - mus[row + c]) * invSigmas[row + c];
            sum -= 0.5 * z * z;
          }
          acc[base + k] = sum;
        }
      }
    }
  }

  /**
   * All parameters continuous: log-sum-exp over kernels, where only the terms within
   * e^37 of the largest pay for an exp.
   */
  private continuousLogPdf(points: readonly Float64Array[], count: number, out: Float64Array): void {
    const m = this.nComponents;
    const dims = this.continuousDims;
    const nc = dims.length;
    const { mus, invSigmas, heads } = this.continuousKernels();
    if (this.scratch.length < m) this.scratch = new Float64Array(Math.max(m, 2 * this.scratch.length));
    const terms = this.scratch;
    const x = new Float64Array(nc);
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < nc; c++) {
        const kernel = this.kernels[dims[c]] as NumericKernels;
        const v = points[dims[c]][i];
        x[c] = kernel.log ? Math.log(v) : v;
      }
      // Pass 1: every kernel's log term and the largest; pass 2: exps of the terms that count.
      let max = -Infinity;
      if (nc === 1) {
        const x0 = x[0];
        for (let k = 0; k < m; k++) {
          const z = (x0 - mus[k]) * invSigmas[k];
          const v = heads[k] - 0.5 * z * z;
          terms[k] = v;
          if (v > max) max = v;
        }
      } else {
        for (let k = 0; k < m; k++) {
          let v = heads[k];
          const row = k * nc;
          for (let c = 0; c < nc; c++) {
            const z = (x[c] - mus[row + c]) * invSigmas[row + c];
            v -= 0.5 * z * z;
          }
          terms[k] = v;
          if (v > max) max = v;
        }
      }
      if (max === -Infinity) {
        out[i] = -Infinity;
        continue;
      }
      const floor = max - SKIP_BELOW;
      let sum = 0;
      for (let k = 0; k < m; k++) {
        const v = terms[k];
        if (v > floor) sum += expNegative(v - max);
      }
      out[i] = max + Math.log(sum);
    }
  }

  private packed: { mus: Float64Array; invSigmas: Float64Array; heads: Float64Array } | null = null;

  /** Continuous kernels packed kernel-major, with log weight and constants folded into `heads`. */
  private continuousKernels(): { mus: Float64Array; invSigmas: Float64Array; heads: Float64Array } {
    if (this.packed !== null) return this.packed;
    const m = this.nComponents;
    const dims = this.continuousDims;
    const nc = dims.length;
    const mus = new Float64Array(m * nc);
    const invSigmas = new Float64Array(m * nc);
    const heads = Float64Array.from(this.logWeights);
    dims.forEach((j, c) => {
      const kernel = this.kernels[j] as NumericKernels;
      for (let k = 0; k < m; k++) {
        mus[k * nc + c] = kernel.mus[k];
        invSigmas[k * nc + c] = kernel.invSigmas[k];
        heads[k] += kernel.logConst[k];
      }
    });
    this.packed = { mus, invSigmas, heads };
    return this.packed;
  }

  private get continuousDims(): number[] {
    if (this.continuousIndex === null) {
      this.continuousIndex = [];
      this.kernels.forEach((kernel, j) => {
        if (kernel.kind === "numeric" && kernel.step === 0) this.continuousIndex!.push(j);
      });
    }
    return this.continuousIndex;
  }

  private continuousIndex: number[] | null = null;

  private pickComponent(u: number): number {
    // Only the estimator that is sampled from (l) needs these: built on first use.
    this.cumulativeWeights ??= cumulative(this.logWeights);
    const cum = this.cumulativeWeights;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function pickChoice(kernel: CategoricalKernels, k: number, u: number): number {
  const c = kernel.nChoices;
  let r = u;
  for (let choice = 0; choice < c; choice++) {
    r -= kernel.probs[k * c + choice];
    if (r < 0) return choice;
  }
  return c - 1;
}

/** Rejection sampling: each kernel is centred inside its bounds with σ ≤ their width, so ≥ a third of draws land inside. */
function truncatedNormal(rng: Rng, mu: number, sigma: number, low: number, high: number): number {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const x = mu + sigma * rng.normal();
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}

function fromTransformed(kernel: NumericKernels, x: number): number {
  const d = kernel.distribution as Exclude<Distribution, { kind: "categorical" }>;
  if (kernel.log) {
    const v = Math.exp(x);
    return d.kind === "int" ? roundToGrid(d, v) : Math.min(d.high, Math.max(d.low, v));
  }
  if (kernel.step !== 0) return roundToGrid(d, x);
  return x;
}

function cumulative(logWeights: Float64Array): Float64Array {
  const cum = new Float64Array(logWeights.length);
  let running = 0;
  for (let k = 0; k < logWeights.length; k++) {
    running += Math.exp(logWeights[k]);
    cum[k] = running;
  }
  return cum;
}
