import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { objectiveByName } from "../../../bench/objectives.js";
import { logGaussMass } from "../../../core/math/normal.js";
import { MAX_SEED } from "../../../core/rng.js";
import { CategoricalDistribution, type Distribution, FloatDistribution, IntDistribution } from "../../../tune/distributions.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import { expNegative } from "../../../tune/samplers/tpe/fast-exp.js";
import { OPTUNA_TPE_DEFAULTS, TPESampler, type TPESamplerOptions } from "../../../tune/samplers/tpe/index.js";
import { defaultWeights, ParzenEstimator, type ParzenEstimatorOptions } from "../../../tune/samplers/tpe/parzen-estimator.js";
import { LoopStudy, type LoopTrial } from "./tpe-loop.js";

const BRANIN = objectiveByName("branin");
const branin = (trial: LoopTrial): number => BRANIN.evaluate(trial);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

test("the table exp agrees with Math.exp to 1e-13 over (−40, 0]", () => {
  let worst = 0;
  for (let i = 0; i <= 40000; i++) {
    const a = -i / 1000.5;
    worst = Math.max(worst, Math.abs(expNegative(a) / Math.exp(a) - 1));
  }
  assert.ok(worst < 1e-13, `largest relative error ${worst}`);
});

const estimatorOptions: ParzenEstimatorOptions = {
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  magicClipExponent: 1,
  considerEndpoints: false,
  bandwidth: "neighbours",
  weights: defaultWeights,
};

/*
 * Optuna 3.1's Parzen estimator on fixed inputs (default TPE parameters), computed with
 * optuna.samplers._tpe.parzen_estimator._ParzenEstimator(...).log_pdf(...) from
 * Debian's python3-optuna 3.1: bandwidths with magic clip and without endpoints, the
 * prior kernel, the weight ramp after 25 observations, log and grid handling, joint
 * kernels with a categorical parameter.
 */
const RAMP_OBSERVATIONS = [
  -0.44932505779172693, 2.522100080181443, -3.7306164931698755, -1.0858273665203075, 6.9603139491812875, 7.050119519047659,
  -4.763424946935528, -4.35575584191501, -4.960266904765866, -2.0853002261105216, -4.986611180353091, -1.8695510763369731,
  1.320819918305121, -3.8366725010502005, 1.859810386782354, 0.23678303507781973, -4.991373039764717, -0.31523162503819346,
  -3.9918225315873777, -2.4153649436121105, -3.7942029200985052, 2.20660260704911, -2.0900078388503673, -4.630887689386258,
  -0.5503617073542086, 4.133366975716454, -3.592120790449842, -4.261020466405224, -2.742174549660327, 8.152215095889117, 9.28850597032181,
  1.7814971145104144, 7.2266414131048595, 5.729418044397578, -2.8568075707978107, -4.872440349121285, 1.404187113049331,
  -0.33220525726807715, -3.039063831672526, -4.240257047769471,
];
const OPTUNA_PARZEN: Array<{
  name: string;
  space: Distribution[];
  obs: number[][];
  points: number[][];
  multivariate: boolean;
  expected: number[];
}> = [
  {
    name: "float",
    space: [new FloatDistribution(-5, 5)],
    obs: [[0.1, 0.5, 0.52, 2.5, -3, 4.9]],
    points: [[-4.9, -1, 0, 0.5, 3, 4.99]],
    multivariate: false,
    expected: [-1.626086174057562, -1.0570332131754463, -0.8835845362473029, -0.8572213333710212, -1.088107802432937, -1.24607987750391],
  },
  {
    name: "log",
    space: [new FloatDistribution(1e-5, 1, { log: true })],
    obs: [[1e-3, 0.5, 2e-5, 0.01]],
    points: [[1e-4, 0.3, 0.9]],
    multivariate: false,
    expected: [-0.7578855378234004, -0.828592631862346, -0.924154298501896],
  },
  {
    name: "int",
    space: [new IntDistribution(1, 16)],
    obs: [[3, 7, 7, 16]],
    points: [[1, 7, 16]],
    multivariate: false,
    expected: [-3.0400507289181298, -2.39881500604239, -3.3643907880033335],
  },
  {
    name: "log int",
    space: [new IntDistribution(1, 100, { log: true })],
    obs: [[2, 50, 50]],
    points: [[1, 2, 30, 100]],
    multivariate: false,
    expected: [-1.0098380818087676, -0.8895363709923472, -0.6257724566654425, -0.7181458472808244],
  },
  {
    name: "joint categorical + float",
    space: [new CategoricalDistribution(["a", "b", "c", "d"]), new FloatDistribution(-5, 5)],
    obs: [
      [0, 1, 1],
      [0.1, 0.2, -3],
    ],
    points: [
      [0, 1, 3],
      [0, 0.2, 4],
    ],
    multivariate: true,
    expected: [-1.9273161340732252, -1.8235117499117004, -2.7472536893568864],
  },
  {
    name: "joint int + stepped float",
    space: [new IntDistribution(0, 10), new FloatDistribution(0, 1, { step: 0.25 })],
    obs: [
      [2, 5, 5, 9],
      [0.5, 0.25, 0.75, 1.0],
    ],
    points: [
      [0, 5, 10],
      [0.0, 0.25, 1.0],
    ],
    multivariate: true,
    expected: [-5.408645264909336, -3.552631987055918, -3.4197801061619892],
  },
  {
    name: "40 observations (weight ramp)",
    space: [new FloatDistribution(-5, 10)],
    obs: [RAMP_OBSERVATIONS],
    points: [[-4.7, -1.1, 2.3, 6.9, 9.9]],
    multivariate: false,
    expected: [-2.100032458590289, -2.8450205211781014, -2.65312203529511, -2.6761455464795123, -3.079888974993259],
  },
];

