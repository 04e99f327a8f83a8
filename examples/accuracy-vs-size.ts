// Two objectives at once: accuracy up, model size down, on the bundled digits (8×8 images of
// handwritten digits, 10 classes). One study per model family, a random forest and a
// TensorFlow.js MLP. A study with several objectives has no single best trial: its best
// trials are a Pareto front, each one more accurate or smaller than every other. From it we
// pick the smallest model within one point of the best accuracy, retrain it on all the
// training rows and score it, once, on test rows no trial has seen. At the default budgets it
// takes three to four minutes on two cores.
//   npx tsx examples/accuracy-vs-size.ts [--trials 60] [--mlp-trials 20] [--epochs 20]
//                                        [--predict-limit-ms 5] [--tolerance 0.01] [--sampler <name>] [--seed <n>] [--storage <url>]
import { parseArgs } from "node:util";
import {
  closeStorages,
  createStudy,
  crossValidate,
  type Features,
  loadArrays,
  MinMaxScaler,
  MLPClassifier,
  makePipeline,
  metrics,
  RandomForestClassifier,
  type SamplerName,
  type Study,
  type Trial,
  type TrialRecord,
  trainTestSplit,
} from "tunebook";

interface AccuracyVsSizeOptions {
  /** Storage URL (default: $TUNEBOOK_STORAGE, else ./tunebook.db). */
  storage?: string;
  /** Trials of the random-forest study (default 60). */
  forestTrials?: number;
  /** Trials of the MLP study (default 20; a network trains far slower than a forest). */
  mlpTrials?: number;
  /** Epochs of every MLP fit (default 20). */
  epochs?: number;
  /** The forest's prediction-time limit: milliseconds to predict 100 rows (default 5). */
  predictLimitMs?: number;
  /** Accuracy given up for a smaller model when picking from the front (default 0.01). */
  tolerance?: number;
  /** Sampler by name (default: the default sampler). */
  sampler?: SamplerName;
  /** Seed of the sampler (default: random). */
  seed?: number;
}

/** The point picked from a study's front, retrained on all training rows and tested. */
interface PickedModel {
  study: string;
  frontSize: number;
  trial: TrialRecord;
  testAccuracy: number;
  /** Tree nodes of the forest, parameters of the network. */
  size: number;
}

const { X, y } = loadArrays("digits");
const {
  trainParts: [xTrain, yTrain],
  testParts: [xTest, yTest],
} = trainTestSplit([X, y], { testSize: 0.2, stratify: y, seed: 0 });
// The MLP is scored on a validation share of the training rows: one fit, where five folds would take minutes.
const {
  trainParts: [xFit, yFit],
  testParts: [xValidation, yValidation],
} = trainTestSplit([xTrain, yTrain], { testSize: 0.2, stratify: yTrain, seed: 1 });

/** Runs both studies and picks from each front (nothing from a front that no trial reached). */
async function runAccuracyVsSize(options: AccuracyVsSizeOptions = {}): Promise<PickedModel[]> {
  const storage = options.storage ?? process.env.TUNEBOOK_STORAGE ?? "./tunebook.db";
  const tolerance = options.tolerance ?? 0.01;
  const limit = options.predictLimitMs ?? 5;
  console.log(`digits: ${xTrain.length} training rows, ${xTest.length} test rows held out, ${X[0].length} features, 10 classes.\n`);
  const study = (name: string) =>
    createStudy({
      name,
      storage,
      experiment: "digits-accuracy-vs-size",
      directions: ["maximize", "minimize"],
      sampler: options.sampler,
      seed: options.seed,
      loadIfExists: true,
    });
  const picked: PickedModel[] = [];

  const forest = await study("digits-forest-size");
  await forest.optimize((trial) => forestObjective(trial, limit), { nTrials: options.forestTrials ?? 60 });
  console.log(`Random forest: 5-fold accuracy ↑, tree nodes ↓, predicting 100 rows in at most ${limit} ms.`);
  const forestPick = await pickAndTest(forest, tolerance, "nodes", (params, seed) => {
    const model = newForest(params, seed);
    model.fit(xTrain, yTrain);
    return { model, size: nodeCount(model), note: `${predictMsPer100(model).toFixed(2)} ms per 100 predictions` };
  });
  if (forestPick) picked.push(forestPick);

  const epochs = options.epochs ?? 20;
  const mlp = await study("digits-mlp-size");
  await mlp.optimize((trial) => mlpObjective(trial, epochs), { nTrials: options.mlpTrials ?? 20 });
  console.log(`\nMLP: validation accuracy ↑, parameters ↓ (${epochs} epochs each).`);
  const mlpPick = await pickAndTest(mlp, tolerance, "parameters", async (params, seed) => {
    const network = newNetwork(params, epochs, seed);
    const model = makePipeline(new MinMaxScaler(), network);
    await model.fit(xTrain, yTrain);
    return { model, size: network.parameterCount!, note: "", dispose: () => network.dispose() };
  });
  if (mlpPick) picked.push(mlpPick);
  await closeStorages();
  return picked;
}

