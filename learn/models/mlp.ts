import type { io, LayersModel, Tensor2D } from "@tensorflow/tfjs";
import { checkOptionKeys, show, TrialPruned, ValueError } from "../../core/errors.js";
import { checkSeed, Rng } from "../../core/rng.js";
import {
  argmax,
  ClassEncoder,
  checkFeatures,
  checkRegressionTarget,
  checkTraining,
  type Estimator,
  type Features,
  fitted,
} from "../estimator.js";
import type { Label } from "../labels.js";
import { encoderOf, type ModelJSON, modelJSON, readModelJSON } from "./serial.js";
import { loadTf, type Tf } from "./tf.js";

/**
 * Called after each epoch with the epoch index (from 0) and the validation
 * score (accuracy for the classifier, R² for the regressor; greater is better).
 * Return true to stop training; throw (e.g. `TrialPruned`) to abort the fit.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a callback may return nothing, as most do
export type EpochCallback = (epoch: number, validationScore: number) => void | boolean | Promise<void | boolean>;

export interface MLPOptions {
  /** Width of each hidden layer. Default [32]. */
  hiddenUnits?: number[];
  /** Activation of the hidden layers. Default "relu". */
  activation?: "relu" | "tanh" | "sigmoid" | "elu";
  /** Adam's learning rate. Default 0.001. */
  learningRate?: number;
  /** Passes over the training rows. Default 50. */
  epochs?: number;
  /** Rows per gradient step. Default 32. */
  batchSize?: number;
  /** L2 penalty on the weights. Default 0. */
  l2?: number;
  /**
   * Share of the training rows held out to compute the score passed to
   * `onEpochEnd` (only when `onEpochEnd` is set; 0 scores the training rows). Default 0.1.
   */
  validationFraction?: number;
  /** Seed of the initial weights, the held-out rows and the batch order. Default: a fresh random seed. */
  seed?: number;
  onEpochEnd?: EpochCallback;
}

const OPTION_KEYS = ["hiddenUnits", "activation", "learningRate", "epochs", "batchSize", "l2", "validationFraction", "seed", "onEpochEnd"];

interface Settings {
  hiddenUnits: number[];
  activation: "relu" | "tanh" | "sigmoid" | "elu";
  learningRate: number;
  epochs: number;
  batchSize: number;
  l2: number;
  validationFraction: number;
  seed: number | undefined;
  onEpochEnd: EpochCallback | undefined;
}

function settings(where: string, options: MLPOptions): Settings {
  checkOptionKeys(where, options, OPTION_KEYS);
  const s: Settings = {
    hiddenUnits: options.hiddenUnits ?? [32],
    activation: options.activation ?? "relu",
    learningRate: options.learningRate ?? 0.001,
    epochs: options.epochs ?? 50,
    batchSize: options.batchSize ?? 32,
    l2: options.l2 ?? 0,
    validationFraction: options.validationFraction ?? 0.1,
    seed: options.seed,
    onEpochEnd: options.onEpochEnd,
  };
  if (!Array.isArray(s.hiddenUnits) || s.hiddenUnits.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new ValueError(`${where}: hiddenUnits must be an array of layer widths (integers >= 1), got ${show(options.hiddenUnits)}.`);
  }
  if (!["relu", "tanh", "sigmoid", "elu"].includes(s.activation)) {
    throw new ValueError(`${where}: activation must be "relu", "tanh", "sigmoid" or "elu", got ${show(options.activation)}.`);
  }
  if (typeof s.learningRate !== "number" || !(s.learningRate > 0) || !Number.isFinite(s.learningRate)) {
    throw new ValueError(`${where}: learningRate must be a positive number, got ${show(options.learningRate)}.`);
  }
  if (!Number.isInteger(s.epochs) || s.epochs < 1)
    throw new ValueError(`${where}: epochs must be an integer >= 1, got ${show(options.epochs)}.`);
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1) {
    throw new ValueError(`${where}: batchSize must be an integer >= 1, got ${show(options.batchSize)}.`);
  }
  if (typeof s.l2 !== "number" || !(s.l2 >= 0)) throw new ValueError(`${where}: l2 must be a number >= 0, got ${show(options.l2)}.`);
  if (typeof s.validationFraction !== "number" || !(s.validationFraction >= 0 && s.validationFraction < 1)) {
    throw new ValueError(`${where}: validationFraction must be in [0, 1), got ${show(options.validationFraction)}.`);
  }
  checkSeed(where, s.seed);
  if (s.onEpochEnd !== undefined && typeof s.onEpochEnd !== "function") {
    throw new ValueError(`${where}: onEpochEnd must be a function (epoch, validationScore) => ..., got ${show(options.onEpochEnd)}.`);
  }
  return s;
}