test("the Parzen estimator matches Optuna 3.1's on fixed inputs", () => {
  for (const c of OPTUNA_PARZEN) {
    const pe = new ParzenEstimator(
      c.space,
      c.obs.map((o) => Float64Array.from(o)),
      c.obs[0].length,
      { ...estimatorOptions, bandwidth: c.multivariate ? "shared" : "neighbours" },
    );
    const out = new Float64Array(c.expected.length);
    pe.logPdf(
      c.points.map((p) => Float64Array.from(p)),
      c.expected.length,
      out,
    );
    c.expected.forEach((e, i) => {
      assert.ok(Math.abs(out[i] - e) < 1e-9, `${c.name} point ${i}: ${out[i]} vs Optuna ${e}`);
    });
  }
});

test("the magic clip's floor narrows with its exponent: range · max(0.01, (1 + kernels)^−exponent)", () => {
  // Three observations on one point: their neighbour bandwidths are 0, so the floor decides.
  const space = [new FloatDistribution(-5, 5)];
  const at = (x: number, exponent: number) => {
    const pe = new ParzenEstimator(space, [Float64Array.from([0, 0, 0])], 3, {
      ...estimatorOptions,
      considerPrior: false,
      magicClipExponent: exponent,
    });
    const out = new Float64Array(1);
    pe.logPdf([Float64Array.from([x])], 1, out);
    return out[0];
  };
  for (const [e, sigma] of [
    [1, 10 / 4],
    [1.25, 10 * 4 ** -1.25],
    [2, 10 / 16],
    [Infinity, 0.1],
  ]) {
    // One σ from the centre: −½ − log √2π − log(mass inside the bounds), as Optuna 3.1 scores kernels.
    const expected = -0.5 - 0.5 * Math.log(2 * Math.PI) - logGaussMass(-5 / sigma, 5 / sigma);
    const got = at(sigma, e);
    assert.ok(Math.abs(got - expected) < 1e-12, `exponent ${e}: ${got} vs ${expected}`);
  }
});

test("a joint estimator sizes each parameter's kernels by its own neighbour gaps, or shares one width (Optuna's rule)", () => {
  // One observation at (1, 3) in [−5, 5]², the prior kernel at (0, 0) with width 10, no clip.
  const space = [new FloatDistribution(-5, 5), new FloatDistribution(-5, 5)];
  const point = [0.5, -2];
  const logKernel = (mu: number[], sigma: number[]) =>
    Math.log(0.5) +
    mu.reduce(
      (sum, m, j) =>
        sum - 0.5 * Math.log(2 * Math.PI) - logGaussMass((-5 - m) / sigma[j], (5 - m) / sigma[j]) - 0.5 * ((point[j] - m) / sigma[j]) ** 2,
      0,
    );
  const logSum = (a: number, b: number) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
  const density = (bandwidth: ParzenEstimatorOptions["bandwidth"]) => {
    const pe = new ParzenEstimator(space, [Float64Array.from([1]), Float64Array.from([3])], 1, {
      ...estimatorOptions,
      considerMagicClip: false,
      bandwidth,
    });
    const out = new Float64Array(1);
    pe.logPdf(
      point.map((v) => Float64Array.from([v])),
      1,
      out,
    );
    return out[0];
  };
  // Neighbours: each kernel as wide as its gap to the other centre along that parameter (1 and 3).
  const neighbours = logSum(logKernel([1, 3], [1, 3]), logKernel([0, 0], [10, 10]));
  // Shared: 0.2 · range · n^(−1/(d+4)) = 2 for both parameters.
  const shared = logSum(logKernel([1, 3], [2, 2]), logKernel([0, 0], [10, 10]));
  assert.ok(Math.abs(density("neighbours") - neighbours) < 1e-12, `neighbours: ${density("neighbours")} vs ${neighbours}`);
  assert.ok(Math.abs(density("shared") - shared) < 1e-12, `shared: ${density("shared")} vs ${shared}`);
});

