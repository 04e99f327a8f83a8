// Pruning on a learning-curve benchmark: no pruning vs median vs successive halving vs
// Hyperband, medians over seeds, with Optuna's pruners replayed on the very same curves
// in the same run.
//   node --import tsx bench/pruning.ts [--trials 100 --seeds 5 --epochs 81 --family all]
//
// Each trial trains a make-believe network for up to `epochs` epochs: its validation
// loss falls towards an asymptote set by the hyperparameters, at a speed and in a shape
// set by the family (below), creeps back up when a wide network with little dropout
// overfits, and carries evaluation noise σ. Random search with one seed
// proposes the same configurations in the same order to every strategy, and a
// configuration's noise depends only on the seed and the trial number, so the runs of
// one seed differ by pruning alone.
//
// Two readings, per family:
// - equal trials: the first `trials` trials of each strategy — epochs spent, best loss;
// - equal budget: each pruner keeps proposing trials until it has spent the epochs of
//   `trials` unpruned trials; "epochs to match" is what it had spent when its best loss
//   first came within σ of the best loss without pruning (same seed) — closer than one
//   evaluation's noise, the two are the same value. A seed that never matches counts
//   as the whole budget.
// "True loss" is the noise-free final loss of the configuration a run would pick (its
// best observed final loss): what the choice is really worth.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Rng } from "../core/rng.js";
import { closeStorages, createPruner, createStudy, type PrunerName, setVerbosity, TrialPruned } from "../index.js";
import { median } from "./peer.js";

const { values: args } = parseArgs({
  options: {
    trials: { type: "string", default: "100" },
    seeds: { type: "string", default: "5" },
    epochs: { type: "string", default: "81" },
    family: { type: "string", default: "all" },
  },
});
const nTrials = Number(args.trials);
const nSeeds = Number(args.seeds);
const epochs = Number(args.epochs);
/** Evaluation noise: the standard deviation of one epoch's loss. */
const NOISE = 0.01;
/** Pruned studies stop at this many trials even if the epoch budget is not spent. */
const MAX_TRIALS_FACTOR = 10;
/** The issue's goal: Hyperband matches no pruning's best with at most this share of its epochs. */
const GOAL_EPOCHS_SHARE = 0.4;
setVerbosity("silent");

interface Config {
  lr: number;
  width: number;
  dropout: number;
  batch: number;
}

/**
 * Two families of curves over the same asymptotes (a config's final loss without
 * overfitting or noise):
 * - "power-law": loss(e) = a + b·e^(−α), the power law that fits neural-network
 *   learning curves best among the parametric models compared by Domhan et al. (2015);
 *   configurations with small learning rates or large batches start higher (larger
 *   b) and converge more slowly (smaller α), so early rankings favour fast learners
 *   and late ones the asymptote;
 * - "slow-winners": loss(e) = a + (2.3 − a)·e^(−e/τ) with τ set by the learning rate:
 *   the rates with the best asymptotes settle only after about a third of the epochs,
 *   behind faster ones with worse asymptotes — the hard case for any pruner that
 *   judges early.
 */
const FAMILIES = {
  "power-law": (c: Config, a: number, epoch: number) => {
    const slowness = (3e-3 / c.lr) ** 0.3 * (c.batch / 32) ** 0.2;
    return a + 1.2 * slowness * epoch ** (-0.9 / Math.sqrt(slowness));
  },
  "slow-winners": (c: Config, a: number, epoch: number) => {
    const tau = Math.min(200, Math.max(1, 6 * (3e-3 / c.lr) ** 0.5 * (c.batch / 32) ** 0.3));
    return a + (2.3 - a) * Math.exp(-epoch / tau);
  },
} as const;
type Family = keyof typeof FAMILIES;

/** The validation loss after each epoch 1..epochs of `config`, for trial `number` of seed `seed`. */
function learningCurve(family: Family, config: Config, seed: number, number: number, noise = NOISE): number[] {
  const { lr, width, dropout, batch } = config;
  const lrOffset = Math.log10(lr) - Math.log10(3e-3);
  const widthOffset = Math.log2(width) - 7;
  const asymptote =
    0.08 + 0.07 * lrOffset ** 2 + 0.012 * widthOffset ** 2 + 0.35 * (dropout - 0.2) ** 2 + 0.01 * Math.log2(batch / 32) ** 2;
  // Wide networks with little dropout start overfitting after a third of the epochs.
  const overfit = Math.max(0, 0.0025 * (width / 128) * (0.3 - dropout));
  const overfitFrom = epochs / 3;
  const diverges = lr > 0.3;
  const rng = new Rng(seed * 100_003 + number);
  const curve: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = diverges
      ? 2.3 + 0.1 * Math.min(epoch, 10)
      : FAMILIES[family](config, asymptote, epoch) + overfit * Math.max(0, epoch - overfitFrom);
    curve.push(loss + noise * rng.normal());
  }
  return curve;
}

