/**
 * The arithmetic of a Gaussian mixture as scikit-learn 1.2 does it: the M-step's
 * weights, means and covariances (with `regCovar` on the diagonal), the Cholesky
 * factors of the precisions, each row's log density under each component, and the
 * E-step's log responsibilities by log-sum-exp. Covariances have one of four shapes.
 */
import { ValueError } from "../../../core/errors.js";
import type { Features } from "../../estimator.js";

/** A covariance per component ("full", "diag", "spherical") or one shared by all ("tied"). */
export type CovarianceType = "full" | "tied" | "diag" | "spherical";

/** The array of covariances (and of precision Cholesky factors) of each covariance type. */
export interface CovarianceShapes {
  /** One d×d matrix per component. */
  full: number[][][];
  /** One d×d matrix for all components. */
  tied: number[][];
  /** One variance per feature, per component. */
  diag: number[][];
  /** One variance per component. */
  spherical: number[];
}

/** Any of the covariance shapes. */
export type CovarianceArray = CovarianceShapes[CovarianceType];

/** The parameters of a mixture: weights, means, covariances and the Cholesky factors of their inverses. */
export interface MixtureParameters {
  weights: number[];
  means: number[][];
  /** Undefined only when the fit starts from given precisions, before its first M-step. */
  covariances: CovarianceArray | undefined;
  precisionsCholesky: CovarianceArray;
}

const LOG_2PI = Math.log(2 * Math.PI);

function zeros(rows: number, columns: number): number[][] {
  return Array.from({ length: rows }, () => new Array<number>(columns).fill(0));
}

/** Σᵢ resp[i][k]·(X[i] − mean_k)ᵀ(X[i] − mean_k) / nk[k] + reg·I for each component k. */
function fullCovariances(X: Features, resp: Features, nk: readonly number[], means: readonly number[][], reg: number): number[][][] {
  const d = X[0].length;
  return means.map((mean, k) => {
    const cov = zeros(d, d);
    const diff = new Array<number>(d);
    X.forEach((row, i) => {
      const r = resp[i][k];
      for (let a = 0; a < d; a++) diff[a] = row[a] - mean[a];
      for (let a = 0; a < d; a++) {
        const ra = r * diff[a];
        for (let b = 0; b <= a; b++) cov[a][b] += ra * diff[b];
      }
    });
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) cov[b][a] = cov[a][b] = cov[a][b] / nk[k];
      cov[a][a] += reg;
    }
    return cov;
  });
}

/** (XᵀX − Σₖ nk[k]·mean_kᵀmean_k) / Σ nk + reg·I: the pooled covariance, as scikit-learn computes it. */
function tiedCovariance(X: Features, nk: readonly number[], means: readonly number[][], reg: number): number[][] {
  const d = X[0].length;
  const cov = zeros(d, d);
  for (const row of X) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a][b] += row[a] * row[b];
  means.forEach((mean, k) => {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a][b] -= nk[k] * mean[a] * mean[b];
  });
  const total = nk.reduce((s, v) => s + v, 0);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) cov[a][b] /= total;
    cov[a][a] += reg;
  }
  return cov;
}

/** E[x²] − 2·mean·E[x] + mean² + reg per feature and component, as scikit-learn computes it. */
function diagCovariances(X: Features, resp: Features, nk: readonly number[], means: readonly number[][], reg: number): number[][] {
  const d = X[0].length;
  return means.map((mean, k) => {
    const x2 = new Array<number>(d).fill(0);
    const x1 = new Array<number>(d).fill(0);
    X.forEach((row, i) => {
      const r = resp[i][k];
      for (let f = 0; f < d; f++) {
        x1[f] += r * row[f];
        x2[f] += r * row[f] * row[f];
      }
    });
    return mean.map((m, f) => x2[f] / nk[k] - 2 * ((m * x1[f]) / nk[k]) + m * m + reg);
  });
}

/**
 * The M-step: each component's weight (its total responsibility, not yet divided),
 * mean and covariance, with `reg` added to every variance. A component no row is
 * responsible for keeps a tiny weight (10 machine epsilons) rather than none.
 */
