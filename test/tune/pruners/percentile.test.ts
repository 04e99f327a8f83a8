import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { MedianPruner } from "../../../tune/pruners/median.js";
import { nanPercentile, PercentilePruner } from "../../../tune/pruners/percentile.js";
import { trial, view } from "./helpers.js";

/** Five COMPLETE trials whose reports at step 2 are 1, 2, 3, 4, 5 (median 3). */
function finished() {
  return [9, 7, 8, 6, 10].map((start, i) => trial(i, "COMPLETE", [start, start - 1, i + 1, i + 1]));
}

test("median: prunes when the trial's best value so far is worse than the median at its step", () => {
  const pruner = new MedianPruner();
  const done = finished();
  const worse = trial(5, "RUNNING", [5, 4, 3.5]);
  assert.equal(pruner.prune(view([...done, worse]), worse), true);
  // The best value so far counts, not the latest: 2.9 at step 1 beats the median 3.
  const recovered = trial(5, "RUNNING", [5, 2.9, 3.5]);
  assert.equal(pruner.prune(view([...done, recovered]), recovered), false);
  // Equal to the median is not worse.
  const tie = trial(5, "RUNNING", [5, 4, 3]);
  assert.equal(pruner.prune(view([...done, tie]), tie), false);
});

test("median: for maximisation a value below the median is worse", () => {
  const pruner = new MedianPruner();
  const done = finished();
  const below = trial(5, "RUNNING", [0, 2.5, 2.9]);
  const above = trial(5, "RUNNING", [0, 2.5, 3.1]);
  assert.equal(pruner.prune(view([...done, below], "maximize"), below), true);
  assert.equal(pruner.prune(view([...done, above], "maximize"), above), false);
});

test("only COMPLETE trials are compared against", () => {
  const pruner = new MedianPruner();
  const done = finished();
  const current = trial(9, "RUNNING", [5, 4, 2.5]);
  // Pruned, failed and running trials with better values do not move the median (3).
  const others = [
    trial(5, "PRUNED", [0, 0, 0]),
    trial(6, "FAIL", [0, 0, 0]),
    trial(7, "RUNNING", [0, 0, 0]),
    trial(8, "PRUNED", [0, 0, 0]),
  ];
  assert.equal(pruner.prune(view([...done, ...others, current]), current), false);
  // The same values as COMPLETE trials do.
  const complete = others.map((t) => trial(t.number, "COMPLETE", [0, 0, 0]));
  assert.equal(pruner.prune(view([...done, ...complete, current]), current), true);
});

test("nothing is pruned before nStartupTrials trials are COMPLETE", () => {
  const done = finished().slice(0, 4);
  const current = trial(4, "RUNNING", [50, 50, 50]);
  assert.equal(new MedianPruner().prune(view([...done, current]), current), false);
  assert.equal(new MedianPruner({ nStartupTrials: 4 }).prune(view([...done, current]), current), true);
  // Even with nStartupTrials 0, a study without a COMPLETE trial prunes nothing.
  assert.equal(new MedianPruner({ nStartupTrials: 0 }).prune(view([current]), current), false);
});

test("warm-up steps and check intervals", () => {
  const done = [0, 1, 2].map((i) =>
    trial(
      i,
      "COMPLETE",
      Array.from({ length: 10 }, () => i),
    ),
  );
  const pruner = new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 2, intervalSteps: 3 });
  // Reported at every step, a hopeless trial is checked at steps 2, 5, 8 only.
  const checked: number[] = [];
  const current = trial(3, "RUNNING", {});
  for (let step = 0; step < 10; step++) {
    current.intermediateValues[step] = 100;
    if (pruner.prune(view([...done, current]), current)) checked.push(step);
  }
  assert.deepEqual(checked, [2, 5, 8]);
  // A checkpoint without a report is taken at the next report: 4 (for 2), 6 (for 5), not 7.
  const sparse = trial(3, "RUNNING", {});
  const sparseChecked: number[] = [];
  for (const step of [0, 4, 6, 7]) {
    sparse.intermediateValues[step] = 100;
    if (pruner.prune(view([...done, sparse]), sparse)) sparseChecked.push(step);
  }
  assert.deepEqual(sparseChecked, [4, 6]);
});

