import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { WilcoxonPruner } from "../../../tune/pruners/wilcoxon.js";
import { trial, view } from "./helpers.js";

// Accuracy of the best configuration on 8 folds (maximised), and its mean as its value.
const bestFolds = [0.8, 0.82, 0.79, 0.85, 0.81, 0.78, 0.84, 0.83];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const best = () => trial(0, "COMPLETE", bestFolds, mean(bestFolds));

/** The fold after which the trial is first pruned, or -1. */
function prunedAfter(
  pruner: WilcoxonPruner,
  folds: number[],
  order = folds.map((_, k) => k),
  direction: "minimize" | "maximize" = "maximize",
) {
  const current = trial(1, "RUNNING", {});
  for (const [i, fold] of order.entries()) {
    current.intermediateValues[fold] = folds[fold];
    if (pruner.prune(view([best(), current], direction), current)) return i;
  }
  return -1;
}

test("a configuration worse on every fold is pruned once the one-sided test is significant", () => {
  // All differences negative: exact p = 2^-n, below 0.1 from n = 4.
  const worse = bestFolds.map((v) => v - 0.05);
  assert.equal(prunedAfter(new WilcoxonPruner(), worse), 3);
  // A stricter threshold waits longer: 2^-5 < 0.05 at n = 5.
  assert.equal(prunedAfter(new WilcoxonPruner({ pThreshold: 0.05 }), worse), 4);
  // Folds may come in any order: they are paired by step.
  assert.equal(prunedAfter(new WilcoxonPruner(), worse, [5, 2, 7, 0, 1, 3, 4, 6]), 3);
});

test("a configuration as good or better is not pruned", () => {
  assert.equal(
    prunedAfter(
      new WilcoxonPruner(),
      bestFolds.map((v) => v + 0.01),
    ),
    -1,
  );
  assert.equal(prunedAfter(new WilcoxonPruner(), bestFolds), -1, "all differences zero: split, p = ½");
  // Mixed signs, better by more than it is worse.
  const mixed = bestFolds.map((v, k) => (k % 2 === 0 ? v - 0.02 : v + 0.03));
  assert.equal(prunedAfter(new WilcoxonPruner(), mixed), -1);
});

test("minimisation: larger is worse", () => {
  const losses = bestFolds.map((v) => 1 - v);
  const bestLoss = trial(0, "COMPLETE", losses, mean(losses));
  const current = trial(
    1,
    "RUNNING",
    losses.slice(0, 4).map((v) => v + 0.05),
  );
  assert.equal(new WilcoxonPruner().prune(view([bestLoss, current], "minimize"), current), true);
  const better = trial(
    1,
    "RUNNING",
    losses.slice(0, 4).map((v) => v - 0.05),
  );
  assert.equal(new WilcoxonPruner().prune(view([bestLoss, better], "minimize"), better), false);
});

test("not pruned while the trial's mean so far is no worse than the best trial's mean", () => {
  // The best trial was weak on its last fold; this one is a little worse on the first four
  // (p = 1/16) but its mean over them beats the best trial's mean over all eight.
  const uneven = [0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5];
  const bestUneven = trial(0, "COMPLETE", uneven, mean(uneven));
  const current = trial(1, "RUNNING", [0.85, 0.86, 0.87, 0.88]);
  assert.equal(new WilcoxonPruner().prune(view([bestUneven, current], "maximize"), current), false);
  const weak = trial(1, "RUNNING", [0.65, 0.66, 0.67, 0.68]);
  assert.equal(new WilcoxonPruner().prune(view([bestUneven, weak], "maximize"), weak), true);
});

test("nStartupSteps, missing best trial and non-finite values", () => {
  const worse = bestFolds.map((v) => v - 0.05);
  assert.equal(prunedAfter(new WilcoxonPruner({ nStartupSteps: 6 }), worse), 5);
  const alone = trial(1, "RUNNING", worse);
  assert.equal(new WilcoxonPruner().prune(view([alone], "maximize"), alone), false, "no COMPLETE trial");
  const nan = trial(1, "RUNNING", [...worse.slice(0, 5), NaN]);
  assert.equal(new WilcoxonPruner().prune(view([best(), nan], "maximize"), nan), false);
  const infiniteBest = trial(0, "COMPLETE", [...bestFolds.slice(0, 7), Infinity], 0.9);
  const current = trial(1, "RUNNING", worse);
  assert.equal(new WilcoxonPruner().prune(view([infiniteBest, current], "maximize"), current), false);
  // Steps the best trial never reported are left out of the pairs.
  const beyond = trial(1, "RUNNING", { 10: 0.1, 11: 0.1, 12: 0.1, 13: 0.1, 14: 0.1 });
  assert.equal(new WilcoxonPruner().prune(view([best(), beyond], "maximize"), beyond), false);
});

test("the best trial is the COMPLETE trial with the best value", () => {
  const worse = bestFolds.map((v) => v - 0.05);
  // A pruned trial with great folds is not the reference.
  const prunedGreat = trial(
    2,
    "PRUNED",
    bestFolds.map((v) => v + 0.5),
    1.3,
  );
  const current = trial(1, "RUNNING", worse.slice(0, 4));
  assert.equal(new WilcoxonPruner().prune(view([best(), prunedGreat, current], "maximize"), current), true);
  // A COMPLETE trial with a lower value than the best is not the reference either.
  const weakerComplete = trial(
    3,
    "COMPLETE",
    worse.map((v) => v - 0.1),
    0.6,
  );
  assert.equal(new WilcoxonPruner().prune(view([weakerComplete, best(), current], "maximize"), current), true);
});

test("bad options are rejected where the pruner is built", () => {
  assert.throws(
    () => new WilcoxonPruner({ pThreshold: 1.5 }),
    (e: Error) => e instanceof ValueError && /pThreshold.*1\.5/.test(e.message),
  );
  assert.throws(() => new WilcoxonPruner({ nStartupSteps: -1 }), /nStartupSteps/);
  assert.throws(() => new WilcoxonPruner({ pValue: 0.1 } as never), /unknown option "pValue"/);
});
