import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { argmax, ClassEncoder, checkFeatures, checkTraining, type Estimator, type Features, fitted } from "../estimator.js";
import type { Label } from "../labels.js";
import { encoderOf, type ModelJSON, modelJSON, readModelJSON } from "./serial.js";

export interface GaussianNBOptions {
  /** Share of the largest feature variance added to every variance, for stability. Default 1e-9. */
  varSmoothing?: number;
}

interface GaussianNBState {
  encoder: ClassEncoder;
  width: number;
  logPriors: number[];
  means: number[][];
  variances: number[][];
}

/**
 * Gaussian naive Bayes (scikit-learn's `GaussianNB`): per class, independent
 * normal features with the class's mean and (population) variance, plus
 * `varSmoothing` times the largest feature variance; priors from class frequencies.
 */
export class GaussianNB implements Estimator {
  readonly kind = "classifier";
  readonly varSmoothing: number;
  private state?: GaussianNBState;

  constructor(options: GaussianNBOptions = {}) {
    checkOptionKeys("GaussianNB", options, ["varSmoothing"]);
    this.varSmoothing = options.varSmoothing ?? 1e-9;
    if (!(this.varSmoothing >= 0)) throw new ValueError(`GaussianNB: varSmoothing must be >= 0, got ${show(options.varSmoothing)}.`);
  }

  get classes(): readonly Label[] | undefined {
    return this.state?.encoder.classes;
  }

  fit(X: Features, y: readonly Label[]): void {
    const width = checkTraining("GaussianNB.fit", X, y);
    const encoder = new ClassEncoder("GaussianNB.fit", y, 1);
    const codes = encoder.encode(y);
    const k = encoder.classes.length;
    const counts = new Array<number>(k).fill(0);
    const means = Array.from({ length: k }, () => new Array<number>(width).fill(0));
    const variances = Array.from({ length: k }, () => new Array<number>(width).fill(0));
    codes.forEach((c, i) => {
      counts[c]++;
      for (let j = 0; j < width; j++) means[c][j] += X[i][j];
    });
    for (let c = 0; c < k; c++) for (let j = 0; j < width; j++) means[c][j] /= counts[c];
    codes.forEach((c, i) => {
      for (let j = 0; j < width; j++) variances[c][j] += (X[i][j] - means[c][j]) ** 2;
    });
    const epsilon = this.varSmoothing * largestVariance(X, width);
    for (let c = 0; c < k; c++) for (let j = 0; j < width; j++) variances[c][j] = variances[c][j] / counts[c] + epsilon;
    const logPriors = counts.map((count) => Math.log(count / y.length));
    this.state = { encoder, width, logPriors, means, variances };
  }

  /** Log of the joint likelihood of each class, per row (before normalising). */
  private jointLogLikelihood(where: string, X: Features): number[][] {
    const state = fitted(where, this.state);
    checkFeatures(where, X, state.width);
    return X.map((row) =>
      state.logPriors.map((logPrior, c) => {
        let total = logPrior;
        for (let j = 0; j < state.width; j++) {
          const variance = state.variances[c][j];
          total -= 0.5 * Math.log(2 * Math.PI * variance) + (row[j] - state.means[c][j]) ** 2 / (2 * variance);
        }
        return total;
      }),
    );
  }

  predict(X: Features): Label[] {
    const state = fitted("GaussianNB.predict", this.state);
    return state.encoder.decode(this.jointLogLikelihood("GaussianNB.predict", X).map(argmax));
  }

  predictProba(X: Features): number[][] {
    return this.jointLogLikelihood("GaussianNB.predictProba", X).map((logs) => {
      const top = Math.max(...logs);
      const exps = logs.map((v) => Math.exp(v - top));
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((v) => v / total);
    });
  }

  /** The options and, once fitted, the class statistics, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const { state } = this;
    return modelJSON(
      "GaussianNB",
      { varSmoothing: this.varSmoothing },
      state && { ...state, encoder: undefined, classes: state.encoder.classes },
    );
  }

  static fromJSON(json: unknown): GaussianNB {
    const { params, state } = readModelJSON<GaussianNBOptions, Omit<GaussianNBState, "encoder"> & { classes: Label[] }>("GaussianNB", json);
    const model = new GaussianNB(params);
    if (state) {
      const { classes, ...rest } = state;
      model.state = { ...rest, encoder: encoderOf("GaussianNB.fromJSON", classes) };
    }
    return model;
  }
}

function largestVariance(X: Features, width: number): number {
  let largest = 0;
  for (let j = 0; j < width; j++) {
    let mean = 0;
    for (const row of X) mean += row[j];
    mean /= X.length;
    let variance = 0;
    for (const row of X) variance += (row[j] - mean) ** 2;
    largest = Math.max(largest, variance / X.length);
  }
  return largest;
}