interface Strategy {
  label: string;
  pruner: PrunerName;
  options?: Record<string, unknown>;
}

const strategies: Strategy[] = [
  { label: "no pruning", pruner: "none" },
  { label: "median", pruner: "median" },
  { label: "successive halving", pruner: "successive-halving" },
  { label: "hyperband", pruner: "hyperband", options: { minResource: 1, maxResource: epochs, reductionFactor: 3 } },
];

/** One trial as the benchmark sees it: epochs it ran, and its final loss unless pruned. */
interface TrialRun {
  epochs: number;
  final: number | null;
  /** The noise-free final loss of its configuration. */
  trueFinal: number;
}

/** Runs the study (until `budget` epochs are spent, if given) and returns its trials in order. */
async function runTunebook(
  family: Family,
  strategy: Strategy,
  seed: number,
  budget: number | null,
): Promise<{ trials: TrialRun[]; configs: Config[] }> {
  const study = await createStudy({
    name: `pruning-${seed}`,
    storage: ":memory:",
    direction: "minimize",
    sampler: "random",
    seed,
    pruner: createPruner(strategy.pruner, strategy.options as never),
  });
  const configs: Config[] = [];
  const ran: number[] = [];
  let spent = 0;
  await study.optimize(
    (trial) => {
      const config: Config = {
        lr: trial.suggestFloat("lr", 1e-4, 1, { log: true }),
        width: trial.suggestInt("width", 8, 512, { log: true }),
        dropout: trial.suggestFloat("dropout", 0, 0.6),
        batch: trial.suggestCategorical("batch", [16, 32, 64, 128]),
      };
      configs[trial.number] = config;
      const curve = learningCurve(family, config, seed, trial.number);
      for (let epoch = 1; epoch <= epochs; epoch++) {
        ran[trial.number] = epoch;
        spent++;
        trial.report(curve[epoch - 1], epoch);
        if (trial.shouldPrune()) throw new TrialPruned();
      }
      return curve[epochs - 1];
    },
    {
      nTrials: budget === null ? nTrials : MAX_TRIALS_FACTOR * nTrials,
      callbacks: [(s) => void (budget !== null && spent >= budget && s.stop())],
    },
  );
  const records = await study.trials();
  await closeStorages();
  const trials = records.map((t) => ({
    epochs: ran[t.number],
    final: t.state === "COMPLETE" ? t.value : null,
    trueFinal: learningCurve(family, configs[t.number], seed, t.number, 0)[epochs - 1],
  }));
  return { trials, configs };
}

/** Optuna's pruner replayed on the same curves, one trial after another (test/tune/pruners/optuna_replay.py). */
function runOptuna(strategy: Strategy, curves: number[][], trueFinals: number[], studyName: string): TrialRun[] | null {
  const script = fileURLToPath(new URL("../test/tune/pruners/optuna_replay.py", import.meta.url));
  const input = JSON.stringify([
    {
      pruner: { name: strategy.pruner, options: strategy.options ?? {} },
      scenario: { direction: "minimize", studyName, curves, steps: Array.from({ length: epochs }, (_, k) => k + 1) },
    },
  ]);
  const out = spawnSync("/usr/bin/python3", [script], { input, encoding: "utf8", maxBuffer: 256 << 20 });
  if (out.status !== 0) {
    console.warn(`Optuna replay unavailable: ${out.error?.message ?? out.stderr.trim().split("\n").at(-1)}`);
    return null;
  }
  const [replayed] = JSON.parse(out.stdout) as { decisions: boolean[][]; states: string[] }[];
  return replayed.states.map((state, i) => ({
    epochs: replayed.decisions[i].length,
    final: state === "COMPLETE" ? curves[i][epochs - 1] : null,
    trueFinal: trueFinals[i],
  }));
}

