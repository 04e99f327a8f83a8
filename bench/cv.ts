// 5-fold cross-validation of a 100-tree random forest on digits: tunebook
// (core/forest behind RandomForestClassifier and crossValidate) vs scikit-learn,
// in one run.
//   node --import tsx bench/cv.ts [--rounds 3] [--trees 100] [--folds 5]
// Both sides use the same CSV rows, stratified folds without shuffling, one
// core, and the same default forest (Gini, bootstrap, sqrt(64) = 8 features drawn
// at every split, trees grown until pure). Timed: the whole cross-validation
// (fits, predictions, scoring), not the data loading. The machine is shared and
// noisy: compare the medians and their ratio, both measured in this one run.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { crossValidate } from "../learn/cross-validate.js";
import { findPackageRoot, loadArrays } from "../learn/datasets.js";
import { RandomForestClassifier } from "../learn/models/random-forest.js";
import { median } from "./peer.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    trees: { type: "string", default: "100" },
    folds: { type: "string", default: "5" },
  },
});
const rounds = Number(values.rounds);
const trees = Number(values.trees);
const folds = Number(values.folds);

const SKLEARN = `
import csv, json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score
path, trees, folds, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(path) as f:
    rows = list(csv.reader(f))[1:]
X = np.array([[float(v) for v in r[:-1]] for r in rows])
y = np.array([int(float(r[-1])) for r in rows])
start = time.perf_counter()
scores = cross_val_score(RandomForestClassifier(n_estimators=trees, n_jobs=1, random_state=seed), X, y, cv=folds, n_jobs=1)
print(json.dumps({"seconds": time.perf_counter() - start, "accuracy": float(scores.mean())}))
`;

function sklearnRound(seed: number): { seconds: number; accuracy: number } {
  const csv = join(findPackageRoot(), "data", "digits.csv");
  const out = execFileSync("/usr/bin/python3", ["-c", SKLEARN, csv, String(trees), String(folds), String(seed)], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
  });
  return JSON.parse(out) as { seconds: number; accuracy: number };
}

async function tunebookRound(seed: number): Promise<{ seconds: number; accuracy: number }> {
  const digits = loadArrays("digits");
  const start = performance.now();
  const result = await crossValidate(() => new RandomForestClassifier({ nEstimators: trees, seed }), digits.X, digits.y, {
    cv: folds,
  });
  return { seconds: (performance.now() - start) / 1000, accuracy: result.mean };
}

const ours: { seconds: number; accuracy: number }[] = [];
const theirs: { seconds: number; accuracy: number }[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate the two so drifting machine load hits both alike.
  ours.push(await tunebookRound(round));
  theirs.push(sklearnRound(round));
  const [a, b] = [ours.at(-1)!, theirs.at(-1)!];
  console.log(
    `round ${round + 1}/${rounds}: tunebook ${a.seconds.toFixed(2)} s (accuracy ${a.accuracy.toFixed(4)}), ` +
      `scikit-learn ${b.seconds.toFixed(2)} s (accuracy ${b.accuracy.toFixed(4)})`,
  );
}

const tunebookSeconds = median(ours.map((r) => r.seconds));
const sklearnSeconds = median(theirs.map((r) => r.seconds));
const result = {
  kind: "cv",
  dataset: "digits",
  model: `RandomForestClassifier(nEstimators=${trees})`,
  folds,
  rounds,
  tunebookSeconds,
  sklearnSeconds,
  ratio: tunebookSeconds / sklearnSeconds,
  tunebookAccuracy: median(ours.map((r) => r.accuracy)),
  sklearnAccuracy: median(theirs.map((r) => r.accuracy)),
  raw: { tunebook: ours, sklearn: theirs },
  date: new Date().toISOString(),
};
console.log(`\nmedian of ${rounds} rounds, ${folds}-fold CV of a ${trees}-tree random forest on digits (1797 × 64), one core:`);
console.log(
  `  tunebook ${tunebookSeconds.toFixed(2)} s   scikit-learn ${sklearnSeconds.toFixed(2)} s   ` +
    `tunebook/scikit-learn = ${result.ratio.toFixed(1)}×   ` +
    `accuracy ${result.tunebookAccuracy.toFixed(4)} vs ${result.sklearnAccuracy.toFixed(4)}`,
);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/cv.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
