import type { AcquisitionFunction } from "./acquisition.js";
import { STABILIZING_VARIANCE } from "./acquisition.js";
import type { Boxes } from "./box-decomposition.js";
import type { GaussianProcess } from "./model.js";
import { fastLogH, logHDifference } from "./normal.js";

/**
 * Log expected hypervolume improvement, exact, for any number of objectives modelled by
 * independent GPs (values maximised). Over the boxes of the non-dominated region
 * (box-decomposition.ts) the improvement is Σ_k Π_j (min(Y_j, u_kj) − l_kj)₊, and with
 * independent Y_j ~ N(μ_j, σ_j²) the expectation of each product is the product of
 *   E[(min(Y, u) − l)₊] = σ·(h((μ − l)/σ) − h((μ − u)/σ)),  h(z) = z·Φ(z) + φ(z)
 * (Yang et al. 2019, "Efficient computation of expected hypervolume improvement using box
 * decomposition algorithms"). Everything is summed in log space (log h and the log of
 * differences from normal.ts, then log-sum-exp over the boxes), so the value stays finite
 * and ordered far from the front, where the improvement itself underflows to 0, and its
 * gradient still points towards the front.
 */

export interface LogEHVI {
  value: number;
  /** ∂ value / ∂ μ_j and ∂ value / ∂ σ_j, per objective. */
  dMean: Float64Array;
  dSigma: Float64Array;
}

/**
 * Evaluates log EHVI over fixed boxes. The finite box edges of each objective are
 * collected once, so log h is computed once per edge, not once per box and edge.
 */
export class LogEHVIOverBoxes {
  readonly objectives: number;
  private readonly count: number;
  /** Per objective, its distinct finite box edges. */
  private readonly edges: Float64Array[];
  /** Per box and objective, the index of its lower edge, and of its upper edge (−1 for +∞). */
  private readonly lowerEdge: Int32Array;
  private readonly upperEdge: Int32Array;
  /** Per objective and edge: z = (μ − edge)/σ, log h(z) and its slope, for the point being evaluated. */
  private readonly z: Float64Array[];
  private readonly logH: Float64Array[];
  private readonly slope: Float64Array[];
  /** Per box and objective: log E[(min(Y_j, u) − l)₊] − log σ_j. */
  private readonly pieces: Float64Array;
  private readonly terms: Float64Array;

  constructor(boxes: Boxes) {
    const { count, objectives } = boxes;
    this.count = count;
    this.objectives = objectives;
    this.lowerEdge = new Int32Array(count * objectives);
    this.upperEdge = new Int32Array(count * objectives);
    this.edges = [];
    for (let j = 0; j < objectives; j++) {
      const values: number[] = [];
      for (let k = 0; k < count; k++) values.push(boxes.lower[k * objectives + j], boxes.upper[k * objectives + j]);
      const distinct = [...new Set(values.filter(Number.isFinite))].sort((a, b) => a - b);
      const index = new Map(distinct.map((v, i) => [v, i]));
      for (let k = 0; k < count; k++) {
        this.lowerEdge[k * objectives + j] = index.get(boxes.lower[k * objectives + j])!;
        this.upperEdge[k * objectives + j] = index.get(boxes.upper[k * objectives + j]) ?? -1;
      }
      this.edges.push(Float64Array.from(distinct));
    }
    this.z = this.edges.map((e) => new Float64Array(e.length));
    this.logH = this.edges.map((e) => new Float64Array(e.length));
    this.slope = this.edges.map((e) => new Float64Array(e.length));
    this.pieces = new Float64Array(count * objectives);
    this.terms = new Float64Array(count);
  }

