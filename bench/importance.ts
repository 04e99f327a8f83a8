// Hyperparameter importance on a large study: tunebook's fANOVA (and its cheaper
// mean-decrease-impurity) vs Optuna 3.1's FanovaImportanceEvaluator, in one run.
//   npm run bench:importance [-- --trials 1000 --params 10 --rounds 3]
// Times only the importance computation on both sides (the study is built beforehand),
// and prints the rankings so their agreement can be seen.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { DistributionJson, TrialRecord } from "../core/records.js";
import { Rng } from "../core/rng.js";
import { paramImportances } from "../tracker/analysis/importance.js";
import { median } from "./peer.js";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "1000" },
    params: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
  },
});
const nTrials = Number(values.trials);
const nParams = Number(values.params);
const rounds = Number(values.rounds);

// Parameter i weighs 2^-i: a clear order of importance, with interactions between the first two.
const rng = new Rng(0);
const names = Array.from({ length: nParams }, (_, i) => `p${i}`);
const distribution: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
const trials: TrialRecord[] = Array.from({ length: nTrials }, (_, number) => {
  const x = names.map(() => rng.random());
  const value = x.reduce((sum, v, i) => sum + 2 ** -i * (v - 0.5) ** 2, 0) + 0.5 * x[0] * x[1];
  return {
    trialId: number + 1,
    number,
    state: "COMPLETE",
    value,
    values: [value],
    params: Object.fromEntries(names.map((n, i) => [n, x[i]])),
    distributions: Object.fromEntries(names.map((n) => [n, distribution])),
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
});

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

const fanova: number[] = [];
const mdi: number[] = [];
let ours: string[] = [];
for (let round = 0; round < rounds; round++) {
  fanova.push(time(() => (ours = paramImportances(trials, { seed: round }).importances.map((p) => p.name))));
  mdi.push(time(() => paramImportances(trials, { method: "mdi", seed: round })));
}

const PYTHON = `
import json, sys, time, warnings
import optuna
from optuna.distributions import FloatDistribution
from optuna.importance import FanovaImportanceEvaluator, get_param_importances
warnings.simplefilter("ignore"); optuna.logging.set_verbosity(optuna.logging.ERROR)
spec = json.load(sys.stdin)
study = optuna.create_study()
d = FloatDistribution(0, 1)
study.add_trials([optuna.trial.create_trial(params=t["params"], distributions={k: d for k in t["params"]}, value=t["value"]) for t in spec["trials"]])
seconds, order = [], []
for r in range(spec["rounds"]):
    start = time.perf_counter()
    imp = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=r))
    seconds.append(time.perf_counter() - start)
    order = list(imp)
json.dump({"seconds": seconds, "order": order, "optuna": optuna.__version__}, sys.stdout)
`;
const optuna = JSON.parse(
  execFileSync("/usr/bin/python3", ["-c", PYTHON], {
    input: JSON.stringify({ rounds, trials: trials.map((t) => ({ params: t.params, value: t.value })) }),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  }),
) as { seconds: number[]; order: string[]; optuna: string };

const result = {
  kind: "importance",
  trials: nTrials,
  params: nParams,
  rounds,
  tunebookFanovaSeconds: median(fanova),
  tunebookMdiSeconds: median(mdi),
  optunaFanovaSeconds: median(optuna.seconds),
  ratio: median(optuna.seconds) / median(fanova),
  order: { tunebook: ours, optuna: optuna.order },
  optuna: optuna.optuna,
  date: new Date().toISOString(),
};
console.log(`importance of ${nParams} parameters over ${nTrials} trials, median of ${rounds} rounds:`);
console.log(
  `  tunebook fANOVA ${result.tunebookFanovaSeconds.toFixed(3)} s   tunebook MDI ${result.tunebookMdiSeconds.toFixed(3)} s   Optuna ${optuna.optuna} fANOVA ${result.optunaFanovaSeconds.toFixed(3)} s   Optuna/tunebook = ${result.ratio.toFixed(1)}×`,
);
console.log(`  ranking tunebook: ${ours.join(" ")}`);
console.log(`  ranking Optuna:   ${optuna.order.join(" ")}`);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/importance.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