interface Measures {
  /** The first `trials` trials. */
  epochs: number;
  best: number;
  trueLoss: number;
  pruned: number;
  /** Within the budget of `trials` unpruned trials. */
  budgetTrials: number;
  budgetBest: number;
  budgetTrueLoss: number;
  /** Epochs spent when the best loss first came within σ of the target; null if never. */
  epochsToMatch: number | null;
  /** The same for reaching the target itself (≤). */
  epochsToReach: number | null;
}

/** The best observed final loss of `trials` and the true loss of the configuration it belongs to. */
function choice(trials: readonly TrialRun[]): { best: number; trueLoss: number } {
  let pick: TrialRun | null = null;
  for (const t of trials) if (t.final !== null && (pick === null || t.final < pick.final!)) pick = t;
  return pick ? { best: pick.final!, trueLoss: pick.trueFinal } : { best: Infinity, trueLoss: Infinity };
}

function measure(trials: readonly TrialRun[], budget: number, target: number): Measures {
  const first = trials.slice(0, nTrials);
  const firstChoice = choice(first);
  let spent = 0;
  let best = Infinity;
  let epochsToMatch: number | null = null;
  let epochsToReach: number | null = null;
  let budgetTrials = 0;
  for (const t of trials) {
    if (spent >= budget) break;
    spent += t.epochs;
    budgetTrials++;
    if (t.final !== null) best = Math.min(best, t.final);
    if (epochsToMatch === null && best <= target + NOISE) epochsToMatch = spent;
    if (epochsToReach === null && best <= target) epochsToReach = spent;
  }
  const budgetChoice = choice(trials.slice(0, budgetTrials));
  return {
    epochs: first.reduce((a, t) => a + t.epochs, 0),
    best: firstChoice.best,
    trueLoss: firstChoice.trueLoss,
    pruned: first.filter((t) => t.final === null).length,
    budgetTrials,
    budgetBest: budgetChoice.best,
    budgetTrueLoss: budgetChoice.trueLoss,
    epochsToMatch,
    epochsToReach,
  };
}

interface Summary {
  /** Medians over seeds. */
  epochs: number;
  epochsShare: number;
  best: number;
  /** Median over seeds of (best − best without pruning, same seed). */
  bestGap: number;
  trueLoss: number;
  pruned: number;
  budgetTrials: number;
  budgetBest: number;
  budgetTrueLoss: number;
  /** Shares of the budget; a seed that never matched counts as 1. */
  epochsToMatchShare: number;
  epochsToReachShare: number;
  seedsMatched: number;
  seedsReached: number;
}

function summarise(runs: readonly Measures[], baseline: readonly Measures[], budget: number): Summary {
  const med = (f: (m: Measures, i: number) => number) => median(runs.map(f));
  return {
    epochs: med((r) => r.epochs),
    epochsShare: med((r) => r.epochs) / budget,
    best: med((r) => r.best),
    bestGap: med((r, i) => r.best - baseline[i].best),
    trueLoss: med((r) => r.trueLoss),
    pruned: med((r) => r.pruned),
    budgetTrials: med((r) => r.budgetTrials),
    budgetBest: med((r) => r.budgetBest),
    budgetTrueLoss: med((r) => r.budgetTrueLoss),
    epochsToMatchShare: med((r) => (r.epochsToMatch ?? budget) / budget),
    epochsToReachShare: med((r) => (r.epochsToReach ?? budget) / budget),
    seedsMatched: runs.filter((r) => r.epochsToMatch !== null).length,
    seedsReached: runs.filter((r) => r.epochsToReach !== null).length,
  };
}

// --- run -------------------------------------------------------------------------

const families = (args.family === "all" ? Object.keys(FAMILIES) : [args.family]) as Family[];
for (const f of families) if (!(f in FAMILIES)) throw new Error(`unknown family ${f}; use ${Object.keys(FAMILIES).join(", ")} or all`);
const budget = nTrials * epochs;
const pad = (text: string, width: number) => text.padStart(width);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const report: Record<string, unknown> = {};

