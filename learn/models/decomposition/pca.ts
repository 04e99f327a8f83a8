import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import { checkFeatures, type Features } from "../../estimator.js";
import type { RawFeatures, Transformer } from "../../preprocessing.js";
import { fittedClusters as fittedModel } from "../cluster/clusterer.js";
import { type ModelJSON, modelJSON, readModelJSON } from "../serial.js";
import { type ComponentChoice, checkComponentChoice, checkMleShape, resolveComponents } from "./pca-components.js";
import { gaussianLogDensity, modelCovariance, modelPrecision } from "./probabilistic-pca.js";
import { columnMeans, pairwiseMean, pairwiseSum } from "./sums.js";
import { thinSvd } from "./svd.js";

export interface PCAOptions {
  /**
   * How many components to keep: a whole number from 1 to min(nSamples, nFeatures); a
   * fraction of the variance strictly between 0 and 1 (the fewest components whose
   * cumulative explained variance ratio exceeds it); "mle" for Minka's estimate (needs
   * nSamples >= nFeatures). Default: min(nSamples, nFeatures).
   */
  nComponents?: ComponentChoice;
  /** Scale each projection to unit variance (divide by √explainedVariance). Default false. */
  whiten?: boolean;
}

interface FittedPCA {
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
  mean: number[];
  noiseVariance: number;
  nComponents: number;
  nFeatures: number;
  nSamples: number;
}

/**
 * Principal component analysis with scikit-learn 1.2's semantics (`PCA(svd_solver="full")`,
 * which its default "auto" also picks for up to 500 rows and columns): centre X, take the
 * full SVD, sign each axis so that the largest entry of its left singular vector is
 * positive (`svd_flip`), keep the leading `nComponents` axes. The discarded variance is
 * the noise variance of probabilistic PCA, which gives `getCovariance`, `getPrecision`
 * and the log-likelihood `scoreSamples`/`score`. It is a pipeline step:
 * `makePipeline(new StandardScaler(), new PCA({ nComponents: 2 }), new KNNClassifier())`.
 *
 * Where scikit-learn's results are undefined PCA differs: X with no variance (constant
 * columns only) or a single row is refused with a ValueError rather than giving NaN; a
 * fraction at or above every cumulative ratio (1 − 2⁻⁵³ when round-off leaves the sum
 * short of 1) keeps every axis rather than reporting one more than exist; "mle" keeps at
 * least one component, and counts a rank whose likelihood takes the log of 0 (equal
 * eigenvalues, where scikit-learn raises) as unlikely.
 */
export class PCA implements Transformer {
  readonly nComponents: ComponentChoice | undefined;
  readonly whiten: boolean;
  private state?: FittedPCA;

  constructor(options: PCAOptions = {}) {
    const where = "PCA";
    checkOptionKeys(where, options, ["nComponents", "whiten"]);
    this.nComponents = checkComponentChoice(where, options.nComponents);
    const whiten = options.whiten ?? false;
    if (typeof whiten !== "boolean") throw new ValueError(`${where}: whiten must be true or false, got ${show(whiten)}.`);
    this.whiten = whiten;
  }

  /** The principal axes, one row of nFeatures per kept component, by decreasing variance (`components_`). */
  get components(): readonly (readonly number[])[] | undefined {
    return this.state?.components;
  }

  /** The variance along each kept axis: squared singular value / (nSamples − 1). */
  get explainedVariance(): readonly number[] | undefined {
    return this.state?.explainedVariance;
  }

  /** Each kept axis's share of the total variance. */
  get explainedVarianceRatio(): readonly number[] | undefined {
    return this.state?.explainedVarianceRatio;
  }

  /** The singular values of the centred X for the kept axes. */
  get singularValues(): readonly number[] | undefined {
    return this.state?.singularValues;
  }

  /** The mean of each column of the rows fitted on. */
  get mean(): readonly number[] | undefined {
    return this.state?.mean;
  }

  /** The mean variance of the discarded axes (probabilistic PCA's σ²); 0 when every axis is kept. */
  get noiseVariance(): number | undefined {
    return this.state?.noiseVariance;
  }

  /** The number of components kept: `nComponents` resolved against the data (`n_components_`). */
  get nComponentsFitted(): number | undefined {
    return this.state?.nComponents;
  }

  /** The number of columns seen in fit. */
  get nFeaturesIn(): number | undefined {
    return this.state?.nFeatures;
  }

  /** The number of rows seen in fit. */
  get nSamples(): number | undefined {
    return this.state?.nSamples;
  }

