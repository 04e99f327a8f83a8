import { ValueError } from "../../../core/errors.js";
import { Rng } from "../../../core/rng.js";
import { argmax, checkFeatures, type Features } from "../../estimator.js";
import { type ModelJSON, modelJSON, readModelJSON } from "../serial.js";
import { type Clusterer, checkClustersFitRows, fittedClusters } from "./clusterer.js";
import {
  type CovarianceArray,
  type CovarianceShapes,
  type CovarianceType,
  choleskyOfPrecisions,
  estimateGaussianParameters,
  logProbResp,
  type MixtureParameters,
  parameterCount,
  precisionCholesky,
  precisionsFromCholesky,
  weightedLogProb,
} from "./gaussian-mixture-em.js";
import { checkMixtureOptions, type GaussianMixtureOptions, type MixtureSettings } from "./gaussian-mixture-options.js";
import { KMeans } from "./kmeans.js";
import { kmeansPlusPlus, sampleIndices } from "./kmeans-core.js";

export type { CovarianceShapes, CovarianceType } from "./gaussian-mixture-em.js";
export type { GaussianMixtureOptions, MixtureInit } from "./gaussian-mixture-options.js";

interface FittedMixture extends MixtureParameters {
  covariances: CovarianceArray;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  labels: number[];
  width: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Responsibilities of one for the row each component starts from. */
function oneHot(n: number, rows: readonly number[]): number[][] {
  const resp = Array.from({ length: n }, () => new Array<number>(rows.length).fill(0));
  rows.forEach((row, j) => {
    resp[row][j] = 1;
  });
  return resp;
}

/**
 * A mixture of Gaussians fitted by expectation–maximisation (scikit-learn's
 * `GaussianMixture`). Each of `nInit` runs starts from `initParams` (or the given
 * weights, means and precisions), then alternates E-steps and M-steps until the
 * lower bound — the mean log-likelihood of the rows — changes by less than `tol`;
 * the run of highest lower bound is kept. Rows are labelled by their most
 * probable component. From given weights, means and precisions, every fitted
 * attribute is scikit-learn 1.2's.
 */
export class GaussianMixture<T extends CovarianceType = "full"> implements Clusterer {
  readonly kind = "clusterer";
  readonly nComponents: number;
  readonly covarianceType: T;
  private readonly settings: MixtureSettings;
  private state?: FittedMixture;

  constructor(options: GaussianMixtureOptions<T> = {}) {
    this.settings = checkMixtureOptions("GaussianMixture", options);
    this.nComponents = this.settings.nComponents;
    this.covarianceType = this.settings.covarianceType as T;
  }

  /** The cluster (most probable component) of each row seen by the last `fit`. */
  get labels(): readonly number[] | undefined {
    return this.state?.labels;
  }

  /** The weight of each component, summing to 1 (scikit-learn's `weights_`). */
  get weights(): readonly number[] | undefined {
    return this.state?.weights;
  }

  /** The mean of each component, one row each (scikit-learn's `means_`). */
  get means(): readonly (readonly number[])[] | undefined {
    return this.state?.means;
  }

  /** The covariances, shaped by covarianceType (scikit-learn's `covariances_`). */
  get covariances(): CovarianceShapes[T] | undefined {
    return this.state?.covariances as CovarianceShapes[T] | undefined;
  }

  /** The Cholesky factors P of the precisions, with P·Pᵀ = Σ⁻¹ (scikit-learn's `precisions_cholesky_`). */
  get precisionsCholesky(): CovarianceShapes[T] | undefined {
    return this.state?.precisionsCholesky as CovarianceShapes[T] | undefined;
  }

  /** The precisions: the inverses of the covariances (scikit-learn's `precisions_`). */
  get precisions(): CovarianceShapes[T] | undefined {
    if (this.state === undefined) return undefined;
    return precisionsFromCholesky(this.state.precisionsCholesky, this.covarianceType) as CovarianceShapes[T];
  }

  /** Whether some run converged before maxIter (scikit-learn's `converged_`). */
  get converged(): boolean | undefined {
    return this.state?.converged;
  }

  /** The EM iterations of the kept run (scikit-learn's `n_iter_`). */
  get nIter(): number | undefined {
    return this.state?.nIter;
  }

  /** The kept run's last lower bound: the mean log-likelihood of the rows (scikit-learn's `lower_bound_`). */
  get lowerBound(): number | undefined {
    return this.state?.lowerBound;
  }

  fit(X: Features, _y?: readonly unknown[]): void {
    const where = "GaussianMixture.fit";
    const { nComponents, maxIter, nInit, tol, seed, width } = this.settings;
    const d = checkFeatures(where, X);
    if (X.length < 2) {
      throw new ValueError(`${where}: X has 1 row, and a Gaussian mixture needs at least 2 to estimate a covariance; pass more rows.`);
    }
    checkClustersFitRows(where, nComponents, X.length, "nComponents");
    if (width !== undefined && width !== d) {
      throw new ValueError(
        `${where}: the init arrays are for ${width} features but X has ${d}; give meansInit and precisionsInit for the features of X.`,
      );
    }
    const rng = new Rng(seed);
    let best: { parameters: MixtureParameters; nIter: number; lowerBound: number } | undefined;
    let converged = false;
    for (let run = 0; run < nInit; run++) {
      let parameters = this.start(X, rng);
      let lowerBound = -Infinity;
      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        const previous = lowerBound;
        const { logProbNorm, logResp } = logProbResp(X, parameters, this.covarianceType);
        parameters = this.maximise(
          X,
          logResp.map((row) => row.map(Math.exp)),
        );
        lowerBound = mean(logProbNorm);
        if (Math.abs(lowerBound - previous) < tol) {
          converged = true;
          break;
        }
      }
      if (best === undefined || lowerBound > best.lowerBound) best = { parameters, nIter, lowerBound };
    }
    const { parameters, nIter, lowerBound } = best!;
    const labels = logProbResp(X, parameters, this.covarianceType).logResp.map(argmax);
    this.state = { ...parameters, covariances: parameters.covariances!, converged, nIter, lowerBound, labels, width: d };
  }

