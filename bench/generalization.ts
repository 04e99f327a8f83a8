// Honest model selection, measured: how optimistic the best trial's CV score is, what
// stopping at convergence saves and costs, and validation/learning curves against
// scikit-learn's (bench/generalization.py) in one run.
//   node --import tsx bench/generalization.ts [--parts stop,optimism,curves] [--seeds 3]
//     [--trials 60] [--datasets iris,wine,breast_cancer,digits,diabetes]
//     [--algorithms forest,knn,linear] [--rounds 3]
// On each dataset a quarter of the rows is held out (stratified for classes) and never
// seen by tuning. Each dataset × algorithm × seed is tuned with TPE on 5-fold CV of
// the other rows.
// - stop: the study runs with stop: "converged", then goes on to the full budget; the
//   best configuration at the stop and at the end are each refitted on all the
//   tuning rows and scored once on the held-out rows. Trials saved and test score
//   lost, as medians over every cell.
// - optimism: the full run's best CV score, the nested-CV estimate (outer 5 folds,
//   inner 3, the same trial budget per outer fold) and the held-out score of the best.
// - curves: validationCurve of k-NN's k and learningCurve of Gaussian NB on digits,
//   timed against scikit-learn's validation_curve and learning_curve, rounds
//   alternating between the two sides (compare medians and their ratio).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TrialRecord } from "../core/records.js";
import { crossValidate } from "../learn/cross-validate.js";
import { learningCurve, validationCurve } from "../learn/curves.js";
import { type DatasetArrays, type DatasetName, findPackageRoot, loadArrays } from "../learn/datasets.js";
import type { Estimator } from "../learn/estimator.js";
import type { Label } from "../learn/labels.js";
import { scorer } from "../learn/metrics/index.js";
import { GaussianNB } from "../learn/models/gaussian-nb.js";
import { KNNClassifier, KNNRegressor } from "../learn/models/knn.js";
import { LogisticRegression } from "../learn/models/logistic-regression.js";
import { RandomForestClassifier, RandomForestRegressor } from "../learn/models/random-forest.js";
import { Ridge } from "../learn/models/ridge.js";
import { makePipeline } from "../learn/pipeline.js";
import { StandardScaler } from "../learn/preprocessing.js";
import { lockbox } from "../select/lockbox.js";
import { nestedCrossValidate } from "../select/nested-cv.js";
import type { NestedSearch } from "../select/nested-search.js";
import { createStudy } from "../tune/create-study.js";
import { FixedTrial, type SuggestingTrial } from "../tune/fixed-trial.js";
import { TPESampler } from "../tune/samplers/tpe/index.js";
import type { TestRows } from "../tune/test-set.js";
import type { Trial } from "../tune/trial.js";
import { list, positiveIntegers, readOptions } from "./args.js";
import { median } from "./peer.js";

const USAGE = "bench/generalization.ts";
const options = readOptions(process.argv.slice(2), USAGE, [
  "parts",
  "seeds",
  "trials",
  "nested-trials",
  "datasets",
  "algorithms",
  "rounds",
]);
const parts = new Set(list(options.parts ?? "stop,optimism,curves"));
const [seedCount] = positiveIntegers("--seeds", options.seeds ?? "3");
const [budget] = positiveIntegers("--trials", options.trials ?? "60");
const [nestedTrials] = positiveIntegers("--nested-trials", options["nested-trials"] ?? "20");
const [rounds] = positiveIntegers("--rounds", options.rounds ?? "3");
const datasetNames = list(options.datasets ?? "iris,wine,breast_cancer,digits,diabetes") as DatasetName[];
const algorithmNames = list(options.algorithms ?? "forest,knn,linear") as AlgorithmName[];

type AlgorithmName = "forest" | "knn" | "linear";
type Factory = () => Estimator<Label>;

