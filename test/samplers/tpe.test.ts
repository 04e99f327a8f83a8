import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution } from "../../kernel/tune/distributions.js";
import { RandomSampler } from "../../kernel/tune/samplers/random.js";
import { TPESampler, type TPESamplerOptions } from "../../kernel/tune/samplers/tpe/index.js";
import { defaultWeights, ParzenEstimator, type ParzenEstimatorOptions } from "../../kernel/tune/samplers/tpe/parzen-estimator.js";
import { erfc, logGaussMass, logNdtr } from "../../kernel/tune/samplers/tpe/normal.js";
import { LoopStudy, type LoopTrial } from "./tpe-loop.js";

function branin(trial: LoopTrial): number {
  const x1 = trial.suggestFloat("x1", -5, 10);
  const x2 = trial.suggestFloat("x2", 0, 15);
  return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

test("log Φ and erfc agree with reference values far into the tails", () => {
  // Reference values from SciPy 1.10.1: scipy.special.log_ndtr, scipy.special.erfc.
  const close = (a: number, b: number, rel = 1e-12) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);
  close(logNdtr(-40), -804.6084420137538);
  close(logNdtr(-5), -15.064998393988725);
  close(logNdtr(3), -0.0013508099647481938);
  close(logNdtr(10), -7.619853024160474e-24, 1e-9);
  close(erfc(0.5), 0.4795001221869535);
  close(erfc(3), 2.2090496998585445e-5);
  close(logGaussMass(-1, 2), -0.20016629432446262);
  close(logGaussMass(30, 31), -454.32124395634327);
});

const estimatorOptions: ParzenEstimatorOptions = {
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
  weights: defaultWeights,
};

test("a continuous Parzen estimator is a density: it integrates to 1 over the (log) range", () => {
  for (const [d, obs] of [
    [new FloatDistribution(-5, 5), [0.1, 0.5, 0.52, 2.5, -3, 4.9]],
    [new FloatDistribution(1e-5, 1, { log: true }), [1e-3, 0.5, 2e-5, 0.01]],
  ] as const) {
    for (const multivariate of [false, true]) {
      const pe = new ParzenEstimator([d], [Float64Array.from(obs)], obs.length, { ...estimatorOptions, multivariate });
      // Trapezoid rule over the transformed (log) axis, where the kernels live.
      const a = d.log ? Math.log(d.low) : d.low;
      const b = d.log ? Math.log(d.high) : d.high;
      const n = 20000;
      const xs = Float64Array.from({ length: n + 1 }, (_, i) => {
        const t = a + ((b - a) * i) / n;
        return d.log ? Math.exp(t) : t;
      });
      const logp = new Float64Array(n + 1);
      pe.logPdf([xs], n + 1, logp);
      let integral = 0;
      for (let i = 0; i <= n; i++) integral += ((i === 0 || i === n ? 0.5 : 1) * Math.exp(logp[i]) * (b - a)) / n;
      assert.ok(Math.abs(integral - 1) < 1e-4, `integral ${integral} (log ${d.log}, multivariate ${multivariate})`);
    }
  }
});

test("grid and categorical estimators give probabilities that sum to 1", () => {
  const cases: Array<[Distribution, number[]]> = [
    [new IntDistribution(1, 16), [3, 7, 7, 16]],
    [new FloatDistribution(0, 1, { step: 0.25 }), [0, 0.25, 1]],
    [new IntDistribution(1, 100, { log: true }), [2, 50, 50]],
    [new CategoricalDistribution(["a", "b", "c"]), [0, 2, 2, 2]],
  ];
  for (const [d, obs] of cases) {
    const values: number[] = [];
    if (d.kind === "categorical") d.choices.forEach((_, i) => values.push(i));
    else if (d.kind === "int") for (let v = d.low; v <= d.high; v += d.step) values.push(v);
    else for (let k = 0; k <= 4; k++) values.push(k * 0.25);
    const pe = new ParzenEstimator([d], [Float64Array.from(obs)], obs.length, estimatorOptions);
    const out = new Float64Array(values.length);
    pe.logPdf([Float64Array.from(values)], values.length, out);
    if (d.kind === "int" && d.log) {
      // A log-scaled int keeps a density in log space: each integer owns [k − ½, k + ½] there.
      const mass = values.reduce((s, v, i) => s + Math.exp(out[i]) * (Math.log(v + 0.5) - Math.log(v - 0.5)), 0);
      assert.ok(Math.abs(mass - 1) < 0.02, `log int: ${mass}`);
      continue;
    }
    const total = out.reduce((s, v) => s + Math.exp(v), 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `${JSON.stringify(d.toJson())}: ${total}`);
  }
});

