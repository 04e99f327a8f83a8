import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { ThresholdPruner } from "../../../tune/pruners/threshold.js";
import { trial, view } from "./helpers.js";

const decide = (pruner: ThresholdPruner, reports: number[]) => {
  const t = trial(0, "RUNNING", reports);
  return pruner.prune(view([t]), t);
};

test("prunes when the latest value leaves [lower, upper] or is NaN", () => {
  const pruner = new ThresholdPruner({ lower: 0, upper: 1 });
  assert.equal(decide(pruner, [0.5]), false);
  assert.equal(decide(pruner, [0.5, 1]), false, "bounds are inside");
  assert.equal(decide(pruner, [0.5, 1.01]), true);
  assert.equal(decide(pruner, [0.5, -0.01]), true);
  assert.equal(decide(pruner, [0.5, NaN]), true);
  // Only the latest value matters.
  assert.equal(decide(pruner, [5, 0.5]), false);
  assert.equal(decide(new ThresholdPruner({ upper: 10 }), [-1e9]), false);
  assert.equal(decide(new ThresholdPruner({ lower: 10 }), [1e9]), false);
});

test("warm-up and interval steps", () => {
  const pruner = new ThresholdPruner({ upper: 1, nWarmupSteps: 3, intervalSteps: 2 });
  const t = trial(0, "RUNNING", []);
  const pruned: number[] = [];
  for (let step = 0; step < 9; step++) {
    t.intermediateValues[step] = 5;
    if (pruner.prune(view([t]), t)) pruned.push(step);
  }
  assert.deepEqual(pruned, [3, 5, 7]);
});

test("bad options are rejected where the pruner is built", () => {
  assert.throws(
    () => new ThresholdPruner({}),
    (e: Error) => e instanceof ValueError && /lower, upper or both/.test(e.message),
  );
  assert.throws(() => new ThresholdPruner({ lower: 2, upper: 1 }), /swap/);
  assert.throws(() => new ThresholdPruner({ lower: NaN }), /lower.*NaN/);
  assert.throws(() => new ThresholdPruner({ upper: "1" as never }), /upper.*"1"/);
  assert.throws(() => new ThresholdPruner({ upper: 1, intervalSteps: 0 }), /intervalSteps/);
  assert.throws(() => new ThresholdPruner({ upper: 1, nWarmupSteps: -2 }), /nWarmupSteps/);
});
