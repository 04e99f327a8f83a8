import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { objectiveByName } from "../../../bench/objectives.js";
import { Rng } from "../../../core/rng.js";
import { createStudy, InMemoryStorage, RandomSampler, type Sampler, setVerbosity, type Trial, ValueError } from "../../../index.js";
import { CategoricalDistribution, FloatDistribution } from "../../../tune/distributions.js";
import { createAcquisition, logExpectedImprovement } from "../../../tune/samplers/gp/acquisition.js";
import { FeatureSpace } from "../../../tune/samplers/gp/features.js";
import { defaultRaw, fitKernelParams, kernelParamsFromRaw, NegativeLogPosterior } from "../../../tune/samplers/gp/fit.js";
import { GPSampler, selectTrainingTrials, standardize } from "../../../tune/samplers/gp/index.js";
import { GaussianProcess } from "../../../tune/samplers/gp/model.js";

setVerbosity("silent");

/** Matérn-5/2 written out from its textbook form, independent of the sampler's code. */
function matern(a: number[], b: number[], rho: number[], s: number): number {
  const r = Math.sqrt(a.reduce((sum, v, c) => sum + rho[c] * (v - b[c]) ** 2, 0));
  return s * (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);
}

/** Solves A·x = b for a small dense A by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

const close = (actual: number, expected: number, tolerance: number, what = "") =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what} ${actual} vs ${expected}`);

describe("GaussianProcess", () => {
  const X = [
    [0.1, 0.8],
    [0.5, 0.2],
    [0.9, 0.6],
  ];
  const y = [1.0, -0.5, 0.3];
  const rho = [4, 2];
  const s = 1.5;
  const noise = 0.01;
  const gp = new GaussianProcess(Float64Array.from(X.flat()), Float64Array.from(y), 2, Int32Array.from([0, 1]), {
    inverseSquaredLengthscales: Float64Array.from(rho),
    signalVariance: s,
    noiseVariance: noise,
  });

  it("has the posterior mean and variance of the textbook formulas (3 points, fixed hyperparameters)", () => {
    const K = X.map((a, i) => X.map((b, j) => matern(a, b, rho, s) + (i === j ? noise : 0)));
    const point = [0.3, 0.5];
    const k = X.map((b) => matern(point, b, rho, s));
    const expectedMean = k.reduce((sum, ki, i) => sum + ki * solve(K, y)[i], 0);
    const expectedVariance = s - k.reduce((sum, ki, i) => sum + ki * solve(K, k)[i], 0);
    const { mean, variance } = gp.posterior(point);
    close(mean, expectedMean, 1e-12, "mean");
    close(variance, expectedVariance, 1e-12, "variance");
    // The same numbers from NumPy: K + 0.01·I built the same way, then
    // k @ np.linalg.solve(K, y) and 1.5 - k @ np.linalg.solve(K, k).
    close(mean, 0.26476627347701426, 1e-12, "mean (numpy)");
    close(variance, 0.23431353485615847, 1e-12, "variance (numpy)");
  });

  it("has the log marginal likelihood NumPy gives", () => {
    // -0.5 y@solve(K, y) - sum(log(diag(cholesky(K)))) - 1.5 log(2π) with NumPy
    close(gp.logMarginalLikelihood(), -3.9304125176007583, 1e-12);
  });

  it("interpolates the data where noise is small and reverts to the prior far away", () => {
    for (let i = 0; i < 3; i++) close(gp.posterior(X[i]).mean, y[i], 0.05, `point ${i}`);
    const far = gp.posterior([40, -40]);
    close(far.mean, 0, 1e-9);
    close(far.variance, s, 1e-9);
  });

  it("has gradients that match finite differences", () => {
    const point = [0.35, 0.55];
    const { meanGradient, varianceGradient } = gp.posteriorWithGradient(point, [0, 1]);
    const h = 1e-6;
    for (const c of [0, 1]) {
      const up = [...point];
      const down = [...point];
      up[c] += h;
      down[c] -= h;
      close(meanGradient[c], (gp.posterior(up).mean - gp.posterior(down).mean) / (2 * h), 1e-6, `d mean/d x${c}`);
      close(varianceGradient[c], (gp.posterior(up).variance - gp.posterior(down).variance) / (2 * h), 1e-6, `d var/d x${c}`);
    }
  });

  it("has acquisition gradients that match finite differences (logEI, PI, UCB; near and far from the data)", () => {
    const h = 1e-6;
    for (const name of ["logEI", "PI", "UCB"] as const) {
      // thresholds from ordinary to hopeless (z far below zero)
      for (const threshold of [0.5, 3, 40]) {
        const acquisition = createAcquisition(name, gp, { threshold, beta: 2 });
        for (const point of [
          [0.35, 0.55],
          [0.95, 0.1],
        ]) {
          const { value, gradient } = acquisition.valueAndGradient(point, [0, 1]);
          close(value, acquisition.value(point), 1e-12, `${name} value`);
          for (const c of [0, 1]) {
            const up = [...point];
            const down = [...point];
            up[c] += h;
            down[c] -= h;
            const numeric = (acquisition.value(up) - acquisition.value(down)) / (2 * h);
            assert.ok(
              Math.abs(gradient[c] - numeric) <= 1e-5 * Math.max(1, Math.abs(numeric)),
              `${name} t=${threshold} x${c}: ${gradient[c]} vs ${numeric}`,
            );
          }
        }
      }
    }
  });

  it("conditions on fantasies: the mean stays, the variance at the fantasy collapses", () => {
    const point = [0.3, 0.5];
    const before = gp.posterior(point);
    const after = gp.withFantasies(Float64Array.from(point)).posterior(point);
    close(after.mean, before.mean, 1e-9);
    assert.ok(after.variance < noise * 1.01, `variance ${after.variance}`);
  });
});

/** Φ(z) from the Taylor series of erf, exact to ~1e-15 for |z| ≤ 3 (independent of the sampler's erfc). */
function cdfBySeries(z: number): number {
  const x = z / Math.SQRT2;
  let term = x;
  let sum = x;
  for (let n = 1; n < 100; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
}

describe("log expected improvement", () => {
  it("equals log(EI) computed directly for moderate z", () => {
    for (const [mean, variance, threshold] of [
      [0, 1, 0],
      [0.3, 0.5, 1.2],
      [1, 2, -1],
      [-0.5, 0.04, 0.1],
      [0.2, 0.3, 0.9],
    ]) {
      const sigma = Math.sqrt(variance);
      const z = (mean - threshold) / sigma;
      const ei = (mean - threshold) * cdfBySeries(z) + (sigma * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
      close(logExpectedImprovement(mean, variance, threshold), Math.log(ei), 1e-12, `z=${z}`);
    }
  });

  it("stays finite, increasing and close to its asymptote for very negative z", () => {
    let previous = -Infinity;
    for (const z of [-1e8, -1e5, -1e3, -100, -40, -10, -3]) {
      const value = logExpectedImprovement(z, 1, 0);
      assert.ok(Number.isFinite(value), `z=${z}: ${value}`);
      assert.ok(value > previous, `not increasing at z=${z}`);
      previous = value;
      if (z <= -40) {
        // EI ≈ φ(z)/z² for z → −∞
        const asymptote = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z);
        assert.ok(Math.abs(value - asymptote) <= 4 / (z * z) + 1e-16 * z * z, `z=${z}: ${value} vs ${asymptote}`);
      }
    }
    // log(E[max(0, N(0,1) − 40)]) by mpmath at 50 digits: mpmath.log(z*ncdf(z) + npdf(z)) at z = −40
    close(logExpectedImprovement(-40, 1, 0), -808.29856835661996, 1e-13);
  });
});

describe("kernel fitting", () => {
  it("raises the marginal likelihood above the initial hyperparameters", () => {
    const rng = new Rng(4);
    const n = 25;
    const x = Float64Array.from({ length: n * 2 }, () => rng.random());
    const y = standardize(Array.from({ length: n }, (_, i) => Math.sin(9 * x[2 * i]) + 0.1 * x[2 * i + 1]));
    const paramOfColumn = Int32Array.from([0, 1]);
    const objective = new NegativeLogPosterior(x, y, 2, paramOfColumn, 2, 1e-6, false);
    const initial = defaultRaw(2, 1e-6);
    const fit = fitKernelParams(x, y, 2, paramOfColumn, 2, { deterministic: false, minimumNoise: 1e-6, warmStart: null, rng });
    assert.ok(fit.logPosterior > -objective.loss(initial) + 1, `${fit.logPosterior} vs ${-objective.loss(initial)}`);
    const mll = (raw: Float64Array) =>
      new GaussianProcess(x, y, 2, paramOfColumn, kernelParamsFromRaw(raw, 2, 1e-6, false)).logMarginalLikelihood();
    assert.ok(mll(fit.raw) > mll(initial), `${mll(fit.raw)} vs ${mll(initial)}`);
    // The first coordinate matters, the second hardly: its lengthscale comes out longer.
    assert.ok(fit.params.inverseSquaredLengthscales[0] > 10 * fit.params.inverseSquaredLengthscales[1]);
  });

  it("has an analytic gradient that matches finite differences", () => {
    const rng = new Rng(5);
    const x = Float64Array.from({ length: 12 * 3 }, () => rng.random());
    const y = standardize(Array.from({ length: 12 }, (_, i) => x[3 * i] - x[3 * i + 2] ** 2));
    // Two parameters: a number, and a categorical one-hot over two columns.
    const objective = new NegativeLogPosterior(x, y, 3, Int32Array.from([0, 1, 1]), 2, 1e-6, false);
    const raw = Float64Array.from([0.4, -0.3, 0.1, Math.log(0.02)]);
    const gradient = new Float64Array(4);
    objective.evaluate(raw, gradient);
    const h = 1e-6;
    for (let k = 0; k < 4; k++) {
      const up = raw.slice();
      const down = raw.slice();
      up[k] += h;
      down[k] -= h;
      close(gradient[k], (objective.loss(up) - objective.loss(down)) / (2 * h), 1e-5, `θ${k}`);
    }
  });
});

const BRANIN = objectiveByName("branin");
const BRANIN_OPTIMUM = BRANIN.optimum;
const branin = (trial: Trial): number => BRANIN.evaluate(trial);

async function bestOf(sampler: Sampler, objective: (t: Trial) => number, nTrials: number) {
  const study = await createStudy({ storage: new InMemoryStorage(), sampler });
  await study.optimize(objective, { nTrials });
  return { study, best: (await study.best()).value! };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** A space with every kind of parameter, one of them conditional. */
function mixed(trial: Trial): number {
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const dropout = trial.suggestFloat("dropout", 0, 0.5, { step: 0.1 });
  const depth = trial.suggestInt("depth", 1, 12);
  const width = trial.suggestInt("width", 8, 512, { log: true });
  const batch = trial.suggestInt("batch", 16, 128, { step: 16 });
  const kind = trial.suggestCategorical("kind", ["a", "b", "c"]);
  const extra = kind === "a" ? trial.suggestFloat("extra", -1, 1) : 0;
  return (
    (Math.log10(lr) + 3) ** 2 +
    (dropout - 0.2) ** 2 +
    (depth - 5) ** 2 / 10 +
    Math.log2(width / 64) ** 2 / 4 +
    (batch - 64) ** 2 / 1e4 +
    (kind === "b" ? 0 : 0.5) +
    extra ** 2
  );
}

describe("GPSampler", () => {
  it("finds the categorical optimum of a mixed space with a conditional parameter", async () => {
    const { study } = await bestOf(new GPSampler({ seed: 3, nStartupTrials: 5 }), mixed, 25);
    assert.equal((await study.best()).params.kind, "b");
  });

  it("beats random search on Branin at 50 trials (median over 3 seeds)", async () => {
    const gp: number[] = [];
    const random: number[] = [];
    for (const seed of [0, 1, 2]) {
      gp.push((await bestOf(new GPSampler({ seed }), branin, 50)).best - BRANIN_OPTIMUM);
      random.push((await bestOf(new RandomSampler({ seed }), branin, 50)).best - BRANIN_OPTIMUM);
    }
    assert.ok(median(gp) < median(random) / 10, `GP regret ${median(gp)} vs random ${median(random)}`);
    assert.ok(median(gp) < 0.01, `GP regret ${median(gp)}`);
  });

  it("finds the optimum with UCB and PI as well", async () => {
    for (const acquisition of ["UCB", "PI"] as const) {
      const { best } = await bestOf(
        new GPSampler({ seed: 2, nStartupTrials: 5, acquisition }),
        (t) => (t.suggestFloat("x", -2, 2) - 0.7) ** 2 + (t.suggestFloat("y", 0, 1) - 0.2) ** 2,
        25,
      );
      assert.ok(best < 1e-2, `${acquisition}: best ${best}`);
    }
  });

  it("spreads out trials that run at the same time", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GPSampler({ seed: 5, nStartupTrials: 5 }) });
    await study.optimize(branin, { nTrials: 12 });
    const running: [number, number][] = [];
    for (let k = 0; k < 4; k++) {
      const trial = await study.ask();
      // in the unit square
      running.push([(trial.suggestFloat("x1", -5, 10) + 5) / 15, trial.suggestFloat("x2", 0, 15) / 15]);
    }
    for (let i = 0; i < running.length; i++) {
      for (let j = 0; j < i; j++) {
        const distance = Math.hypot(running[i][0] - running[j][0], running[i][1] - running[j][1]);
        assert.ok(distance > 5e-3, `trials ${j} and ${i} got nearly the same point: ${running[j]} and ${running[i]}`);
      }
    }
  });

  it("fits on the best half and the most recent trials beyond its budget", () => {
    const trials = [5, 1, 7, 3, 9, 2, 8].map((value, number) => ({ number, value }) as never);
    const chosen = selectTrainingTrials(trials, "minimize", 4).map((t: { number: number }) => t.number);
    assert.deepEqual(chosen, [1, 4, 5, 6]); // best two: values 1 (#1) and 2 (#5); then the latest: #6, #4
  });

  it("rejects bad options with a helpful message", () => {
    assert.throws(
      () => new GPSampler({ nStartupTrails: 3 } as never),
      (e: Error) => e instanceof ValueError && /nStartupTrials/.test(e.message),
    );
    assert.throws(() => new GPSampler({ acquisition: "EI" as never }), ValueError);
    assert.throws(() => new GPSampler({ beta: -1 }), ValueError);
    assert.throws(() => new GPSampler({ nStartupTrials: 1.5 }), ValueError);
  });

  it("encodes categorical parameters one-hot, two choices at unit distance", () => {
    const space = new FeatureSpace({ c: new CategoricalDistribution(["a", "b", "c"]), x: new FloatDistribution(1, 100, { log: true }) });
    assert.equal(space.dim, 4);
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    space.encode({ c: 0, x: 10 }, a);
    space.encode({ c: 2, x: 10 }, b);
    close(a[3], 0.5, 1e-12, "log scale midpoint");
    close(
      a.reduce((sum, v, i) => sum + (v - b[i]) ** 2, 0),
      1,
      1e-12,
      "squared distance",
    );
    assert.equal(space.decode(b).c, 2);
    close(space.decode(b).x, 10, 1e-12);
  });
});