export function estimateGaussianParameters(
  X: Features,
  resp: Features,
  reg: number,
  type: CovarianceType,
): { nk: number[]; means: number[][]; covariances: CovarianceArray } {
  const k = resp[0].length;
  const d = X[0].length;
  const nk = new Array<number>(k).fill(0);
  const means = zeros(k, d);
  X.forEach((row, i) => {
    for (let j = 0; j < k; j++) {
      const r = resp[i][j];
      nk[j] += r;
      for (let f = 0; f < d; f++) means[j][f] += r * row[f];
    }
  });
  for (let j = 0; j < k; j++) {
    nk[j] += 10 * Number.EPSILON;
    for (let f = 0; f < d; f++) means[j][f] /= nk[j];
  }
  let covariances: CovarianceArray;
  if (type === "full") covariances = fullCovariances(X, resp, nk, means, reg);
  else if (type === "tied") covariances = tiedCovariance(X, nk, means, reg);
  else {
    const diag = diagCovariances(X, resp, nk, means, reg);
    covariances = type === "diag" ? diag : diag.map((v) => v.reduce((s, x) => s + x, 0) / d);
  }
  return { nk, means, covariances };
}

/** The lower Cholesky factor L of a symmetric matrix (read from its lower triangle), or undefined if it is not positive definite. */
export function choleskyLower(matrix: readonly (readonly number[])[]): number[][] | undefined {
  const d = matrix.length;
  const L = zeros(d, d);
  for (let j = 0; j < d; j++) {
    let pivot = matrix[j][j];
    for (let p = 0; p < j; p++) pivot -= L[j][p] * L[j][p];
    if (!(pivot > 0)) return undefined;
    const root = Math.sqrt(pivot);
    L[j][j] = root;
    for (let i = j + 1; i < d; i++) {
      let sum = matrix[i][j];
      for (let p = 0; p < j; p++) sum -= L[i][p] * L[j][p];
      L[i][j] = sum / root;
    }
  }
  return L;
}

/** (L⁻¹)ᵀ for a lower triangular L: an upper triangular U with U·Uᵀ = (L·Lᵀ)⁻¹. */
function inverseTransposed(L: readonly number[][]): number[][] {
  const d = L.length;
  const U = zeros(d, d);
  for (let c = 0; c < d; c++) {
    // column c of L⁻¹ by forward substitution; it is row c of U
    for (let i = c; i < d; i++) {
      let sum = i === c ? 1 : 0;
      for (let p = c; p < i; p++) sum -= L[i][p] * U[c][p];
      U[c][i] = sum / L[i][i];
    }
  }
  return U;
}

/** The error of a covariance that is not positive definite, saying how to avoid it. */
function notDefinite(where: string, which: string, regCovar: number): ValueError {
  return new ValueError(
    `${where}: the covariance of ${which} is not positive definite: its rows collapse onto fewer dimensions ` +
      `(a single row, repeated rows, or a feature that is a combination of others). ` +
      `Raise regCovar (now ${regCovar}) or lower nComponents.`,
  );
}

/** The Cholesky factor of each precision (inverse covariance), or a ValueError for a covariance that is not positive definite. */
export function precisionCholesky(covariances: CovarianceArray, type: CovarianceType, where: string, regCovar: number): CovarianceArray {
  const factor = (cov: number[][], which: string): number[][] => {
    const L = choleskyLower(cov);
    if (L === undefined) throw notDefinite(where, which, regCovar);
    return inverseTransposed(L);
  };
  if (type === "full") return (covariances as number[][][]).map((cov, k) => factor(cov, `component ${k}`));
  if (type === "tied") return factor(covariances as number[][], "the components (tied)");
  const root = (v: number, k: number): number => {
    if (!(v > 0)) throw notDefinite(where, `component ${k}`, regCovar);
    return 1 / Math.sqrt(v);
  };
  if (type === "diag") return (covariances as number[][]).map((row, k) => row.map((v) => root(v, k)));
  return (covariances as number[]).map(root);
}

/** The Cholesky factor of given precisions: the lower factor of each matrix, or the square roots. */
export function choleskyOfPrecisions(precisions: CovarianceArray, type: CovarianceType): CovarianceArray {
  if (type === "full") return (precisions as number[][][]).map((p) => choleskyLower(p)!);
  if (type === "tied") return choleskyLower(precisions as number[][])!;
  if (type === "diag") return (precisions as number[][]).map((row) => row.map(Math.sqrt));
  return (precisions as number[]).map(Math.sqrt);
}