/** One search space per algorithm and task: the trial's suggestions give an estimator factory. */
const SPACES: Record<AlgorithmName, (trial: SuggestingTrial, data: DatasetArrays) => Factory> = {
  forest: (trial, data) => {
    const settings = {
      nEstimators: 30,
      maxDepth: trial.suggestInt("maxDepth", 2, 16),
      minSamplesLeaf: trial.suggestInt("minSamplesLeaf", 1, 10),
      maxFeatures: trial.suggestFloat("maxFeatures", 0.1, 1),
      seed: 0,
    };
    return data.task === "classification"
      ? () => new RandomForestClassifier(settings)
      : () => new RandomForestRegressor(settings) as Estimator<Label>;
  },
  knn: (trial, data) => {
    const k = trial.suggestInt("k", 1, 50, { log: true });
    const scale = trial.suggestCategorical("scale", [true, false]);
    const model = () => (data.task === "classification" ? new KNNClassifier({ k }) : (new KNNRegressor({ k }) as Estimator<Label>));
    return scale ? () => makePipeline(new StandardScaler(), model()) : model;
  },
  linear: (trial, data) => {
    if (data.task === "classification") {
      const C = trial.suggestFloat("C", 1e-3, 1e3, { log: true });
      return () => makePipeline(new StandardScaler(), new LogisticRegression({ C, maxIter: 200 }));
    }
    const alpha = trial.suggestFloat("alpha", 1e-3, 1e3, { log: true });
    return () => makePipeline(new StandardScaler(), new Ridge({ alpha }) as Estimator<Label>);
  },
};

interface Cell {
  dataset: DatasetName;
  algorithm: AlgorithmName;
  seed: number;
  data: DatasetArrays;
}

function cells(): Cell[] {
  return datasetNames.flatMap((dataset) => {
    const data = loadArrays(dataset);
    return algorithmNames.flatMap((algorithm) => Array.from({ length: seedCount }, (_, seed) => ({ dataset, algorithm, seed, data })));
  });
}

const searchOf = (cell: Cell): NestedSearch => ({ space: (trial) => SPACES[cell.algorithm](trial, cell.data) });
const scoringOf = (cell: Cell) => scorer(cell.data.task === "classification" ? "accuracy" : "r2");

/** Refits the configuration of the trial looked at on every tuning row, and scores it on the test rows. */
function fitAndScore(cell: Cell, train: TestRows) {
  return async (test: TestRows, trial: TrialRecord) => {
    const model = searchOf(cell).space(new FixedTrial(trial.params))();
    await model.fit(train.X, train.y as Label[]);
    return scoringOf(cell).score(test.y, model.predict(test.X));
  };
}

interface CellRow {
  dataset: string;
  algorithm: string;
  seed: number;
  /** Trials run before stop: "converged" stopped the study (the budget when it did not). */
  trialsAtStop: number;
  saved: number;
  testAtStop: number;
  /** The full budget's best: its CV score and its score on the locked test rows. */
  bestCv: number;
  testFull: number;
  /** testFull − testAtStop: what stopping early cost on the test rows (negative: it gained). */
  loss: number;
  /** The nested-CV estimate on the tuning rows, with `optimism`. */
  nested?: number;
  stopReason: string | null;
}

/**
 * One cell: a quarter of the rows locked away (stratified for classes); TPE on 5-fold CV of the
 * rest with stop: "converged", the test rows scored at the stop, the study continued to the full
 * budget and the test rows scored again (a second, counted look); then, for optimism, nested CV
 * of the same search on the tuning rows.
 */
