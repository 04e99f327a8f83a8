import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createPruner, type Pruner, type PrunerName } from "../../../tune/pruners/index.js";
import { learningCurves } from "./curves.js";
import { type Outcome, replay, type Scenario } from "./helpers.js";

/**
 * The same learning curves, replayed through these pruners and through Optuna's
 * (Optuna 3.1 on /usr/bin/python3, or $TUNEBOOK_PYTHON, by optuna_replay.py), must
 * lead to the same answer at every `shouldPrune()`. Without Python and Optuna the
 * tests are skipped, loudly; with TUNEBOOK_REQUIRE_ALL=1 they fail instead.
 * Regenerate nothing: Optuna's answers are computed afresh on every run.
 */

interface PrunerSpec {
  name: PrunerName;
  options?: Record<string, unknown>;
}

interface Case {
  pruner: PrunerSpec;
  scenario: Scenario;
}

function build(spec: PrunerSpec): Pruner {
  const options: Record<string, unknown> = { ...spec.options };
  if (spec.name === "patient" && options.wrapped) options.wrapped = build(options.wrapped as PrunerSpec);
  return createPruner(spec.name, options as never);
}

function withNaN(curves: number[][], at: [trial: number, step: number][]): number[][] {
  const copy = curves.map((c) => [...c]);
  for (const [i, k] of at) copy[i][k] = NaN;
  return copy;
}

const sparseSteps = [0, 3, 7, 20, 40, 64, 70];
const everyFifth = Array.from({ length: 12 }, (_, k) => 5 * k);

const cases: Case[] = [
  {
    pruner: { name: "median" },
    scenario: { title: "median, defaults, one at a time", direction: "minimize", studyName: "median-a", curves: learningCurves(1, 12, 15) },
  },
  {
    pruner: { name: "median", options: { nStartupTrials: 2, nWarmupSteps: 3, intervalSteps: 4 } },
    scenario: {
      title: "median, warm-up and interval, 3 at once",
      direction: "maximize",
      studyName: "median-b",
      curves: learningCurves(2, 10, 20, { maximize: true }),
      concurrency: 3,
    },
  },
  {
    pruner: { name: "percentile", options: { percentile: 25, nStartupTrials: 3, nMinTrials: 3 } },
    scenario: {
      title: "25th percentile with NaN reports, 2 at once",
      direction: "minimize",
      studyName: "percentile-a",
      curves: withNaN(learningCurves(3, 12, 12), [
        [0, 4],
        [1, 5],
        [5, 0],
        [5, 1],
        [5, 2],
        [5, 3],
        [7, 6],
      ]),
      concurrency: 2,
    },
  },
  {
    pruner: { name: "percentile", options: { percentile: 75, nStartupTrials: 1, nWarmupSteps: 2, intervalSteps: 7 } },
    scenario: {
      title: "75th percentile, reports every 5 steps, checks every 7",
      direction: "maximize",
      studyName: "percentile-b",
      curves: learningCurves(4, 10, 12, { maximize: true }),
      steps: everyFifth,
    },
  },
  {
    pruner: { name: "successive-halving", options: { minResource: 1, reductionFactor: 3 } },
    scenario: {
      title: "ASHA η=3, one at a time, a NaN at a rung",
      direction: "minimize",
      studyName: "sh-a",
      curves: withNaN(learningCurves(5, 15, 30), [[6, 3]]),
    },
  },
  {
    pruner: { name: "successive-halving", options: { minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1, bootstrapCount: 2 } },
    scenario: {
      title: "ASHA η=2, s=1, bootstrap 2, 4 at once",
      direction: "maximize",
      studyName: "sh-b",
      curves: learningCurves(6, 12, 20, { maximize: true }),
      concurrency: 4,
    },
  },
  {
    pruner: { name: "successive-halving", options: { minResource: 1, reductionFactor: 4 } },
    scenario: {
      title: "ASHA η=4, sparse steps that jump over rungs, 2 at once",
      direction: "minimize",
      studyName: "sh-c",
      curves: learningCurves(7, 14, sparseSteps.length),
      steps: sparseSteps,
      concurrency: 2,
    },
  },
  {
    pruner: { name: "hyperband", options: { minResource: 1, maxResource: 27, reductionFactor: 3 } },
    scenario: { title: "Hyperband 1..27 η=3, one at a time", direction: "minimize", studyName: "hb-a", curves: learningCurves(8, 30, 27) },
  },
  {
    pruner: { name: "hyperband", options: { minResource: 1, maxResource: 27, reductionFactor: 3, bootstrapCount: 1 } },
    scenario: {
      title: "Hyperband with bootstrap 1, 3 at once",
      direction: "maximize",
      studyName: "hb-b",
      curves: learningCurves(9, 24, 27, { maximize: true }),
      concurrency: 3,
    },
  },
  {
    pruner: { name: "hyperband", options: { minResource: 2, maxResource: 40, reductionFactor: 2 } },
    scenario: {
      title: "Hyperband 2..40 η=2, 2 at once",
      direction: "minimize",
      studyName: "hb-c",
      curves: learningCurves(10, 24, 40),
      concurrency: 2,
    },
  },
  {
    pruner: { name: "threshold", options: { lower: 0.3, upper: 2.2, nWarmupSteps: 2, intervalSteps: 3 } },
    scenario: {
      title: "threshold with warm-up, interval and NaN",
      direction: "minimize",
      studyName: "threshold",
      curves: withNaN(learningCurves(11, 8, 15, { noise: 0.1 }), [
        [2, 5],
        [3, 6],
      ]),
    },
  },
  {
    pruner: { name: "patient", options: { wrapped: null, patience: 2, minDelta: 0.01 } },
    scenario: {
      title: "patience 2, min delta 0.01",
      direction: "minimize",
      studyName: "patient-a",
      curves: learningCurves(12, 8, 25, { noise: 0.05 }),
    },
  },
  {
    pruner: { name: "patient", options: { wrapped: { name: "median", options: { nStartupTrials: 2 } }, patience: 1 } },
    scenario: {
      title: "patience 1 around a median pruner, maximize",
      direction: "maximize",
      studyName: "patient-b",
      curves: learningCurves(13, 10, 20, { maximize: true, noise: 0.05 }),
      concurrency: 2,
    },
  },
];