for (const family of families) {
  const raw: Record<string, { tunebook: Measures[]; optuna: (Measures | null)[] }> = Object.fromEntries(
    strategies.map((s) => [s.label, { tunebook: [], optuna: [] }]),
  );
  for (let seed = 0; seed < nSeeds; seed++) {
    const started = performance.now();
    const baseline = await runTunebook(family, strategies[0], seed, null);
    const target = choice(baseline.trials).best;
    const base = measure(baseline.trials, budget, target);
    raw["no pruning"].tunebook.push(base);
    raw["no pruning"].optuna.push(base);
    for (const strategy of strategies.slice(1)) {
      const run = await runTunebook(family, strategy, seed, budget);
      raw[strategy.label].tunebook.push(measure(run.trials, budget, target));
      const curves = run.configs.map((c, i) => learningCurve(family, c, seed, i));
      const peer = runOptuna(
        strategy,
        curves,
        run.trials.map((t) => t.trueFinal),
        `pruning-${seed}`,
      );
      raw[strategy.label].optuna.push(peer && measure(peer, budget, target));
    }
    console.log(`${family}: seed ${seed + 1}/${nSeeds} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  const baseline = raw["no pruning"].tunebook;
  const summaries = strategies.map((s) => {
    const peer = raw[s.label].optuna;
    return {
      strategy: s.label,
      pruner: s.pruner,
      options: s.options ?? {},
      tunebook: summarise(raw[s.label].tunebook, baseline, budget),
      optuna: peer.every((r) => r !== null) ? summarise(peer as Measures[], baseline, budget) : null,
    };
  });

  console.log(
    `\nFamily "${family}": ${nTrials} trials × up to ${epochs} epochs, random search, σ = ${NOISE}; medians over ${nSeeds} seeds.`,
  );
  console.log(`Equal trials (the first ${nTrials}):`);
  console.log(
    `${"".padEnd(20)}${pad("epochs", 7)}${pad("share", 8)}${pad("pruned", 8)}${pad("best", 8)}${pad("gap", 9)}${pad("true loss", 11)}${pad("Optuna: epochs", 16)}${pad("best", 8)}`,
  );
  for (const { strategy, tunebook: r, optuna: o } of summaries) {
    console.log(
      `${strategy.padEnd(20)}${pad(String(r.epochs), 7)}${pad(pct(r.epochsShare), 8)}${pad(String(r.pruned), 8)}${pad(r.best.toFixed(4), 8)}` +
        `${pad((r.bestGap >= 0 ? "+" : "") + r.bestGap.toFixed(4), 9)}${pad(r.trueLoss.toFixed(4), 11)}` +
        `${pad(o ? String(o.epochs) : "n/a", 16)}${pad(o ? o.best.toFixed(4) : "", 8)}`,
    );
  }
  console.log(`Equal budget (${budget} epochs, the cost of ${nTrials} unpruned trials):`);
  console.log(
    `${"".padEnd(20)}${pad("trials", 7)}${pad("best", 8)}${pad("true loss", 11)}${pad("to match ±σ", 13)}${pad("seeds", 7)}${pad("to reach", 10)}${pad("seeds", 7)}${pad("Optuna: to match", 18)}`,
  );
  for (const { strategy, tunebook: r, optuna: o } of summaries) {
    console.log(
      `${strategy.padEnd(20)}${pad(String(r.budgetTrials), 7)}${pad(r.budgetBest.toFixed(4), 8)}${pad(r.budgetTrueLoss.toFixed(4), 11)}` +
        `${pad(pct(r.epochsToMatchShare), 13)}${pad(`${r.seedsMatched}/${nSeeds}`, 7)}${pad(pct(r.epochsToReachShare), 10)}${pad(`${r.seedsReached}/${nSeeds}`, 7)}` +
        `${pad(o ? pct(o.epochsToMatchShare) : "n/a", 18)}`,
    );
  }
  const hyperband = summaries.find((r) => r.pruner === "hyperband")!.tunebook;
  const met = hyperband.epochsToMatchShare <= GOAL_EPOCHS_SHARE;
  console.log(
    `Goal — Hyperband matches the best loss without pruning with at most ${pct(GOAL_EPOCHS_SHARE)} of its epochs: ` +
      `${pct(hyperband.epochsToMatchShare)} (matched in ${hyperband.seedsMatched}/${nSeeds} seeds) — ${met ? "met" : "NOT met"}.\n`,
  );
  report[family] = {
    goal: { maxEpochsShare: GOAL_EPOCHS_SHARE, hyperbandEpochsToMatchShare: hyperband.epochsToMatchShare, met },
    summaries,
    raw,
  };
}

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/pruning.json", import.meta.url),
  `${JSON.stringify(
    { kind: "pruning", trials: nTrials, epochs, seeds: nSeeds, noise: NOISE, budget, families: report, date: new Date().toISOString() },
    null,
    2,
  )}\n`,
);