/** 5-fold accuracy and the mean size of the folds' forests; its prediction time is the constraint. */
async function forestObjective(trial: Trial, limitMs: number): Promise<number[]> {
  const params = {
    nEstimators: trial.suggestInt("nEstimators", 5, 300, { log: true }),
    maxDepth: trial.suggestInt("maxDepth", 2, 20),
    minSamplesLeaf: trial.suggestInt("minSamplesLeaf", 1, 10, { log: true }),
  };
  const forests: RandomForestClassifier[] = [];
  const { mean, testScores } = await crossValidate(
    () => {
      const model = newForest(params, trial.number);
      forests.push(model);
      return model;
    },
    xTrain,
    yTrain,
    { cv: 5 },
  );
  const ms = predictMsPer100(forests[0]);
  trial.setUserAttr("fold_scores", testScores);
  trial.setUserAttr("predict_ms", ms);
  trial.setConstraint("predict_ms", ms - limitMs); // feasible when ≤ 0
  return [mean, Math.round(forests.reduce((sum, f) => sum + nodeCount(f), 0) / forests.length)];
}

/** Accuracy on the validation rows, and the network's size. */
async function mlpObjective(trial: Trial, epochs: number): Promise<number[]> {
  const params = {
    width: trial.suggestInt("width", 4, 128, { log: true }),
    layers: trial.suggestInt("layers", 1, 2),
    learningRate: trial.suggestFloat("learningRate", 1e-3, 3e-2, { log: true }),
  };
  const network = newNetwork(params, epochs, trial.number);
  const model = makePipeline(new MinMaxScaler(), network);
  await model.fit(xFit, yFit);
  const accuracy = metrics.accuracy(yValidation, model.predict(xValidation));
  const size = network.parameterCount!;
  network.dispose();
  return [accuracy, size];
}

type Params = TrialRecord["params"];

function newForest(params: Params, seed: number): RandomForestClassifier {
  const { nEstimators, maxDepth, minSamplesLeaf } = params as Record<string, number>;
  return new RandomForestClassifier({ nEstimators, maxDepth, minSamplesLeaf, seed });
}

function newNetwork(params: Params, epochs: number, seed: number): MLPClassifier {
  const { width, layers, learningRate } = params as Record<string, number>;
  return new MLPClassifier({ hiddenUnits: Array(layers).fill(width), learningRate, epochs, seed });
}

/** Total nodes over the forest's trees: what it takes to store it. */
function nodeCount(forest: RandomForestClassifier): number {
  return (forest.estimators ?? []).reduce((sum, tree) => sum + tree.nodeCount, 0);
}