/** What the training loop needs to know about the task. */
interface Head {
  outputs: number;
  activation: "softmax" | "linear";
  loss: "categoricalCrossentropy" | "meanSquaredError";
  /** Training targets as rows of the output layer. */
  targets: number[][];
  /** Score of network outputs against row targets (greater is better). */
  score(outputs: number[][], rows: number[]): number;
}

/** A fitted network as TensorFlow.js saves it: topology, weight specs and the weights' bytes in base64. */
interface SavedNetwork {
  modelTopology: io.ModelArtifacts["modelTopology"];
  weightSpecs: io.WeightsManifestEntry[];
  weightData: string;
}

abstract class MLPBase {
  readonly options: Readonly<Settings>;
  private model?: LayersModel;
  private tf?: Tf;
  /** The fitted network in TensorFlow.js's format, taken at the end of fit so `toJSON` can be synchronous. */
  private saved?: SavedNetwork;
  protected width = 0;
  /** Epochs actually run by the last fit (fewer when stopped early). */
  epochsRun = 0;

  constructor(
    protected readonly where: string,
    options: MLPOptions,
  ) {
    this.options = settings(where, options);
  }

  protected async train(X: Features, head: Head): Promise<void> {
    this.tf = await loadTf();
    const tf = this.tf;
    const s = this.options;
    const rng = new Rng(s.seed);
    this.dispose();
    this.width = X[0].length;
    const model = tf.sequential();
    const regularizer = s.l2 > 0 ? tf.regularizers.l2({ l2: s.l2 }) : undefined;
    const widths = [...s.hiddenUnits, head.outputs];
    widths.forEach((units, i) => {
      const last = i === widths.length - 1;
      model.add(
        tf.layers.dense({
          units,
          activation: last ? head.activation : s.activation,
          inputShape: i === 0 ? [this.width] : undefined,
          kernelInitializer: "zeros",
          kernelRegularizer: last ? undefined : regularizer,
        }),
      );
    });
    // Glorot-uniform weights drawn from our Rng (tfjs 3's uniform initialisers ignore their seed).
    let fanIn = this.width;
    widths.forEach((units, i) => {
      const limit = Math.sqrt(6 / (fanIn + units));
      const kernel = Array.from({ length: fanIn }, () => Array.from({ length: units }, () => rng.uniform(-limit, limit)));
      const weights = [tf.tensor2d(kernel, [fanIn, units]), tf.zeros([units])];
      model.layers[i].setWeights(weights);
      tf.dispose(weights);
      fanIn = units;
    });
    model.compile({ optimizer: tf.train.adam(s.learningRate), loss: head.loss });
    this.model = model;

    const rows = X.map((_, i) => i);
    rng.shuffle(rows);
    const hold = s.onEpochEnd && s.validationFraction > 0 ? Math.max(1, Math.round(s.validationFraction * rows.length)) : 0;
    if (hold >= rows.length) {
      throw new ValueError(`${this.where}.fit: validationFraction=${s.validationFraction} leaves no training rows out of ${rows.length}.`);
    }
    const validation = rows.slice(0, hold);
    const training = rows.slice(hold);
    const xs = tf.tensor2d(
      X.map((row) => [...row]),
      [X.length, this.width],
    );
    const ys = tf.tensor2d(head.targets, [X.length, head.outputs]);
    try {
      this.epochsRun = 0;
      for (let epoch = 0; epoch < s.epochs; epoch++) {
        const order = rng.shuffle([...training]);
        for (let start = 0; start < order.length; start += s.batchSize) {
          const batch = tf.tensor1d(order.slice(start, start + s.batchSize), "int32");
          const bx = tf.gather(xs, batch);
          const by = tf.gather(ys, batch);
          try {
            await model.trainOnBatch(bx, by);
          } finally {
            tf.dispose([batch, bx, by]);
          }
        }
        this.epochsRun = epoch + 1;
        if (s.onEpochEnd) {
          const scored = validation.length > 0 ? validation : training;
          const outputs = this.forward(scored.map((i) => X[i]));
          if ((await s.onEpochEnd(epoch, head.score(outputs, scored))) === true) break;
        }
      }
    } finally {
      tf.dispose([xs, ys]);
    }
    this.saved = await saveNetwork(tf, model);
  }