  /** Learn the mean and principal axes of X; y is accepted and ignored, so PCA can be a pipeline step. */
  fit(X: RawFeatures, _y?: readonly unknown[]): void {
    const where = "PCA.fit";
    const nFeatures = checkFeatures(where, X as Features);
    const rows = X as Features;
    const nSamples = rows.length;
    if (nSamples < 2) throw new ValueError(`${where}: X has 1 row; PCA needs at least 2 rows to measure variance.`);
    if (this.nComponents === "mle") checkMleShape(where, nSamples, nFeatures);
    const mean = columnMeans(rows);
    const { singularValues, vt } = thinSvd(rows.map((row) => row.map((value, j) => value - mean[j])));
    const variances = singularValues.map((s) => (s * s) / (nSamples - 1));
    const total = pairwiseSum(variances);
    if (!(total > 0)) {
      throw new ValueError(`${where}: X has no variance (every column is constant), so it has no principal axes; check the input.`);
    }
    const ratios = variances.map((v) => v / total);
    const k = resolveComponents(where, this.nComponents, variances, ratios, nSamples, nFeatures);
    this.state = {
      components: vt.slice(0, k),
      explainedVariance: variances.slice(0, k),
      explainedVarianceRatio: ratios.slice(0, k),
      singularValues: singularValues.slice(0, k),
      mean,
      noiseVariance: k < variances.length ? pairwiseMean(variances.slice(k)) : 0,
      nComponents: k,
      nFeatures,
      nSamples,
    };
  }

  /** The coordinates of each row of X along the kept axes (divided by √explainedVariance when whitening). */
  transform(X: RawFeatures): number[][] {
    const { components, explainedVariance, mean } = this.fitted("PCA.transform", X);
    const scale = explainedVariance.map((v) => (this.whiten ? Math.sqrt(v) : 1));
    return (X as Features).map((row) =>
      components.map((axis, k) => {
        let sum = 0;
        for (let j = 0; j < axis.length; j++) sum += (row[j] - mean[j]) * axis[j];
        return sum / scale[k];
      }),
    );
  }

  /** `fit(X)`, then `transform(X)`. */
  fitTransform(X: RawFeatures, y?: readonly unknown[]): number[][] {
    this.fit(X, y);
    return this.transform(X);
  }

  /** Rows of nComponentsFitted coordinates back in feature space: the mean plus the weighted axes (undoing whitening). */
  inverseTransform(Z: Features): number[][] {
    const where = "PCA.inverseTransform";
    const { components, explainedVariance, mean, nComponents } = fittedModel(where, this.state);
    checkFeatures(where, Z, nComponents);
    const scale = explainedVariance.map((v) => (this.whiten ? Math.sqrt(v) : 1));
    return Z.map((z) =>
      mean.map((m, j) => {
        let sum = 0;
        for (let k = 0; k < nComponents; k++) sum += z[k] * scale[k] * components[k][j];
        return sum + m;
      }),
    );
  }

  /** The covariance of the data under probabilistic PCA (nFeatures × nFeatures), scikit-learn's `get_covariance`. */
  getCovariance(): number[][] {
    return modelCovariance(this.gaussian("PCA.getCovariance"));
  }

  /** The inverse of `getCovariance` (scikit-learn's `get_precision`); a ValueError when that covariance is singular. */
  getPrecision(): number[][] {
    return modelPrecision("PCA.getPrecision", this.gaussian("PCA.getPrecision"));
  }

  /** The log-likelihood of each row of X under probabilistic PCA (scikit-learn's `score_samples`). */
  scoreSamples(X: RawFeatures): number[] {
    const where = "PCA.scoreSamples";
    const { mean } = this.fitted(where, X);
    const precision = modelPrecision(where, this.gaussian(where));
    return gaussianLogDensity(
      (X as Features).map((row) => row.map((value, j) => value - mean[j])),
      precision,
    );
  }

  /** The average log-likelihood of the rows of X (scikit-learn's `score`); y is ignored. */
  score(X: RawFeatures, _y?: readonly unknown[]): number {
    return pairwiseMean(this.scoreSamples(X));
  }

  /** The options and, once fitted, the axes, variances and mean, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("PCA", { nComponents: this.nComponents, whiten: this.whiten }, this.state);
  }

  static fromJSON(json: unknown): PCA {
    const { params, state } = readModelJSON<PCAOptions, FittedPCA>("PCA", json);
    const model = new PCA(params);
    if (state) model.state = state;
    return model;
  }

  /** The fitted state, after checking X has the fitted width and no missing cells. */
  private fitted(where: string, X: RawFeatures): FittedPCA {
    const state = fittedModel(where, this.state);
    checkFeatures(where, X as Features, state.nFeatures);
    return state;
  }

  private gaussian(where: string) {
    const { components, explainedVariance, noiseVariance } = fittedModel(where, this.state);
    return { components, explainedVariance, noiseVariance, whiten: this.whiten };
  }
}
