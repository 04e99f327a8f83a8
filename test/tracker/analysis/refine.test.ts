import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../../core/errors.js";
import type { DistributionJson, ParamValue, TrialRecord } from "../../../core/records.js";
import { formatNumber, refineSearchSpace, roundSignificant } from "../../../tracker/analysis/refine.js";
import { containsExternal, distributionFromJson } from "../../../tune/distributions.js";
import { trial } from "./importance-cases.js";

const float = (low: number, high: number, log = false, step: number | null = null): DistributionJson => ({
  name: "FloatDistribution",
  attributes: { low, high, log, step },
});
const int = (low: number, high: number, step = 1, log = false): DistributionJson => ({
  name: "IntDistribution",
  attributes: { low, high, log, step },
});
const cat = (...choices: (string | number | boolean | null)[]): DistributionJson => ({
  name: "CategoricalDistribution",
  attributes: { choices },
});

/** Trials whose value is their index: the first ones are best when minimising. */
function study(space: Record<string, DistributionJson>, rows: Record<string, ParamValue>[]): TrialRecord[] {
  return rows.map((params, i) => {
    const distributions = Object.fromEntries(Object.keys(params).map((k) => [k, space[k]]));
    return trial(i, params, distributions, i);
  });
}

test("a log parameter is narrowed with a margin in log space and rounded outward", () => {
  const space = { lr: float(1e-5, 1, true) };
  const rows = [1e-3, 1e-2, 3e-3, 5e-3, 2e-3, 0.5, 0.9, 1e-5, 0.3, 0.7].map((lr) => ({ lr }));
  const r = refineSearchSpace(study(space, rows), "minimize", { quantile: 0.5 });
  assert.equal(r.nTop, 5);
  assert.equal(r.threshold, 4);
  // top values span 1e-3 … 1e-2; a margin of 0.25 × ln(10) in log space is a factor 10^0.25 ≈ 1.778
  // 1e-3 / 1.778 = 5.62e-4 → 5.6e-4 (2 digits, down); 1e-2 × 1.778 = 0.01778 → 0.018 (up)
  assert.deepEqual(r.distributions.lr, float(5.6e-4, 0.018, true));
  // a margin in linear space would have reached below 0 and been clipped to the original 1e-5
  assert.notEqual((r.distributions.lr as { attributes: { low: number } }).attributes.low, 1e-5);
  assert.equal(r.code, 'trial.suggestFloat("lr", 5.6e-4, 0.018, { log: true }); // was 1e-5 … 1');
});

test("integers are rounded outward to the step grid", () => {
  const space = { n: int(1, 20), k: int(0, 20, 2) };
  const rows = [
    { n: 3, k: 4 },
    { n: 7, k: 10 },
    { n: 15, k: 20 },
    { n: 18, k: 0 },
  ];
  const r = refineSearchSpace(study(space, rows), "minimize", { minTrials: 2 });
  assert.equal(r.nTop, 2);
  // n: 3 … 7, pad max(0.25 × 4, 0.02 × 19) = 1 → 2 … 8
  assert.deepEqual(r.distributions.n, int(2, 8));
  // k: 4 … 10, pad 1.5 → 2.5 … 11.5 → outward on the grid 0, 2, 4, … → 2 … 12
  assert.deepEqual(r.distributions.k, int(2, 12, 2));
  assert.equal(r.code.split("\n")[0], 'trial.suggestInt("k", 2, 12, { step: 2 }); // was 0 … 20');
  assert.equal(r.code.split("\n")[1], 'trial.suggestInt("n", 2, 8); // was 1 … 20');
});

test("a log integer and a stepped float", () => {
  const space = { units: int(8, 1024, 1, true), dropout: float(0, 0.5, false, 0.05) };
  const rows = [
    { units: 64, dropout: 0.1 },
    { units: 128, dropout: 0.2 },
    { units: 1000, dropout: 0.45 },
  ];
  const r = refineSearchSpace(study(space, rows), "minimize", { minTrials: 2 });
  // units: ln 64 … ln 128, pad 0.25 × ln 2 → 64 / 2^0.25 = 53.8 → 53; 128 × 2^0.25 = 152.2 → 153
  assert.deepEqual(r.distributions.units, int(53, 153, 1, true));
  // dropout: 0.1 … 0.2, pad 0.025 → 0.075 … 0.225 → grid of 0.05 → 0.05 … 0.25
  assert.deepEqual(r.distributions.dropout, float(0.05, 0.25, false, 0.05));
  assert.match(r.code, /trial\.suggestInt\("units", 53, 153, \{ log: true \}\)/);
  assert.match(r.code, /trial\.suggestFloat\("dropout", 0\.05, 0\.25, \{ step: 0\.05 \}\)/);
});

test("never outside the original bounds, and the direction picks the top", () => {
  const space = { x: float(0, 1) };
  const rows = [0, 0.05, 0.1, 0.5, 0.6, 0.9, 0.95, 1].map((x) => ({ x }));
  const minimized = refineSearchSpace(study(space, rows), "minimize", { minTrials: 3 });
  assert.deepEqual(minimized.distributions.x, float(0, 0.13));
  const maximized = refineSearchSpace(study(space, rows), "maximize", { minTrials: 3 });
  assert.deepEqual(maximized.distributions.x, float(0.87, 1));
  assert.equal(maximized.threshold, 5);
});

