// Per-trial overhead of the tuning loop on SQLite: tunebook vs Optuna, in one run.
//   npm run bench:overhead [-- --trials 1000 --rounds 3]
// A trivial two-parameter objective with random search, so what is measured is the
// library: sampling, trial bookkeeping and the SQLite writes of every trial.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeStorages, createStudy, setVerbosity } from "../index.js";
import { median, runOptunaReference } from "./peer.js";

const { values } = parseArgs({ options: { trials: { type: "string", default: "1000" }, rounds: { type: "string", default: "3" } } });
const trials = Number(values.trials);
const rounds = Number(values.rounds);
setVerbosity("silent");

async function tunebookRound(sampler: "random"): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "tunebook-overhead-"));
  try {
    const start = performance.now();
    const study = await createStudy({ storage: `sqlite:${join(dir, "bench.db")}`, sampler, seed: 0 });
    await study.optimize((t) => (t.suggestFloat("x", -5, 5) - 1) ** 2 + t.suggestFloat("y", -5, 5) ** 2, { nTrials: trials });
    const ms = performance.now() - start;
    await closeStorages();
    return ms / trials;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ours: number[] = [];
const theirs: number[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate the two so drifting machine load hits both alike.
  ours.push(await tunebookRound("random"));
  const optuna = runOptunaReference(["overhead", "--trials", String(trials), "--storage", "sqlite", "--sampler", "random"]);
  theirs.push(optuna.per_trial_ms as number);
  console.log(`round ${round + 1}/${rounds}: tunebook ${ours.at(-1)!.toFixed(3)} ms/trial, optuna ${theirs.at(-1)!.toFixed(3)} ms/trial`);
}

const result = {
  kind: "overhead",
  trials,
  rounds,
  storage: "sqlite",
  sampler: "random",
  tunebookMsPerTrial: median(ours),
  optunaMsPerTrial: median(theirs),
  ratio: median(theirs) / median(ours),
  raw: { tunebook: ours, optuna: theirs },
  date: new Date().toISOString(),
};
console.log(`\nmedian per trial over ${rounds} rounds of ${trials} trials, random search on SQLite:`);
console.log(
  `  tunebook ${result.tunebookMsPerTrial.toFixed(3)} ms   optuna ${result.optunaMsPerTrial.toFixed(3)} ms   optuna/tunebook = ${result.ratio.toFixed(1)}×`,
);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/overhead.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