  fitPredict(X: Features, _y?: readonly unknown[]): number[] {
    this.fit(X);
    return [...this.state!.labels];
  }

  /** The most probable component of each row. */
  predict(X: Features): number[] {
    return weightedLogProb(X, this.fitted("predict", X), this.covarianceType).map(argmax);
  }

  /** The probability of each component given each row: one column per component, each row summing to 1. */
  predictProba(X: Features): number[][] {
    return logProbResp(X, this.fitted("predictProba", X), this.covarianceType).logResp.map((row) => row.map(Math.exp));
  }

  /** The log-likelihood of each row under the mixture. */
  scoreSamples(X: Features): number[] {
    return logProbResp(X, this.fitted("scoreSamples", X), this.covarianceType).logProbNorm;
  }

  /** The mean log-likelihood of the rows. */
  score(X: Features): number {
    return mean(this.scoreSamples(X));
  }

  /** The Bayesian information criterion on X: −2·(total log-likelihood) + (free parameters)·ln n. Lower is better. */
  bic(X: Features): number {
    return -2 * this.score(X) * X.length + this.parameterCount() * Math.log(X.length);
  }

  /** Akaike's information criterion on X: −2·(total log-likelihood) + 2·(free parameters). Lower is better. */
  aic(X: Features): number {
    return -2 * this.score(X) * X.length + 2 * this.parameterCount();
  }

  /** The free parameters of the fitted model: means, covariances (by covarianceType) and weights less one. */
  parameterCount(): number {
    const { width } = fittedClusters("GaussianMixture.parameterCount", this.state);
    return parameterCount(this.covarianceType, this.nComponents, width);
  }

  /** The options and, once fitted, the weights, means and covariances, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { width: _, ...params } = this.settings;
    return modelJSON("GaussianMixture", params, this.state);
  }

  static fromJSON(json: unknown): GaussianMixture<CovarianceType> {
    const { params, state } = readModelJSON<GaussianMixtureOptions<CovarianceType>, FittedMixture>("GaussianMixture", json);
    const model = new GaussianMixture<CovarianceType>(params);
    if (state) model.state = state;
    return model;
  }

  private fitted(method: string, X: Features): FittedMixture {
    const where = `GaussianMixture.${method}`;
    const state = fittedClusters(where, this.state);
    checkFeatures(where, X, state.width);
    return state;
  }

  /** The M-step from responsibilities: weights normalised to sum to 1, and the precisions' factors. */
  private maximise(X: Features, resp: Features): MixtureParameters {
    const { regCovar } = this.settings;
    const { nk, means, covariances } = estimateGaussianParameters(X, resp, regCovar, this.covarianceType);
    const total = nk.reduce((s, v) => s + v, 0);
    const precisionsCholesky = precisionCholesky(covariances, this.covarianceType, "GaussianMixture.fit", regCovar);
    return { weights: nk.map((v) => v / total), means, covariances, precisionsCholesky };
  }

  /** One run's starting parameters: from the responsibilities of initParams, replaced by the given init arrays. */
  private start(X: Features, rng: Rng): MixtureParameters {
    const { weightsInit, meansInit, precisionsInit, regCovar } = this.settings;
    const type = this.covarianceType;
    const given = precisionsInit === undefined ? undefined : choleskyOfPrecisions(precisionsInit, type);
    if (weightsInit && meansInit && given)
      return { weights: weightsInit, means: meansInit, covariances: undefined, precisionsCholesky: given };
    const { nk, means, covariances } = estimateGaussianParameters(X, this.startingResponsibilities(X, rng), regCovar, type);
    return {
      weights: weightsInit ?? nk.map((v) => v / X.length),
      means: meansInit ?? means,
      covariances: given ? undefined : covariances,
      precisionsCholesky: given ?? precisionCholesky(covariances, type, "GaussianMixture.fit", regCovar),
    };
  }

  private startingResponsibilities(X: Features, rng: Rng): number[][] {
    const k = this.nComponents;
    switch (this.settings.initParams) {
      case "kmeans": {
        const labels = new KMeans({ nClusters: k, nInit: 1, seed: rng.nextUint32() }).fitPredict(X);
        return X.map((_, i) => Array.from({ length: k }, (_, j) => (labels[i] === j ? 1 : 0)));
      }
      case "k-means++": {
        const centers = kmeansPlusPlus(X, k, rng);
        return oneHot(
          X.length,
          centers.map((center) => X.findIndex((row) => row.every((v, f) => v === center[f]))),
        );
      }
      case "random_from_data":
        return oneHot(X.length, sampleIndices(X.length, k, rng));
      case "random":
        return X.map(() => {
          const row = Array.from({ length: k }, () => rng.random());
          const sum = row.reduce((s, v) => s + v, 0);
          return row.map((v) => v / sum);
        });
    }
  }
}