test("categorical choices that the top trials used are kept, in their order", () => {
  const space = { kernel: cat("rbf", "linear", "poly", null), flag: cat(true, false) };
  const rows = [
    { kernel: null, flag: true },
    { kernel: "rbf", flag: true },
    { kernel: "poly", flag: false },
    { kernel: "linear", flag: false },
  ];
  const r = refineSearchSpace(study(space, rows), "minimize", { minTrials: 2 });
  assert.deepEqual(r.distributions.kernel, cat("rbf", null));
  assert.deepEqual(r.distributions.flag, cat(true));
  assert.equal(
    r.code,
    'trial.suggestCategorical("flag", [true]); // was [true, false]\ntrial.suggestCategorical("kernel", ["rbf", null]); // was ["rbf", "linear", "poly", null]',
  );
});

test("conditional parameters, pruned trials and names that need quoting", () => {
  const space = { model: cat("svm", "tree"), "svm.c": float(1e-3, 1e3, true), depth: int(1, 10) };
  const trials = [
    ...study(space, [
      { model: "tree", depth: 3 },
      { model: "tree", depth: 4 },
      { model: "svm", "svm.c": 1 },
    ]),
    trial(3, { model: "svm", "svm.c": 100 }, { model: space.model, "svm.c": space["svm.c"] }, null, "PRUNED"),
  ];
  const r = refineSearchSpace(trials, "minimize", { minTrials: 2 });
  assert.equal(r.nComplete, 3);
  const svm = r.params.find((p) => p.name === "svm.c")!;
  assert.equal(svm.support, 0);
  assert.equal(svm.changed, false);
  assert.deepEqual(svm.refined, space["svm.c"]);
  assert.match(r.code, /trial\.suggestFloat\("svm\.c", 0\.001, 1000, \{ log: true \}\); \/\/ kept: no top trial set it/);
  assert.deepEqual(r.distributions.model, cat("tree"));
});

test("bad options and empty studies are explained", () => {
  const trials = study({ x: float(0, 1) }, [{ x: 0.5 }]);
  assert.throws(
    () => refineSearchSpace([], "minimize"),
    (e: unknown) => e instanceof ValueError && /no COMPLETE trial/.test(e.message),
  );
  assert.throws(
    () => refineSearchSpace(trials, "minimize", { quantile: 20 }),
    (e: unknown) => e instanceof ValueError && /top 20%/.test(e.message),
  );
  assert.throws(
    () => refineSearchSpace(trials, "minimize", { quantil: 0.2 } as never),
    (e: unknown) => e instanceof ValueError && /Did you mean "quantile"/.test(e.message),
  );
  assert.throws(() => refineSearchSpace(trials, "down" as never), ValueError);
});

test("rounding helpers", () => {
  assert.equal(roundSignificant(0.01778, 2, "up"), 0.018);
  assert.equal(roundSignificant(5.623e-4, 2, "down"), 5.6e-4);
  assert.equal(roundSignificant(0.3, 2, "down"), 0.3);
  assert.equal(roundSignificant(-0.0123, 2, "down"), -0.013);
  assert.equal(roundSignificant(12345, 2, "up"), 13000);
  assert.equal(formatNumber(1e-4), "1e-4");
  assert.equal(formatNumber(0.03), "0.03");
  assert.equal(formatNumber(250), "250");
});

test("property: the refined space is valid, inside the original and covers the top trials", () => {
  const distribution = fc.oneof(
    fc
      .tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 100, noNaN: true }), fc.boolean())
      .map(([low, width, log]) => (log ? float(Math.abs(low) + 1e-3, Math.abs(low) + 1e-3 + width, true) : float(low, low + width))),
    fc
      .tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }))
      .map(([low, k, step]) => int(low, low + k * step, step)),
    fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 500 })).map(([low, width]) => int(low, low + width, 1, true)),
    fc
      .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(0.1, 0.25, 0.5))
      .map(([low, k, step]) => float(low, Number((low + k * step).toFixed(10)), false, step)),
  );
  fc.assert(
    fc.property(
      distribution,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
      fc.double({ min: 0.05, max: 1, noNaN: true }),
      (d, us, quantile) => {
        const dist = distributionFromJson(d);
        const values = us.map((u) => {
          if (d.name === "CategoricalDistribution") throw new Error("unused");
          const { low, high, log, step } = d.attributes;
          if (d.name === "IntDistribution")
            return log
              ? Math.round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))))
              : low + Math.round((u * (high - low)) / d.attributes.step) * d.attributes.step;
          if (step !== null) return Number((low + Math.round((u * (high - low)) / step) * step).toFixed(10));
          return Math.min(
            high,
            Math.max(low, log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low)),
          );
        });
        const trials = values.map((x, i) => trial(i, { x }, { x: d }, (i * 7919) % 13));
        const r = refineSearchSpace(trials, "minimize", { quantile });
        const refined = distributionFromJson(r.distributions.x);
        const o = d.attributes as { low: number; high: number };
        const n = r.distributions.x.attributes as { low: number; high: number };
        assert.ok(n.low >= o.low && n.high <= o.high, `refined ${JSON.stringify(n)} inside ${JSON.stringify(o)}`);
        const top = [...trials].sort((a, b) => (a.value as number) - (b.value as number) || a.number - b.number).slice(0, r.nTop);
        for (const t of top) {
          const v = t.params.x as number;
          assert.ok(v >= n.low && v <= n.high, `top value ${v} inside ${JSON.stringify(n)}`);
          if (containsExternal(dist, v)) assert.ok(containsExternal(refined, v), `refined keeps ${v} on its grid`);
        }
      },
    ),
    { numRuns: 300, seed: 42 },
  );
});