  /** The options (without `onEpochEnd`, a function) and the network, for `toJSON`. */
  protected savedForm(extra: object | undefined): { params: object; state: object | null } {
    const { onEpochEnd: _, ...params } = this.options;
    const state =
      this.saved && this.model && extra ? { network: this.saved, width: this.width, epochsRun: this.epochsRun, ...extra } : null;
    return { params, state };
  }

  /** Load a network `savedForm` gave. */
  protected async restore(state: { network: SavedNetwork; width: number; epochsRun: number }): Promise<void> {
    const tf = await loadTf();
    const { modelTopology, weightSpecs, weightData } = state.network;
    const bytes = Buffer.from(weightData, "base64");
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.tf = tf;
    this.model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData: buffer }));
    this.saved = state.network;
    this.width = state.width;
    this.epochsRun = state.epochsRun;
  }

  /** Network outputs for rows of X. */
  protected forward(X: Features): number[][] {
    const model = fitted(`${this.where}.predict`, this.model);
    const tf = this.tf!;
    checkFeatures(`${this.where}.predict`, X, this.width);
    return tf.tidy(() =>
      (
        model.predict(
          tf.tensor2d(
            X.map((row) => [...row]),
            [X.length, this.width],
          ),
        ) as Tensor2D
      ).arraySync(),
    );
  }

  /**
   * Weights and biases of the fitted network, Σ (inputs + 1) × units over its layers: a
   * measure of its size (undefined before `fit` and after `dispose`).
   */
  get parameterCount(): number | undefined {
    return this.model?.countParams();
  }

  /** Free the network's weights (it must be fitted again before predicting). */
  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
    this.saved = undefined;
  }
}

/** A multilayer perceptron classifier (softmax output, cross-entropy, Adam) on TensorFlow.js. */
export class MLPClassifier extends MLPBase implements Estimator {
  readonly kind = "classifier";
  private encoder?: ClassEncoder;

  constructor(options: MLPOptions = {}) {
    super("MLPClassifier", options);
  }

  get classes(): readonly Label[] | undefined {
    return this.encoder?.classes;
  }

  async fit(X: Features, y: readonly Label[]): Promise<void> {
    checkTraining("MLPClassifier.fit", X, y);
    this.encoder = undefined;
    const encoder = new ClassEncoder("MLPClassifier.fit", y);
    const codes = encoder.encode(y);
    const k = encoder.classes.length;
    await this.train(X, {
      outputs: k,
      activation: "softmax",
      loss: "categoricalCrossentropy",
      targets: codes.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))),
      score: (outputs, rows) => outputs.filter((out, i) => argmax(out) === codes[rows[i]]).length / rows.length,
    });
    this.encoder = encoder;
  }

  predictProba(X: Features): number[][] {
    fitted("MLPClassifier.predictProba", this.encoder);
    return this.forward(X);
  }

  predict(X: Features): Label[] {
    const encoder = fitted("MLPClassifier.predict", this.encoder);
    return encoder.decode(this.forward(X).map(argmax));
  }

  /**
   * The options (all but `onEpochEnd`) and, once fitted, the network in TensorFlow.js's
   * format (`model.save`), as plain JSON. `MLPClassifier.fromJSON` is async: it loads the network.
   */
  toJSON(): ModelJSON {
    const { params, state } = this.savedForm(this.encoder && { classes: this.encoder.classes });
    return modelJSON("MLPClassifier", params, state);
  }

  static async fromJSON(json: unknown): Promise<MLPClassifier> {
    type Saved = { network: SavedNetwork; width: number; epochsRun: number; classes: Label[] };
    const { params, state } = readModelJSON<MLPOptions, Saved>("MLPClassifier", json);
    const model = new MLPClassifier(params);
    if (state) {
      await model.restore(state);
      model.encoder = encoderOf("MLPClassifier.fromJSON", state.classes);
    }
    return model;
  }
}