  /** log EHVI at posterior means `means` and standard deviations `sigmas`; the derivatives too when `withGradient`. */
  evaluate(means: ArrayLike<number>, sigmas: ArrayLike<number>, withGradient: boolean): LogEHVI {
    const { count, objectives: m, edges, z, logH, slope, pieces, terms, lowerEdge, upperEdge } = this;
    let logSigmas = 0;
    for (let j = 0; j < m; j++) {
      logSigmas += Math.log(sigmas[j]);
      for (let e = 0; e < edges[j].length; e++) {
        z[j][e] = (means[j] - edges[j][e]) / sigmas[j];
        const at = fastLogH(z[j][e]);
        logH[j][e] = at.value;
        slope[j][e] = at.slope;
      }
    }
    let top = -Infinity;
    for (let k = 0; k < count; k++) {
      let term = logSigmas;
      for (let j = 0; j < m; j++) {
        const lower = lowerEdge[k * m + j];
        const upper = upperEdge[k * m + j];
        const piece = upper < 0 ? logH[j][lower] : logHDifference(z[j][lower], logH[j][lower], z[j][upper], logH[j][upper]);
        pieces[k * m + j] = piece;
        term += piece;
      }
      terms[k] = term;
      if (term > top) top = term;
    }
    let sum = 0;
    for (let k = 0; k < count; k++) sum += Math.exp(terms[k] - top);
    const value = top + Math.log(sum);
    const dMean = new Float64Array(m);
    const dSigma = new Float64Array(m);
    if (!withGradient) return { value, dMean, dSigma };
    // Each box weighs in by its share of the sum. Per objective, with I its piece: ∂ log I/∂a = Φ(a)/I
    // and ∂ log I/∂b = −Φ(b)/I (Φ = slope·h); then ∂/∂μ = (∂a + ∂b)/σ and ∂/∂σ = (1 − a·∂a − b·∂b)/σ.
    for (let k = 0; k < count; k++) {
      const share = Math.exp(terms[k] - value);
      if (share === 0) continue;
      for (let j = 0; j < m; j++) {
        const piece = pieces[k * m + j];
        const lower = lowerEdge[k * m + j];
        const upper = upperEdge[k * m + j];
        const dA = slope[j][lower] * Math.exp(logH[j][lower] - piece);
        const dB = upper < 0 ? 0 : -slope[j][upper] * Math.exp(logH[j][upper] - piece);
        const bTerm = upper < 0 ? 0 : z[j][upper] * dB;
        dMean[j] += (share * (dA + dB)) / sigmas[j];
        dSigma[j] += (share * (1 - z[j][lower] * dA - bTerm)) / sigmas[j];
      }
    }
    return { value, dMean, dSigma };
  }
}

/** log EHVI of the objectives modelled by `gps` (one per objective, maximised) over `boxes`, as an acquisition. */
export function createLogEHVI(gps: readonly GaussianProcess[], boxes: Boxes): AcquisitionFunction {
  const ehvi = new LogEHVIOverBoxes(boxes);
  const m = gps.length;
  const means = new Float64Array(m);
  const sigmas = new Float64Array(m);
  return {
    value(point, offset = 0) {
      for (let j = 0; j < m; j++) {
        const { mean, variance } = gps[j].posterior(point, offset);
        means[j] = mean;
        sigmas[j] = Math.sqrt(variance + STABILIZING_VARIANCE);
      }
      return ehvi.evaluate(means, sigmas, false).value;
    },
    valueAndGradient(point, columns) {
      const posteriors = gps.map((gp) => gp.posteriorWithGradient(point, columns));
      posteriors.forEach((p, j) => {
        means[j] = p.mean;
        sigmas[j] = Math.sqrt(p.variance + STABILIZING_VARIANCE);
      });
      const { value, dMean, dSigma } = ehvi.evaluate(means, sigmas, true);
      const gradient = new Float64Array(columns.length);
      posteriors.forEach((p, j) => {
        for (let c = 0; c < columns.length; c++) {
          gradient[c] += dMean[j] * p.meanGradient[c] + (dSigma[j] * p.varianceGradient[c]) / (2 * sigmas[j]);
        }
      });
      return { value, gradient };
    },
  };
}