function optunaOutcomes(): Outcome[] | string {
  const python = process.env.TUNEBOOK_PYTHON ?? "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import optuna"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return `Optuna is not importable by ${python} (${probe.error?.message ?? probe.stderr.trim()})`;
  const script = fileURLToPath(new URL("./optuna_replay.py", import.meta.url));
  // JSON has no NaN; Python's json module reads the bare token.
  const input = JSON.stringify(cases, (_key, v) => (typeof v === "number" && Number.isNaN(v) ? "__NaN__" : v)).replaceAll(
    '"__NaN__"',
    "NaN",
  );
  const run = spawnSync(python, [script], { input, encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`optuna_replay.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Outcome[];
}

const reference = optunaOutcomes();
if (typeof reference === "string" && process.env.TUNEBOOK_REQUIRE_ALL !== "1")
  console.warn(`SKIPPING the Optuna cross-check: ${reference}`);
// SHOW_STATS=1 prints how much each scenario prunes, to keep the scenarios telling.
if (process.env.SHOW_STATS && typeof reference !== "string") {
  for (const [i, r] of reference.entries()) {
    const pruned = r.states.filter((s) => s === "PRUNED").length;
    console.log(`${cases[i].scenario.title}: ${pruned}/${r.states.length} pruned, ${r.decisions.flat().length} checks`);
  }
}

for (const [i, c] of cases.entries()) {
  test(`same decisions as Optuna: ${c.scenario.title}`, (t) => {
    if (typeof reference === "string") {
      if (process.env.TUNEBOOK_REQUIRE_ALL === "1") assert.fail(`${reference}; TUNEBOOK_REQUIRE_ALL=1 requires the Optuna cross-check`);
      t.skip(reference);
      return;
    }
    const ours = replay(build(c.pruner), c.scenario);
    assert.deepEqual(ours, reference[i]);
    // A scenario where nothing is pruned would check little.
    if (c.pruner.name !== "none") assert.ok(ours.states.includes("PRUNED"), "the scenario prunes some trial");
  });
}
