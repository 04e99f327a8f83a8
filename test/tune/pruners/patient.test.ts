import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import type { TrialRecord } from "../../../core/records.js";
import { PatientPruner } from "../../../tune/pruners/patient.js";
import type { Pruner } from "../../../tune/pruners/pruner.js";
import type { StudyView } from "../../../tune/samplers/sampler.js";
import { trial, view } from "./helpers.js";

const decide = (pruner: Pruner, reports: number[], direction: "minimize" | "maximize" = "minimize") => {
  const t = trial(0, "RUNNING", reports);
  return pruner.prune(view([t], direction), t);
};

test("prunes once the last patience + 1 reports bring no improvement", () => {
  const pruner = new PatientPruner(null, { patience: 2 });
  // Best before the last 3 reports is 4; best among them is 3: improving.
  assert.equal(decide(pruner, [5, 4, 3, 3.5, 3.2]), false);
  // Best before is 3; best since is 3.05: stalled.
  assert.equal(decide(pruner, [5, 3, 3.1, 3.2, 3.05]), true);
  // Equal is not worse.
  assert.equal(decide(pruner, [5, 3, 3.1, 3.2, 3]), false);
  // Too few reports to tell.
  assert.equal(decide(pruner, [1, 9, 9]), false);
  assert.equal(decide(pruner, [1, 9, 9, 9]), true);
});

test("minDelta: an improvement must exceed it; the direction decides what improving means", () => {
  assert.equal(decide(new PatientPruner(null, { patience: 1, minDelta: 0.1 }), [3, 3.05, 3.08]), false);
  assert.equal(decide(new PatientPruner(null, { patience: 1, minDelta: 0.01 }), [3, 3.05, 3.08]), true);
  assert.equal(decide(new PatientPruner(null, { patience: 1 }), [3, 2.9, 2.95], "maximize"), true);
  assert.equal(decide(new PatientPruner(null, { patience: 1 }), [3, 2.9, 3.1], "maximize"), false);
});

test("NaN reports are ignored; all NaN on one side means no evidence", () => {
  const pruner = new PatientPruner(null, { patience: 1 });
  assert.equal(decide(pruner, [3, NaN, 4, 5]), true);
  assert.equal(decide(pruner, [NaN, NaN, 4, 5]), false);
  assert.equal(decide(pruner, [3, 2, NaN, NaN]), false);
});

test("with a wrapped pruner, the wrapped one decides once the trial has stalled", () => {
  const calls: number[] = [];
  const spy = (answer: boolean): Pruner => ({
    name: "spy",
    prune(_study: StudyView, t: TrialRecord) {
      calls.push(Object.keys(t.intermediateValues).length);
      return answer;
    },
  });
  assert.equal(decide(new PatientPruner(spy(false), { patience: 1 }), [3, 4, 5]), false);
  assert.equal(decide(new PatientPruner(spy(true), { patience: 1 }), [3, 4, 5]), true);
  assert.deepEqual(calls, [3, 3]);
  assert.equal(decide(new PatientPruner(spy(true), { patience: 1 }), [3, 2, 5]), false, "still improving: not consulted");
  assert.deepEqual(calls, [3, 3]);
});

test("bad options are rejected where the pruner is built", () => {
  assert.throws(
    () => new PatientPruner(null, { patience: -1 }),
    (e: Error) => e instanceof ValueError && /patience.*-1/.test(e.message),
  );
  assert.throws(() => new PatientPruner(null, {} as never), /patience.*undefined/);
  assert.throws(() => new PatientPruner(null, undefined as never), /patience/);
  assert.throws(() => new PatientPruner(null, { patience: 1, minDelta: -0.1 }), /minDelta/);
  assert.throws(() => new PatientPruner("median" as never, { patience: 1 }), /pruner or null/);
});