test("nMinTrials: too few COMPLETE trials reported at the step means no decision", () => {
  const done = [trial(0, "COMPLETE", [1, 1, 1, 1]), trial(1, "COMPLETE", [1, 1, 1, 1]), trial(2, "COMPLETE", [1, 1])];
  const current = trial(3, "RUNNING", [5, 5, 5, 5]);
  const lenient = new MedianPruner({ nStartupTrials: 1, nMinTrials: 3 });
  assert.equal(lenient.prune(view([...done, current]), current), false, "2 trials reported at step 3");
  const shorter = trial(3, "RUNNING", [5, 5]);
  assert.equal(lenient.prune(view([...done, shorter]), shorter), true, "3 trials reported at step 1");
  // A step no COMPLETE trial reached gives no decision.
  const longer = trial(3, "RUNNING", [5, 5, 5, 5, 5]);
  assert.equal(new MedianPruner({ nStartupTrials: 1 }).prune(view([...done, longer]), longer), false);
});

test("NaN: a trial with only NaN reports is pruned; NaN reports of other trials are ignored", () => {
  const done = finished();
  const lost = trial(5, "RUNNING", [NaN, NaN, NaN]);
  assert.equal(new MedianPruner().prune(view([...done, lost]), lost), true);
  // NaN among the trial's reports is skipped when taking its best.
  const partly = trial(5, "RUNNING", [NaN, 2, NaN]);
  assert.equal(new MedianPruner().prune(view([...done, partly]), partly), false);
  // Others' NaN at the step are dropped before the median: here only 1 and 5 remain (median 3).
  const nanDone = done.map((t, i) => (i === 1 || i === 2 || i === 3 ? trial(t.number, "COMPLETE", [9, 9, NaN, 1]) : t));
  const current = trial(5, "RUNNING", [9, 9, 3.5]);
  assert.equal(new MedianPruner().prune(view([...nanDone, current]), current), true);
  // Every COMPLETE report at the step NaN: no threshold, no pruning.
  const allNaN = done.map((t) => trial(t.number, "COMPLETE", [9, 9, NaN, 1]));
  assert.equal(new MedianPruner().prune(view([...allNaN, current]), current), false);
});

test("percentile pruner keeps the best `percentile` percent, by direction", () => {
  const done = finished();
  // 25th percentile of 1..5 is 2 for minimisation; the 75th (= 100 − 25) is 4 for maximisation.
  const p25 = new PercentilePruner(25);
  const a = trial(5, "RUNNING", [9, 9, 2.1]);
  const b = trial(5, "RUNNING", [9, 9, 2]);
  assert.equal(p25.prune(view([...done, a]), a), true);
  assert.equal(p25.prune(view([...done, b]), b), false);
  const c = trial(5, "RUNNING", [0, 0, 3.9]);
  const d = trial(5, "RUNNING", [0, 0, 4]);
  assert.equal(p25.prune(view([...done, c], "maximize"), c), true);
  assert.equal(p25.prune(view([...done, d], "maximize"), d), false);
});

test("percentiles interpolate linearly between order statistics, skipping NaN", () => {
  assert.equal(nanPercentile([4, 1, 3, 2], 25), 1.75);
  assert.equal(nanPercentile([4, 1, 3, 2], 50), 2.5);
  assert.equal(nanPercentile([4, 1, 3, 2], 0), 1);
  assert.equal(nanPercentile([4, 1, 3, 2], 100), 4);
  assert.equal(nanPercentile([NaN, 10, NaN, 20], 90), 19);
  assert.ok(Number.isNaN(nanPercentile([NaN], 50)));
});

test("bad options are rejected where the pruner is built, naming the value", () => {
  assert.throws(
    () => new PercentilePruner(101),
    (e: Error) => e instanceof ValueError && /percentile/.test(e.message) && /101/.test(e.message),
  );
  assert.throws(() => new PercentilePruner(NaN), ValueError);
  assert.throws(() => new (PercentilePruner as unknown as new () => PercentilePruner)(), /required/);
  assert.throws(() => new MedianPruner({ nStartupTrials: -1 }), /nStartupTrials.*-1/);
  assert.throws(() => new MedianPruner({ nWarmupSteps: 1.5 }), /nWarmupSteps.*1\.5/);
  assert.throws(() => new MedianPruner({ intervalSteps: 0 }), /intervalSteps.*≥ 1/);
  assert.throws(() => new MedianPruner({ nMinTrials: 0 }), /nMinTrials/);
  assert.throws(() => new MedianPruner({ nWarmupStep: 3 } as never), /Did you mean "nWarmupSteps"/);
  assert.throws(() => new MedianPruner({ nWarmup: 3 } as never), /MedianPruner/);
});