async function runCell(cell: Cell, withNested: boolean): Promise<CellRow> {
  const study = await createStudy({
    storage: ":memory:",
    direction: "maximize",
    sampler: new TPESampler({ seed: cell.seed }),
    seed: cell.seed,
  });
  const { train } = await lockbox(
    { X: cell.data.X as number[][], y: cell.data.y as Label[] },
    { study, testSize: 0.25, stratify: cell.data.task === "classification", seed: cell.seed },
  );
  const rows = train as TestRows;
  const objective = async (trial: Trial) =>
    (await crossValidate(searchOf(cell).space(trial), rows.X, rows.y as Label[], { cv: 5, trial })).mean;
  const first = await study.optimize(objective, { nTrials: budget, stop: "converged" });
  const trialsAtStop = first.trialsRun;
  const atStop = await study.best();
  const testAtStop = await study.evaluateTest(fitAndScore(cell, rows));
  if (trialsAtStop < budget) await study.optimize(objective, { nTrials: budget - trialsAtStop });
  const full = await study.best();
  const testFull = full.number === atStop.number ? testAtStop : await study.evaluateTest(fitAndScore(cell, rows), { again: true });
  const row: CellRow = {
    dataset: cell.dataset,
    algorithm: cell.algorithm,
    seed: cell.seed,
    trialsAtStop,
    saved: 1 - trialsAtStop / budget,
    testAtStop,
    bestCv: full.value as number,
    testFull,
    loss: testFull - testAtStop,
    stopReason: first.stopReason ?? null,
  };
  if (withNested) {
    const nested = await nestedCrossValidate(searchOf(cell), rows.X, rows.y as Label[], {
      outer: 5,
      inner: 3,
      nTrials: nestedTrials,
      sampler: "tpe",
      seed: cell.seed,
      scoring: scoringOf(cell),
    });
    row.nested = nested.mean;
  }
  return row;
}

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const signed = (x: number) => `${x >= 0 ? "+" : ""}${fmt(x)}`;

async function tuningParts(): Promise<Record<string, unknown>> {
  const rows: CellRow[] = [];
  for (const cell of cells()) {
    const row = await runCell(cell, parts.has("optimism"));
    rows.push(row);
    const nested = row.nested === undefined ? "" : `; nested CV ${fmt(row.nested)}`;
    console.log(
      `${row.dataset.padEnd(13)} ${row.algorithm.padEnd(6)} seed ${row.seed}: best CV ${fmt(row.bestCv)}${nested}; test ${fmt(row.testFull)} | ` +
        `converged after ${String(row.trialsAtStop).padStart(3)} of ${budget} (saved ${fmt(100 * row.saved, 0)}%), test there ${fmt(row.testAtStop)} (loss ${signed(row.loss)})`,
    );
  }
  const stop = {
    medianSaved: median(rows.map((r) => r.saved)),
    medianLoss: median(rows.map((r) => r.loss)),
    stoppedEarly: rows.filter((r) => r.trialsAtStop < budget).length,
    cells: rows.length,
    worstLoss: Math.max(...rows.map((r) => r.loss)),
  };
  console.log(
    `stop: "converged": median trials saved ${fmt(100 * stop.medianSaved, 1)}% (goal ≥ 40%), median test-score loss ${fmt(stop.medianLoss)} (goal ≤ 0.005); ` +
      `${stop.stoppedEarly} of ${stop.cells} cells stopped before ${budget} trials; worst loss ${fmt(stop.worstLoss)}`,
  );
  const result: Record<string, unknown> = { budget, nestedTrials, stop, rows };
  if (parts.has("optimism")) {
    const withNested = rows.filter((r) => r.nested !== undefined);
    const optimism = {
      medianBestCvMinusTest: median(withNested.map((r) => r.bestCv - r.testFull)),
      medianNestedMinusTest: median(withNested.map((r) => (r.nested as number) - r.testFull)),
      medianBestCvMinusNested: median(withNested.map((r) => r.bestCv - (r.nested as number))),
      bestCvAboveTest: withNested.filter((r) => r.bestCv > r.testFull).length,
      nestedAboveTest: withNested.filter((r) => (r.nested as number) > r.testFull).length,
      cells: withNested.length,
    };
    console.log(
      `optimism: best-trial CV − test ${signed(optimism.medianBestCvMinusTest)} (median; above the test score in ${optimism.bestCvAboveTest} of ${optimism.cells}), ` +
        `nested CV − test ${signed(optimism.medianNestedMinusTest)} (above in ${optimism.nestedAboveTest}), best-trial CV − nested CV ${signed(optimism.medianBestCvMinusNested)}`,
    );
    result.optimism = optimism;
  }
  return result;
}