type ParamSpec =
  | { kind: "float"; low: number; width: number; log: boolean }
  | { kind: "step"; low: number; cells: number; step: number }
  | { kind: "int"; low: number; width: number; log: boolean; step: number }
  | { kind: "cat"; n: number };

const paramSpec: fc.Arbitrary<ParamSpec> = fc.oneof(
  fc.record({ kind: fc.constant("float" as const), low: fc.double({ min: -1e3, max: 1e3, noNaN: true }), width: fc.double({ min: 1e-6, max: 1e3, noNaN: true }), log: fc.boolean() }),
  fc.record({ kind: fc.constant("step" as const), low: fc.integer({ min: -50, max: 50 }), cells: fc.integer({ min: 0, max: 40 }), step: fc.constantFrom(0.1, 0.25, 0.5, 2) }),
  fc.record({ kind: fc.constant("int" as const), low: fc.integer({ min: 1, max: 100 }), width: fc.integer({ min: 0, max: 1000 }), log: fc.boolean(), step: fc.constantFrom(1, 1, 3) }),
  fc.record({ kind: fc.constant("cat" as const), n: fc.integer({ min: 1, max: 6 }) }),
);

function suggestAll(trial: LoopTrial, params: ParamSpec[]): number {
  let value = 0;
  params.forEach((p, j) => {
    const name = `p${j}`;
    if (p.kind === "float") {
      const low = p.log ? Math.abs(p.low) + 1e-3 : p.low;
      value += Math.abs(trial.suggestFloat(name, low, low + p.width, { log: p.log }) - low) / p.width;
    } else if (p.kind === "step") {
      value += trial.suggestFloat(name, p.low, p.low + p.cells * p.step, { step: p.step }) - p.low;
    } else if (p.kind === "int") {
      const high = p.log ? p.low + p.width : p.low + p.step * Math.floor(p.width / p.step);
      value += trial.suggestInt(name, p.low, high, p.log ? { log: true } : { step: p.step }) - p.low;
    } else {
      value += trial.suggestCategorical(name, Array.from({ length: p.n }, (_, i) => i)) as number;
    }
  });
  return value;
}

test("TPE values always lie inside random spaces (log, step, int, categorical), univariate and joint", () => {
  const variants: TPESamplerOptions[] = [{}, { multivariate: true }, { multivariate: true, group: true }, { constantLiar: true, considerEndpoints: true }];
  fc.assert(
    fc.property(fc.array(paramSpec, { minLength: 1, maxLength: 4 }), fc.constantFrom(...variants), fc.integer(), (params, variant, seed) => {
      // LoopStudy throws if a suggested value is outside its distribution.
      const study = new LoopStudy(new TPESampler({ ...variant, seed, nStartupTrials: 3 }));
      study.optimize((trial) => suggestAll(trial, params), 14);
    }),
    { numRuns: 40 },
  );
});

test("same seed, same sequence; another seed, another one", () => {
  const run = (seed: number, options: TPESamplerOptions) => {
    const study = new LoopStudy(new TPESampler({ seed, ...options }));
    study.optimize((t) => branin(t) + t.suggestInt("k", 1, 9) + (t.suggestCategorical("c", ["a", "b"]) === "a" ? 0 : 1), 30);
    return study.records.map((r) => r.params);
  };
  for (const options of [{}, { multivariate: true }]) {
    assert.deepEqual(run(3, options), run(3, options));
    assert.notDeepEqual(run(3, options), run(4, options));
  }
});

test("TPE beats random search on Branin at 50 trials (median over seeds)", () => {
  const seeds = [0, 1, 2, 3, 4, 5, 6];
  const best = (make: (seed: number) => TPESampler | RandomSampler) =>
    median(
      seeds.map((seed) => {
        const study = new LoopStudy(make(seed));
        study.optimize(branin, 50);
        return study.best();
      }),
    );
  const random = best((seed) => new RandomSampler({ seed }));
  const tpe = best((seed) => new TPESampler({ seed }));
  const joint = best((seed) => new TPESampler({ seed, multivariate: true }));
  assert.ok(tpe < random, `tpe ${tpe} vs random ${random}`);
  assert.ok(joint < random, `multivariate tpe ${joint} vs random ${random}`);
});