/** P·Pᵀ for each Cholesky factor P, or its square: the precisions. */
export function precisionsFromCholesky(factors: CovarianceArray, type: CovarianceType): CovarianceArray {
  const product = (P: readonly number[][]) => P.map((row) => P.map((other) => row.reduce((s, v, c) => s + v * other[c], 0)));
  if (type === "full") return (factors as number[][][]).map(product);
  if (type === "tied") return product(factors as number[][]);
  if (type === "diag") return (factors as number[][]).map((row) => row.map((v) => v * v));
  return (factors as number[]).map((v) => v * v);
}

/** Σ log of the diagonal of each factor: half the log determinant of each precision. */
function halfLogDetPrecision(factors: CovarianceArray, type: CovarianceType, k: number, d: number): number[] {
  const logDiag = (P: readonly number[][]) => P.reduce((s, row, a) => s + Math.log(row[a]), 0);
  if (type === "full") return (factors as number[][][]).map(logDiag);
  if (type === "tied") return new Array<number>(k).fill(logDiag(factors as number[][]));
  if (type === "diag") return (factors as number[][]).map((row) => row.reduce((s, v) => s + Math.log(v), 0));
  return (factors as number[]).map((v) => d * Math.log(v));
}

/** x·P for a row x and a d×d matrix P. */
function rowTimes(x: readonly number[], P: readonly number[][]): number[] {
  const d = x.length;
  const out = new Array<number>(d).fill(0);
  for (let a = 0; a < d; a++) {
    const xa = x[a];
    const row = P[a];
    for (let b = 0; b < d; b++) out[b] += xa * row[b];
  }
  return out;
}

/** The squared Mahalanobis distance of each row to each mean: one column per component. */
function mahalanobis(X: Features, means: readonly number[][], factors: CovarianceArray, type: CovarianceType): number[][] {
  if (type === "full" || type === "tied") {
    const P = (k: number) => (type === "full" ? (factors as number[][][])[k] : (factors as number[][]));
    const meanP = means.map((mean, k) => rowTimes(mean, P(k)));
    return X.map((row) =>
      means.map((_, k) => {
        const y = rowTimes(row, P(k));
        return y.reduce((s, v, f) => s + (v - meanP[k][f]) ** 2, 0);
      }),
    );
  }
  const d = X[0].length;
  const precisions = means.map((_, k) => {
    if (type === "diag") return (factors as number[][])[k].map((v) => v * v);
    const p = (factors as number[])[k] ** 2;
    return new Array<number>(d).fill(p);
  });
  const constant = means.map((mean, k) => mean.reduce((s, m, f) => s + m * m * precisions[k][f], 0));
  return X.map((row) =>
    means.map((mean, k) => {
      let cross = 0;
      let square = 0;
      for (let f = 0; f < d; f++) {
        cross += row[f] * (mean[f] * precisions[k][f]);
        square += row[f] * row[f] * precisions[k][f];
      }
      return constant[k] - 2 * cross + square;
    }),
  );
}

/** log N(x | mean_k, Σ_k) + log weight_k for each row and component. */
export function weightedLogProb(X: Features, parameters: MixtureParameters, type: CovarianceType): number[][] {
  const { weights, means, precisionsCholesky } = parameters;
  const d = X[0].length;
  const logDet = halfLogDetPrecision(precisionsCholesky, type, means.length, d);
  const logWeights = weights.map(Math.log);
  return mahalanobis(X, means, precisionsCholesky, type).map((row) =>
    row.map((m, k) => -0.5 * (d * LOG_2PI + m) + logDet[k] + logWeights[k]),
  );
}

/** log Σ exp(v), shifted by the largest value (which is used as is when it is not finite). */
export function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  const shift = Number.isFinite(max) ? max : 0;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - shift);
  return Math.log(sum) + shift;
}

/** The E-step: each row's log likelihood (log-sum-exp of its weighted log densities) and log responsibilities. */
export function logProbResp(
  X: Features,
  parameters: MixtureParameters,
  type: CovarianceType,
): { logProbNorm: number[]; logResp: number[][] } {
  const weighted = weightedLogProb(X, parameters, type);
  const logProbNorm = weighted.map(logSumExp);
  const logResp = weighted.map((row, i) => row.map((v) => v - logProbNorm[i]));
  return { logProbNorm, logResp };
}

/** The number of free parameters: means, covariances (by type) and the weights less one. */
export function parameterCount(type: CovarianceType, k: number, d: number): number {
  const covariance = { full: (k * d * (d + 1)) / 2, tied: (d * (d + 1)) / 2, diag: k * d, spherical: k }[type];
  return covariance + k * d + k - 1;
}
