import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { argmax, ClassEncoder, checkFeatures, checkTraining, type Estimator, type Features, fitted } from "../estimator.js";
import type { Label } from "../labels.js";
import { lbfgs } from "./lbfgs.js";
import { encoderOf, type ModelJSON, modelJSON, readModelJSON } from "./serial.js";

export interface LogisticRegressionOptions {
  /** Inverse L2 penalty strength: smaller is stronger regularisation. Default 1. */
  C?: number;
  /** Iteration limit of the L-BFGS solver. Default 100. */
  maxIter?: number;
  /** Stop when the largest gradient component of the mean loss is at most this. Default 1e-4. */
  tol?: number;
  /** Fit an unpenalised intercept. Default true. */
  fitIntercept?: boolean;
}

interface LogisticState {
  encoder: ClassEncoder;
  width: number;
  /** One row of weights per class (a single row for two classes), the intercept last. */
  weights: number[][];
}

/**
 * L2-regularised logistic regression minimising the mean log loss plus
 * ‖W‖² / (2·C·n), as scikit-learn's `LogisticRegression` (lbfgs) does:
 * one sigmoid for two classes, a multinomial softmax for more.
 */
export class LogisticRegression implements Estimator {
  readonly kind = "classifier";
  readonly C: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly fitIntercept: boolean;
  /** Solver iterations of the last fit, and whether it met `tol`. */
  nIter = 0;
  converged = false;
  private state?: LogisticState;

  constructor(options: LogisticRegressionOptions = {}) {
    checkOptionKeys("LogisticRegression", options, ["C", "maxIter", "tol", "fitIntercept"]);
    this.C = options.C ?? 1;
    this.maxIter = options.maxIter ?? 100;
    this.tol = options.tol ?? 1e-4;
    this.fitIntercept = options.fitIntercept ?? true;
    if (typeof this.C !== "number" || !(this.C > 0) || !Number.isFinite(this.C)) {
      throw new ValueError(`LogisticRegression: C must be a positive finite number, got ${show(options.C)}.`);
    }
    if (!Number.isInteger(this.maxIter) || this.maxIter < 1) {
      throw new ValueError(`LogisticRegression: maxIter must be an integer >= 1, got ${show(options.maxIter)}.`);
    }
    if (!(this.tol > 0)) throw new ValueError(`LogisticRegression: tol must be > 0, got ${show(options.tol)}.`);
  }

  get classes(): readonly Label[] | undefined {
    return this.state?.encoder.classes;
  }

  /** Weights per class row (one row for binary problems), without the intercept. */
  get coef(): number[][] {
    const { weights, width } = fitted("LogisticRegression.coef", this.state);
    return weights.map((row) => row.slice(0, width));
  }

  get intercept(): number[] {
    const { weights, width } = fitted("LogisticRegression.intercept", this.state);
    return weights.map((row) => row[width]);
  }

  fit(X: Features, y: readonly Label[]): void {
    const width = checkTraining("LogisticRegression.fit", X, y);
    const encoder = new ClassEncoder("LogisticRegression.fit", y);
    const codes = encoder.encode(y);
    const rows = encoder.classes.length === 2 ? 1 : encoder.classes.length;
    const stride = width + 1;
    const n = X.length;
    const penalty = 1 / (this.C * n);
    const fitIntercept = this.fitIntercept;
    const scores = new Float64Array(rows);
    const objective = (params: Float64Array, gradient: Float64Array): number => {
      gradient.fill(0);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const x = X[i];
        for (let c = 0; c < rows; c++) {
          let z = params[c * stride + width];
          for (let j = 0; j < width; j++) z += params[c * stride + j] * x[j];
          scores[c] = z;
        }
        if (rows === 1) {
          // Binary: class 1 is positive; log(1 + e^-z) for it, log(1 + e^z) otherwise.
          const z = scores[0];
          const target = codes[i];
          loss += target === 1 ? softplus(-z) : softplus(z);
          const residual = sigmoid(z) - target;
          for (let j = 0; j < width; j++) gradient[j] += residual * x[j];
          gradient[width] += residual;
        } else {
          let top = -Infinity;
          for (let c = 0; c < rows; c++) top = Math.max(top, scores[c]);
          let total = 0;
          for (let c = 0; c < rows; c++) total += Math.exp(scores[c] - top);
          const logSum = top + Math.log(total);
          loss += logSum - scores[codes[i]];
          for (let c = 0; c < rows; c++) {
            const residual = Math.exp(scores[c] - logSum) - (c === codes[i] ? 1 : 0);
            for (let j = 0; j < width; j++) gradient[c * stride + j] += residual * x[j];
            gradient[c * stride + width] += residual;
          }
        }
      }
      loss /= n;
      for (let k = 0; k < gradient.length; k++) gradient[k] /= n;
      for (let c = 0; c < rows; c++) {
        for (let j = 0; j < width; j++) {
          const w = params[c * stride + j];
          loss += 0.5 * penalty * w * w;
          gradient[c * stride + j] += penalty * w;
        }
        if (!fitIntercept) gradient[c * stride + width] = 0;
      }
      return loss;
    };
    const result = lbfgs(objective, new Float64Array(rows * stride), { tol: this.tol, maxIter: this.maxIter });
    this.nIter = result.iterations;
    this.converged = result.converged;
    const weights = Array.from({ length: rows }, (_, c) => Array.from(result.x.subarray(c * stride, (c + 1) * stride)));
    this.state = { encoder, width, weights };
  }

  predictProba(X: Features): number[][] {
    const { weights, width } = fitted("LogisticRegression.predictProba", this.state);
    checkFeatures("LogisticRegression.predictProba", X, width);
    return X.map((x) => {
      const scores = weights.map((w) => x.reduce((acc, v, j) => acc + v * w[j], w[width]));
      if (scores.length === 1) {
        const p = sigmoid(scores[0]);
        return [1 - p, p];
      }
      const top = Math.max(...scores);
      const exps = scores.map((z) => Math.exp(z - top));
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((e) => e / total);
    });
  }

  predict(X: Features): Label[] {
    const { encoder } = fitted("LogisticRegression.predict", this.state);
    return encoder.decode(this.predictProba(X).map(argmax));
  }

  /** The options and, once fitted, the weights, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { state } = this;
    return modelJSON(
      "LogisticRegression",
      { C: this.C, maxIter: this.maxIter, tol: this.tol, fitIntercept: this.fitIntercept },
      state && { classes: state.encoder.classes, width: state.width, weights: state.weights, nIter: this.nIter, converged: this.converged },
    );
  }

  static fromJSON(json: unknown): LogisticRegression {
    type Saved = { classes: Label[]; width: number; weights: number[][]; nIter: number; converged: boolean };
    const { params, state } = readModelJSON<LogisticRegressionOptions, Saved>("LogisticRegression", json);
    const model = new LogisticRegression(params);
    if (state) {
      model.state = { encoder: encoderOf("LogisticRegression.fromJSON", state.classes), width: state.width, weights: state.weights };
      model.nIter = state.nIter;
      model.converged = state.converged;
    }
    return model;
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z), without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
