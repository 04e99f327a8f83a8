import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DistributionJson, ParamValue } from "../../core/records.js";
import { type ChosenConfiguration, type FloatStability, nestedStability } from "../../select/nested-stability.js";
import { CategoricalDistribution, FloatDistribution, IntDistribution } from "../../tune/distributions.js";

const lr = new FloatDistribution(1e-4, 1, { log: true }).toJson();
const dropout = new FloatDistribution(0, 0.5).toJson();
const depth = new IntDistribution(1, 10).toJson();
const kernel = new CategoricalDistribution(["rbf", "linear"]).toJson();

function config(params: Record<string, ParamValue>, distributions: Record<string, DistributionJson>): ChosenConfiguration {
  return { params, distributions };
}

const std = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
};

describe("nestedStability", () => {
  const chosen = [
    config({ lr: 0.01, dropout: 0.1, depth: 3, kernel: "rbf" }, { lr, dropout, depth, kernel }),
    config({ lr: 0.1, dropout: 0.2, depth: 3, kernel: "linear" }, { lr, dropout, depth, kernel }),
    config({ lr: 1, dropout: 0.3, depth: 5, kernel: "rbf" }, { lr, dropout, depth, kernel }),
    config({ lr: 0.1, dropout: 0.2, depth: 3 }, { lr, dropout, depth }),
  ];
  const stability = nestedStability(chosen);

  it("log floats: geometric mean, and the spread of log10 values in decades", () => {
    const s = stability.params.lr as FloatStability;
    assert.equal(s.kind, "float");
    assert.equal(s.log, true);
    assert.ok(Math.abs(s.center - 10 ** ((-2 - 1 + 0 - 1) / 4)) < 1e-12);
    assert.ok(Math.abs(s.spread - std([-2, -1, 0, -1])) < 1e-12);
  });

  it("linear floats: mean and coefficient of variation", () => {
    const s = stability.params.dropout as FloatStability;
    assert.equal(s.log, false);
    assert.ok(Math.abs(s.center - 0.2) < 1e-12);
    assert.ok(Math.abs(s.spread - std([0.1, 0.2, 0.3, 0.2]) / 0.2) < 1e-12);
  });

  it("ints and categoricals: the mode and the share of all folds that chose it", () => {
    assert.deepEqual(stability.params.depth, { kind: "int", values: [3, 3, 5, 3], mode: 3, agreement: 0.75 });
    // The fourth fold's configuration has no kernel: it does not agree with the mode.
    assert.deepEqual(stability.params.kernel, {
      kind: "categorical",
      values: ["rbf", "linear", "rbf", undefined],
      mode: "rbf",
      agreement: 0.5,
    });
  });

  it("the share of folds choosing the most common whole configuration", () => {
    assert.equal(stability.agreement, 1 / 4, "no two configurations are alike");
    const same = config({ depth: 2, kernel: "rbf" }, { depth, kernel });
    const reordered = config({ kernel: "rbf", depth: 2 }, { kernel, depth });
    assert.equal(nestedStability([same, reordered, config({ depth: 2, kernel: "linear" }, { depth, kernel })]).agreement, 2 / 3);
    assert.equal(nestedStability([same, same]).params.depth.kind, "int");
    assert.equal((nestedStability([same, same]).params.depth as { agreement: number }).agreement, 1);
  });

  it('a tie for the mode goes to the first fold\'s value; 1 and "1" differ', () => {
    const c = (v: ParamValue) => config({ x: v }, { x: new CategoricalDistribution([1, "1", 2]).toJson() });
    const s = nestedStability([c("1"), c(1), c(2), c(1), c("1")]).params.x as { mode: ParamValue; agreement: number };
    assert.deepEqual([s.mode, s.agreement], ["1", 0.4]);
  });

  it("every fold alike: no spread", () => {
    const s = nestedStability([config({ lr: 0.01 }, { lr }), config({ lr: 0.01 }, { lr })]).params.lr as FloatStability;
    assert.ok(Math.abs(s.center - 0.01) < 1e-15);
    assert.equal(s.spread, 0);
  });
});