test("maximize: TPE climbs instead of descending", () => {
  const seeds = [0, 1, 2, 3, 4];
  const found = seeds.map((seed) => {
    const study = new LoopStudy(new TPESampler({ seed }), "maximize");
    study.optimize((t) => -((t.suggestFloat("x", -10, 10) - 3) ** 2), 40);
    return study.best();
  });
  assert.ok(median(found) > -0.05, `best ${median(found)}`);
});

test("constant liar: with running trials near the best point, suggestions keep away from them", () => {
  const distanceToRunning = (constantLiar: boolean, seed: number) => {
    const sampler = new TPESampler({ seed, constantLiar });
    const study = new LoopStudy(sampler);
    study.optimize((t) => (t.suggestFloat("x", 0, 1) - 0.3) ** 2, 30);
    // Five workers are evaluating points right at the optimum.
    const running = [0.29, 0.295, 0.3, 0.305, 0.31];
    for (const x of running) {
      const { record } = study.ask();
      record.params.x = x;
      record.distributions.x = new FloatDistribution(0, 1).toJson();
    }
    const { trial } = study.ask();
    const x = trial.suggestFloat("x", 0, 1);
    return Math.min(...running.map((r) => Math.abs(r - x)));
  };
  const seeds = Array.from({ length: 15 }, (_, i) => i);
  const withLiar = median(seeds.map((s) => distanceToRunning(true, s)));
  const without = median(seeds.map((s) => distanceToRunning(false, s)));
  assert.ok(withLiar > 2 * without, `distance with liar ${withLiar}, without ${without}`);
});

function conditional(trial: LoopTrial): number {
  const model = trial.suggestCategorical("model", ["svm", "forest", "knn"]);
  if (model === "svm") {
    const c = trial.suggestFloat("svm_c", 1e-3, 1e3, { log: true });
    return 0.3 + (Math.log10(c) - 1) ** 2 / 10;
  }
  if (model === "forest") {
    const depth = trial.suggestInt("forest_depth", 2, 32);
    const trees = trial.suggestInt("forest_trees", 10, 1000, { log: true });
    return ((depth - 12) / 10) ** 2 + Math.log10(trees / 300) ** 2;
  }
  return 0.2 + (trial.suggestInt("knn_k", 1, 50) - 15) ** 2 / 100;
}

test("group: true models each branch of a conditional space jointly over the trials that have it", () => {
  const sampler = new TPESampler({ seed: 2, multivariate: true, group: true });
  const study = new LoopStudy(sampler);
  study.optimize(conditional, 40);
  const { record } = study.ask();
  const space = sampler.inferRelativeSearchSpace(study, record);
  // The forest branch's two parameters are one group and sampled jointly, like the choice itself.
  assert.ok("model" in space && "forest_depth" in space && "forest_trees" in space, Object.keys(space).join(","));
  const joint = sampler.sampleRelative(study, record, space);
  for (const [name, value] of Object.entries(joint)) assert.ok(space[name].contains(value), `${name}=${value}`);
  assert.ok("forest_depth" in joint && "forest_trees" in joint && "model" in joint);
  study.records.pop();

  const seeds = [0, 1, 2, 3, 4];
  const run = (make: (seed: number) => TPESampler | RandomSampler) =>
    median(
      seeds.map((seed) => {
        const s = new LoopStudy(make(seed));
        s.optimize(conditional, 60);
        return s.best();
      }),
    );
  const grouped = run((seed) => new TPESampler({ seed, multivariate: true, group: true }));
  const random = run((seed) => new RandomSampler({ seed }));
  assert.ok(grouped < random, `grouped ${grouped} vs random ${random}`);
});

test("TPESampler rejects bad options with a message that says how to fix them", () => {
  assert.throws(() => new TPESampler({ group: true }), /group: true needs multivariate: true/);
  assert.throws(() => new TPESampler({ nStartupTrails: 5 } as never), /Did you mean "nStartupTrials"/);
  assert.throws(() => new TPESampler({ priorWeight: 0 }), /priorWeight must be a positive number/);
  assert.throws(() => new TPESampler({ nEiCandidates: 0 }), /nEiCandidates must be at least 1/);
  const study = new LoopStudy(new TPESampler({ seed: 1, nStartupTrials: 0, weights: (n) => new Float64Array(n).fill(-1) }));
  assert.throws(() => study.optimize((t) => t.suggestFloat("x", 0, 1), 2), /weights must be finite and non-negative/);
});