/**
 * A multilayer perceptron regressor (linear output, squared error, Adam) on
 * TensorFlow.js. The target is standardised for training and mapped back in `predict`.
 */
export class MLPRegressor extends MLPBase implements Estimator<number> {
  readonly kind = "regressor";
  private target?: { mean: number; scale: number };

  constructor(options: MLPOptions = {}) {
    super("MLPRegressor", options);
  }

  async fit(X: Features, y: readonly number[]): Promise<void> {
    checkTraining("MLPRegressor.fit", X, y);
    checkRegressionTarget("MLPRegressor.fit", y);
    this.target = undefined;
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const scale = Math.sqrt(y.reduce((acc, v) => acc + (v - mean) ** 2, 0) / y.length) || 1;
    await this.train(X, {
      outputs: 1,
      activation: "linear",
      loss: "meanSquaredError",
      targets: y.map((v) => [(v - mean) / scale]),
      score: (outputs, rows) => {
        const truth = rows.map((i) => (y[i] - mean) / scale);
        const average = truth.reduce((a, b) => a + b, 0) / truth.length;
        const residual = truth.reduce((acc, t, i) => acc + (t - outputs[i][0]) ** 2, 0);
        const total = truth.reduce((acc, t) => acc + (t - average) ** 2, 0);
        return total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
      },
    });
    this.target = { mean, scale };
  }

  predict(X: Features): number[] {
    const { mean, scale } = fitted("MLPRegressor.predict", this.target);
    return this.forward(X).map((out) => out[0] * scale + mean);
  }

  /**
   * The options (all but `onEpochEnd`) and, once fitted, the network in TensorFlow.js's
   * format (`model.save`) and the target's scaling, as plain JSON. `MLPRegressor.fromJSON` is async.
   */
  toJSON(): ModelJSON {
    const { params, state } = this.savedForm(this.target && { target: this.target });
    return modelJSON("MLPRegressor", params, state);
  }

  static async fromJSON(json: unknown): Promise<MLPRegressor> {
    type Saved = { network: SavedNetwork; width: number; epochsRun: number; target: { mean: number; scale: number } };
    const { params, state } = readModelJSON<MLPOptions, Saved>("MLPRegressor", json);
    const model = new MLPRegressor(params);
    if (state) {
      await model.restore(state);
      model.target = state.target;
    }
    return model;
  }
}

/** The network's topology and weights through `model.save`, captured in memory. */
async function saveNetwork(tf: Tf, model: LayersModel): Promise<SavedNetwork> {
  let artifacts: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (given) => {
      artifacts = given;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const { modelTopology, weightSpecs = [], weightData } = artifacts!;
  return { modelTopology, weightSpecs, weightData: Buffer.from(weightData ?? new ArrayBuffer(0)).toString("base64") };
}

/** What `reportEpochs` needs of a trial. */
export interface EpochTrial {
  report(value: number, step: number): void;
  shouldPrune(): boolean;
}

/**
 * An `onEpochEnd` that reports each epoch's validation score to `trial` (step =
 * epoch) and throws `TrialPruned` when its pruner says stop:
 * `new MLPClassifier({ epochs: 100, onEpochEnd: reportEpochs(trial) })`.
 * (Inside crossValidate with a trial, steps are folds: report from one or the other.)
 */
export function reportEpochs(trial: EpochTrial): EpochCallback {
  return (epoch, score) => {
    trial.report(score, epoch);
    if (trial.shouldPrune()) throw new TrialPruned(`pruned after epoch ${epoch + 1} (validation score ${score})`);
  };
}