test("grid and categorical estimators give probabilities that sum to 1", () => {
  const cases: Array<[Distribution, number[]]> = [
    [new IntDistribution(1, 16), [3, 7, 7, 16]],
    [new FloatDistribution(0, 1, { step: 0.25 }), [0, 0.25, 1]],
    [new CategoricalDistribution(["a", "b", "c"]), [0, 2, 2, 2]],
  ];
  for (const [d, obs] of cases) {
    const values: number[] = [];
    if (d.kind === "categorical")
      d.choices.forEach((_, i) => {
        values.push(i);
      });
    else if (d.kind === "int") for (let v = d.low; v <= d.high; v += d.step) values.push(v);
    else for (let k = 0; k <= 4; k++) values.push(k * 0.25);
    const pe = new ParzenEstimator([d], [Float64Array.from(obs)], obs.length, estimatorOptions);
    const out = new Float64Array(values.length);
    pe.logPdf([Float64Array.from(values)], values.length, out);
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
  fc.record({
    kind: fc.constant("float" as const),
    low: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    width: fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
    log: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("step" as const),
    low: fc.integer({ min: -50, max: 50 }),
    cells: fc.integer({ min: 0, max: 40 }),
    step: fc.constantFrom(0.1, 0.25, 0.5, 2),
  }),
  fc.record({
    kind: fc.constant("int" as const),
    low: fc.integer({ min: 1, max: 100 }),
    width: fc.integer({ min: 0, max: 1000 }),
    log: fc.boolean(),
    step: fc.constantFrom(1, 1, 3),
  }),
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
      value += trial.suggestCategorical(
        name,
        Array.from({ length: p.n }, (_, i) => i),
      ) as number;
    }
  });
  return value;
}

test("TPE values always lie inside random spaces (log, step, int, categorical), univariate and joint", () => {
  const variants: TPESamplerOptions[] = [
    {},
    { multivariate: true },
    { multivariate: true, group: true },
    { multivariate: true, ...OPTUNA_TPE_DEFAULTS },
    { constantLiar: true, considerEndpoints: true },
  ];
  fc.assert(
    fc.property(
      fc.array(paramSpec, { minLength: 1, maxLength: 4 }),
      fc.constantFrom(...variants),
      fc.nat({ max: MAX_SEED }),
      (params, variant, seed) => {
        // LoopStudy throws if a suggested value is outside its distribution.
        const study = new LoopStudy(new TPESampler({ ...variant, seed, nStartupTrials: 3 }));
        study.optimize((trial) => suggestAll(trial, params), 14);
      },
    ),
    { numRuns: 40 },
  );
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

test("constant liar: with running trials at the best point, suggestions keep off them", () => {
  const running = [0.29, 0.295, 0.3, 0.305, 0.31];
  const distanceToRunning = (constantLiar: boolean, seed: number) => {
    const study = new LoopStudy(new TPESampler({ seed, constantLiar }));
    study.optimize((t) => (t.suggestFloat("x", 0, 1) - 0.3) ** 2, 40);
    // Five workers are evaluating points right at the optimum.
    for (const x of running) {
      const { record } = study.ask();
      record.params.x = x;
      record.distributions.x = new FloatDistribution(0, 1).toJson();
    }
    const { trial } = study.ask();
    const x = trial.suggestFloat("x", 0, 1);
    return Math.min(...running.map((r) => Math.abs(r - x)));
  };
  const seeds = Array.from({ length: 30 }, (_, i) => i);
  const onTop = (constantLiar: boolean) => seeds.filter((s) => distanceToRunning(constantLiar, s) < 0.01).length;
  const withLiar = onTop(true);
  const without = onTop(false);
  assert.ok(
    withLiar < without && withLiar <= 1,
    `suggestions within 0.01 of a running trial: ${withLiar} with the liar, ${without} without (of ${seeds.length})`,
  );
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

test("a conditional parameter learns its good values among the trials where it is active", () => {
  // Branch "a" always beats branch "b", so no "b" trial is among the best overall; yet
  // within "b", x near 0.7 is clearly better, and that is what a "b" trial should get.
  const distances = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
    const study = new LoopStudy(new TPESampler({ seed }));
    let k = 0;
    study.optimize((trial) => {
      const branch = trial.suggestCategorical("branch", ["a", "b"]);
      k++;
      if (branch === "a") return 0.01 * (k % 7);
      return 1 + (trial.suggestFloat("x", 0, 1) - 0.7) ** 2;
    }, 60);
    const { trial } = study.ask();
    const d = new FloatDistribution(0, 1);
    const xs = Array.from({ length: 5 }, () =>
      Math.abs(study.sampler.sampleIndependent(study, study.records[study.records.length - 1], "x", d) - 0.7),
    );
    void trial;
    return median(xs);
  });
  assert.ok(median(distances) < 0.12, `median distance of x to 0.7: ${median(distances)} (uniform draws give about 0.25)`);
});

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
  assert.throws(() => new TPESampler({ magicClipExponent: 0 }), /magicClipExponent must be a positive number, got 0/);
  assert.throws(
    () => new TPESampler({ multivariate: true, jointBandwidth: "scott" as never }),
    /jointBandwidth must be "neighbours" or "optuna", got "scott"/,
  );
  assert.throws(() => new TPESampler({ magicClipExponent: "2" as never }), /magicClipExponent must be a positive number, got "2"/);
  const study = new LoopStudy(new TPESampler({ seed: 1, nStartupTrials: 0, weights: (n) => new Float64Array(n).fill(-1) }));
  assert.throws(() => study.optimize((t) => t.suggestFloat("x", 0, 1), 2), /weights must be finite and non-negative/);
});