// --- curves against scikit-learn ---

interface CurveTimes {
  validation: number;
  learning: number;
  validationTest: number[];
  learningTest: number[];
}

const K_VALUES = [1, 3, 5, 9, 15, 25];
const TRAIN_SIZES = [0.1, 0.325, 0.55, 0.775, 1];

function meanRows(scores: number[][]): number[] {
  return scores.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
}

async function ourCurves(X: number[][], y: Label[]): Promise<CurveTimes> {
  let start = performance.now();
  const validation = await validationCurve((k: number) => new KNNClassifier({ k }), X, y, { values: K_VALUES, cv: 5 });
  const validationSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const learning = await learningCurve(() => new GaussianNB(), X, y, { trainSizes: TRAIN_SIZES, cv: 5 });
  const learningSeconds = (performance.now() - start) / 1000;
  return {
    validation: validationSeconds,
    learning: learningSeconds,
    validationTest: meanRows(validation.testScores),
    learningTest: meanRows(learning.testScores),
  };
}

function sklearnCurves(): CurveTimes {
  const root = findPackageRoot();
  const out = execFileSync(
    "/usr/bin/python3",
    [join(root, "bench", "generalization.py"), join(root, "data", "digits.csv"), JSON.stringify({ k: K_VALUES, trainSizes: TRAIN_SIZES })],
    { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } },
  );
  return JSON.parse(out) as CurveTimes;
}

async function curvesPart(): Promise<Record<string, unknown>> {
  const digits = loadArrays("digits");
  const ours: CurveTimes[] = [];
  const theirs: CurveTimes[] = [];
  for (let round = 0; round < rounds; round++) {
    ours.push(await ourCurves(digits.X as number[][], digits.y));
    theirs.push(sklearnCurves());
  }
  const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  const result = {
    rounds,
    validationSeconds: { tunebook: median(ours.map((t) => t.validation)), sklearn: median(theirs.map((t) => t.validation)) },
    learningSeconds: { tunebook: median(ours.map((t) => t.learning)), sklearn: median(theirs.map((t) => t.learning)) },
    validationScoreMaxDiff: maxDiff(ours[0].validationTest, theirs[0].validationTest),
    learningScoreMaxDiff: maxDiff(ours[0].learningTest, theirs[0].learningTest),
  };
  const ratio = (t: { tunebook: number; sklearn: number }) => fmt(t.tunebook / t.sklearn, 2);
  console.log(
    `curves on digits, median of ${rounds}: validationCurve (k-NN, ${K_VALUES.length} values × 5 folds) ${fmt(result.validationSeconds.tunebook, 3)} s vs ` +
      `scikit-learn ${fmt(result.validationSeconds.sklearn, 3)} s (×${ratio(result.validationSeconds)}); learningCurve (Gaussian NB, ${TRAIN_SIZES.length} sizes × 5 folds) ` +
      `${fmt(result.learningSeconds.tunebook, 3)} s vs ${fmt(result.learningSeconds.sklearn, 3)} s (×${ratio(result.learningSeconds)}); ` +
      `mean validation scores differ by at most ${result.validationScoreMaxDiff.toExponential(1)} and ${result.learningScoreMaxDiff.toExponential(1)}`,
  );
  return result;
}

const results: Record<string, unknown> = {};
if (parts.has("curves")) results.curves = await curvesPart();
if (parts.has("stop") || parts.has("optimism")) results.tuning = await tuningParts();
// Parts run on their own keep the others' last figures.
const resultsPath = join(findPackageRoot(), "bench", "results", "generalization.json");
const previous = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, "utf8")) as Record<string, unknown>) : {};
mkdirSync(dirname(resultsPath), { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