/** Milliseconds to predict 100 training rows: the median of five runs, after one to warm up. */
function predictMsPer100(model: { predict(X: Features): unknown }): number {
  const rows = xTrain.slice(0, 100);
  model.predict(rows);
  const times = Array.from({ length: 5 }, () => {
    const started = performance.now();
    model.predict(rows);
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return times[2];
}

/**
 * The smallest model on the front whose accuracy is within `tolerance` of the front's best
 * (the more accurate of equal sizes); null for an empty front. Values are [accuracy, size].
 */
function smallestWithin(front: readonly TrialRecord[], tolerance: number): TrialRecord | null {
  if (front.length === 0) return null;
  const accuracy = (t: TrialRecord) => t.values![0];
  const size = (t: TrialRecord) => t.values![1];
  const best = Math.max(...front.map(accuracy));
  return front
    .filter((t) => accuracy(t) >= best - tolerance)
    .reduce((a, b) => (size(b) < size(a) || (size(b) === size(a) && accuracy(b) > accuracy(a)) ? b : a));
}

interface Retrained {
  model: { predict(X: Features): unknown };
  size: number;
  note: string;
  dispose?: () => void;
}

/** Prints the front, picks from it, retrains the pick on all training rows and scores it on the test rows. */
async function pickAndTest(
  study: Study,
  tolerance: number,
  sizeName: string,
  retrain: (params: Params, seed: number) => Retrained | Promise<Retrained>,
): Promise<PickedModel | null> {
  const front = [...(await study.bestTrials())].sort((a, b) => a.values![1] - b.values![1]);
  const complete = (await study.trials({ states: ["COMPLETE"] })).length;
  console.log(`  ${complete} trials, ${front.length} on the Pareto front:`);
  console.log(`  ${"trial".padStart(6)}  ${"accuracy".padStart(8)}  ${sizeName.padStart(10)}  hyperparameters`);
  for (const t of front) {
    const [accuracy, size] = t.values!;
    console.log(
      `  ${String(t.number).padStart(6)}  ${accuracy.toFixed(4).padStart(8)}  ${String(size).padStart(10)}  ${describe(t.params)}`,
    );
  }
  const pick = smallestWithin(front, tolerance);
  if (!pick) {
    console.log("  No trial met the constraint: loosen it, or run more trials.");
    return null;
  }
  const best = Math.max(...front.map((t) => t.values![0]));
  console.log(
    `  Picked trial ${pick.number}, the smallest within ${tolerance} of the best accuracy (${best.toFixed(4)}): ${describe(pick.params)}.`,
  );
  const retrained = await retrain(pick.params, pick.number);
  const testAccuracy = metrics.accuracy(yTest, retrained.model.predict(xTest) as typeof yTest);
  retrained.dispose?.();
  console.log(
    `  Retrained on all ${xTrain.length} training rows: test accuracy ${testAccuracy.toFixed(4)}, ${retrained.size} ${sizeName}${retrained.note ? `, ${retrained.note}` : ""}.`,
  );
  return { study: study.name, frontSize: front.length, trial: pick, testAccuracy, size: retrained.size };
}

function describe(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "number" ? +v.toPrecision(3) : v}`)
    .join(", ");
}

/** The command line: budgets, the constraint's limit and the sampler, each a flag. */
function optionsFromArgs(args: string[]): AccuracyVsSizeOptions {
  const { values } = parseArgs({
    args,
    options: {
      trials: { type: "string" },
      "mlp-trials": { type: "string" },
      epochs: { type: "string" },
      "predict-limit-ms": { type: "string" },
      tolerance: { type: "string" },
      sampler: { type: "string" },
      seed: { type: "string" },
      storage: { type: "string" },
    },
  });
  const count = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(text)}.`);
    return n;
  };
  const limit = values["predict-limit-ms"] === undefined ? undefined : Number(values["predict-limit-ms"]);
  if (limit !== undefined && !(limit > 0))
    throw new Error(`--predict-limit-ms must be a positive number, got ${JSON.stringify(values["predict-limit-ms"])}.`);
  const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance < 1))
    throw new Error(`--tolerance must be an accuracy from 0 to 1 (0.01 is one point), got ${JSON.stringify(values.tolerance)}.`);
  return {
    forestTrials: count("trials", values.trials),
    mlpTrials: count("mlp-trials", values["mlp-trials"]),
    epochs: count("epochs", values.epochs),
    predictLimitMs: limit,
    tolerance,
    sampler: values.sampler as SamplerName | undefined,
    seed: values.seed === undefined ? undefined : count("seed", values.seed),
    storage: values.storage,
  };
}

await runAccuracyVsSize(optionsFromArgs(process.argv.slice(2)));
