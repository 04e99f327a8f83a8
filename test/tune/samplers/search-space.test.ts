import assert from "node:assert/strict";
import { test } from "node:test";
import type { DistributionJson, ParamValue, TrialRecord, TrialState } from "../../../core/records.js";
import { CategoricalDistribution, type Distribution, FloatDistribution, IntDistribution } from "../../../tune/distributions.js";
import type { StudyView } from "../../../tune/samplers/sampler.js";
import {
  GroupDecomposedSearchSpace,
  groupDecomposedSearchSpace,
  IntersectionSearchSpace,
  internalParam,
  intersectionSearchSpace,
} from "../../../tune/samplers/search-space.js";

function record(number: number, state: TrialState, params: Record<string, [Distribution, ParamValue]>): TrialRecord {
  const values: Record<string, ParamValue> = {};
  const distributions: Record<string, DistributionJson> = {};
  for (const [name, [d, v]] of Object.entries(params)) {
    values[name] = v;
    distributions[name] = d.toJson();
  }
  return {
    trialId: number + 1,
    number,
    state,
    params: values,
    distributions,
    value: state === "COMPLETE" ? number : null,
    values: state === "COMPLETE" ? [number] : null,
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

function view(trials: TrialRecord[]): StudyView {
  return {
    studyId: 1,
    name: "s",
    direction: "minimize",
    directions: ["minimize"],
    trials: (states) => (states ? trials.filter((t) => states.includes(t.state)) : trials),
  };
}

const x = new FloatDistribution(0, 1);
const y = new IntDistribution(1, 10);
const algo = new CategoricalDistribution(["a", "b"]);

test("intersection keeps parameters every complete trial shares with the same distribution, sorted by name", () => {
  const trials = [
    record(0, "COMPLETE", { y: [y, 3], x: [x, 0.5], z: [x, 0.1] }),
    record(1, "COMPLETE", { x: [x, 0.2], y: [y, 4] }),
    record(2, "FAIL", { x: [x, 0.2] }),
    record(3, "RUNNING", {}),
  ];
  const space = intersectionSearchSpace(trials);
  assert.deepEqual(Object.keys(space), ["x", "y"]);
  assert.deepEqual(space.x.toJson(), x.toJson());
  // A changed range drops the parameter.
  trials.push(record(4, "COMPLETE", { x: [new FloatDistribution(0, 2), 1.5], y: [y, 5] }));
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials)), ["y"]);
});

test("pruned trials count only when asked", () => {
  const trials = [record(0, "COMPLETE", { x: [x, 0.5], y: [y, 2] }), record(1, "PRUNED", { x: [x, 0.3] })];
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials)), ["x", "y"]);
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials, { includePruned: true })), ["x"]);
});

test("the incremental intersection agrees with the from-scratch one as trials finish out of order", () => {
  const trials: TrialRecord[] = [];
  const incremental = new IntersectionSearchSpace();
  const study = view(trials);
  assert.deepEqual(incremental.calculate(study), {});
  trials.push(record(0, "RUNNING", {}), record(1, "COMPLETE", { x: [x, 0.1], y: [y, 2] }));
  assert.deepEqual(Object.keys(incremental.calculate(study)), ["x", "y"]);
  // Trial 0 finishes later with only x: the incremental space must notice it.
  trials[0] = record(0, "COMPLETE", { x: [x, 0.9] });
  trials.push(record(2, "COMPLETE", { x: [x, 0.4], y: [y, 3] }));
  assert.deepEqual(Object.keys(incremental.calculate(study)), Object.keys(intersectionSearchSpace(trials)));
  assert.deepEqual(Object.keys(incremental.calculate(study)), ["x"]);
});

test("group decomposition separates the branches of a conditional space", () => {
  const trials = [
    record(0, "COMPLETE", { algo: [algo, "a"], x: [x, 0.2] }),
    record(1, "COMPLETE", { algo: [algo, "b"], y: [y, 3] }),
    record(2, "COMPLETE", { algo: [algo, "a"], x: [x, 0.7] }),
  ];
  const groups = groupDecomposedSearchSpace(trials).map((g) => Object.keys(g).sort().join(","));
  assert.deepEqual(groups.sort(), ["algo", "x", "y"]);
  const joint = [record(0, "COMPLETE", { x: [x, 0.2], y: [y, 1] }), record(1, "COMPLETE", { x: [x, 0.3], y: [y, 2], algo: [algo, "b"] })];
  assert.deepEqual(
    groupDecomposedSearchSpace(joint)
      .map((g) => Object.keys(g).join(","))
      .sort(),
    ["algo", "x,y"],
  );
  const incremental = new GroupDecomposedSearchSpace();
  assert.deepEqual(
    incremental
      .calculate(view(joint))
      .map((g) => Object.keys(g).join(","))
      .sort(),
    ["algo", "x,y"],
  );
});

test("internalParam maps choices to indices and rejects values from another distribution", () => {
  const t = record(0, "COMPLETE", { algo: [algo, "b"], x: [x, 0.25] });
  assert.equal(internalParam(t, "algo", algo), 1);
  assert.equal(internalParam(t, "x", x), 0.25);
  assert.equal(internalParam(t, "x", new FloatDistribution(0.5, 1)), null);
  assert.equal(internalParam(t, "missing", x), null);
});
