import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { checkFeatures, checkRegressionTarget, checkTraining, type Estimator, type Features, fitted } from "../estimator.js";
import { type ModelJSON, modelJSON, readModelJSON } from "./serial.js";

export interface RidgeOptions {
  /** L2 penalty strength (>= 0; 0 is ordinary least squares). Default 1. */
  alpha?: number;
  /** Fit an unpenalised intercept (centring X and y first). Default true. */
  fitIntercept?: boolean;
}

/**
 * Ridge regression (scikit-learn's `Ridge`), solved in closed form:
 * (XᵀX + αI) w = Xᵀy on centred data, by Cholesky decomposition.
 */
export class Ridge implements Estimator<number> {
  readonly kind = "regressor";
  readonly alpha: number;
  readonly fitIntercept: boolean;
  private state?: { coef: number[]; intercept: number };

  constructor(options: RidgeOptions = {}) {
    checkOptionKeys("Ridge", options, ["alpha", "fitIntercept"]);
    this.alpha = options.alpha ?? 1;
    this.fitIntercept = options.fitIntercept ?? true;
    if (typeof this.alpha !== "number" || !(this.alpha >= 0) || !Number.isFinite(this.alpha)) {
      throw new ValueError(`Ridge: alpha must be a finite number >= 0, got ${show(options.alpha)}.`);
    }
  }

  /** The fitted coefficients, one per feature. */
  get coef(): readonly number[] {
    return fitted("Ridge.coef", this.state).coef;
  }

  get intercept(): number {
    return fitted("Ridge.intercept", this.state).intercept;
  }

  fit(X: Features, y: readonly number[]): void {
    const width = checkTraining("Ridge.fit", X, y);
    checkRegressionTarget("Ridge.fit", y);
    const n = X.length;
    const xMean = new Array<number>(width).fill(0);
    let yMean = 0;
    if (this.fitIntercept) {
      for (const row of X) for (let j = 0; j < width; j++) xMean[j] += row[j] / n;
      yMean = y.reduce((a, b) => a + b, 0) / n;
    }
    const centred = new Matrix(X.map((row) => row.map((v, j) => v - xMean[j])));
    const target = Matrix.columnVector(y.map((v) => v - yMean));
    const gram = centred.transpose().mmul(centred);
    for (let j = 0; j < width; j++) gram.set(j, j, gram.get(j, j) + this.alpha);
    const rhs = centred.transpose().mmul(target);
    const cholesky = new CholeskyDecomposition(gram);
    if (!cholesky.isPositiveDefinite()) {
      throw new ValueError(`Ridge.fit: XᵀX + alpha·I is singular (alpha=${this.alpha}); use alpha > 0 or drop collinear features.`);
    }
    const coef = cholesky.solve(rhs).getColumn(0);
    const intercept = this.fitIntercept ? yMean - coef.reduce((acc, w, j) => acc + w * xMean[j], 0) : 0;
    this.state = { coef, intercept };
  }

  predict(X: Features): number[] {
    const { coef, intercept } = fitted("Ridge.predict", this.state);
    checkFeatures("Ridge.predict", X, coef.length);
    return X.map((row) => row.reduce((acc, v, j) => acc + v * coef[j], intercept));
  }

  /** The options and, once fitted, the coefficients, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("Ridge", { alpha: this.alpha, fitIntercept: this.fitIntercept }, this.state);
  }

  static fromJSON(json: unknown): Ridge {
    const { params, state } = readModelJSON<RidgeOptions, { coef: number[]; intercept: number }>("Ridge", json);
    const model = new Ridge(params);
    if (state) model.state = state;
    return model;
  }
}
