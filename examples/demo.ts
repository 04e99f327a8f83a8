// The main job: tune two algorithms on a bundled dataset, one study each in one
// experiment, log every trial to the tracker, and point at the UI to compare them.
//   npx tunebook demo [--storage <url>] [--trials <n>]
import {
  closeStorages,
  createStudy,
  crossValidate,
  KNNClassifier,
  LogisticRegression,
  loadArrays,
  MinMaxScaler,
  makePipeline,
  RandomForestClassifier,
  StandardScaler,
  type Study,
  type Trial,
} from "tunebook";

export interface DemoOptions {
  /** Storage URL (default: $TUNEBOOK_STORAGE, else ./tunebook.db). */
  storage?: string;
  /** Trials per study (default 25). */
  trials?: number;
}

/** Runs the demo; returns the UI page that compares its studies. */
export async function runDemo(options: DemoOptions = {}): Promise<{ comparePath: string }> {
  const storage = options.storage ?? process.env.TUNEBOOK_STORAGE ?? "./tunebook.db";
  const trials = options.trials ?? 25;
  const { X, y, featureNames } = loadArrays("wine");
  console.log(`wine: ${X.length} rows, ${featureNames.length} features, 3 classes; 5-fold stratified cross-validation, accuracy.\n`);

  // One study per algorithm, grouped in one experiment so the tracker compares them;
  // each trial's fold scores are kept, for the significance test between the best two.
  const scaler = (trial: Trial) =>
    trial.suggestCategorical("scaler", ["standard", "minmax"]) === "standard" ? new StandardScaler() : new MinMaxScaler();
  const candidates: [string, (trial: Trial) => Promise<number>][] = [
    [
      "wine-knn",
      async (trial) => {
        const k = trial.suggestInt("k", 1, 40);
        const makeModel = () => makePipeline(scaler(trial), new KNNClassifier({ k }));
        return (await crossValidate(makeModel, X, y, { cv: 5, scoring: "accuracy", trial })).mean;
      },
    ],
    [
      "wine-forest",
      async (trial) => {
        const nEstimators = trial.suggestInt("nEstimators", 10, 40, { step: 10 });
        const maxDepth = trial.suggestInt("maxDepth", 2, 12);
        const makeModel = () => new RandomForestClassifier({ nEstimators, maxDepth, seed: trial.number });
        return (await crossValidate(makeModel, X, y, { cv: 5, scoring: "accuracy", trial })).mean;
      },
    ],
    [
      "wine-logreg",
      async (trial) => {
        const C = trial.suggestFloat("C", 1e-4, 1e2, { log: true });
        const makeModel = () => makePipeline(scaler(trial), new LogisticRegression({ C }));
        return (await crossValidate(makeModel, X, y, { cv: 5, scoring: "accuracy", trial })).mean;
      },
    ],
  ];

  const studies: Study[] = [];
  for (const [name, objective] of candidates) {
    const study = await createStudy({ name, storage, direction: "maximize", experiment: "wine", loadIfExists: true });
    const started = performance.now();
    await study.optimize(objective, { nTrials: trials });
    const best = await study.best();
    const params = Object.entries(best.params)
      .map(([k, v]) => `${k}=${typeof v === "number" ? +v.toPrecision(4) : v}`)
      .join(", ");
    console.log(
      `${name.padEnd(12)} best accuracy ${best.value!.toFixed(4)} (trial ${best.number}: ${params}) — ${trials} trials in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    studies.push(study);
  }

  const comparePath = `/compare?studies=${studies.map((s) => s.studyId).join(",")}`;
  console.log(`\nAll trials are in ${studies[0].storage.url}. Compare the algorithms in the tracker UI:`);
  console.log(`  npx tunebook ui${options.storage ? ` --storage ${storage}` : ""}   (or run the demo with --ui)`);
  console.log(`  then open http://127.0.0.1:5177${comparePath}`);
  await closeStorages();
  return { comparePath };
}
