/** GPSampler with several objectives (log EHVI) and with constraints (log P(feasible)). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFeasible } from "../../../core/feasibility.js";
import { hypervolume } from "../../../core/math/hypervolume.js";
import { logNormalCdf } from "../../../core/math/normal.js";
import { paretoFrontIndices } from "../../../core/math/pareto.js";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy } from "../../../tune/create-study.js";
import { FloatDistribution } from "../../../tune/distributions.js";
import { setVerbosity } from "../../../tune/log.js";
import { createAcquisition } from "../../../tune/samplers/gp/acquisition.js";
import { type Boxes, nonDominatedBoxes } from "../../../tune/samplers/gp/box-decomposition.js";
import { createLogFeasibility, sumOfAcquisitions } from "../../../tune/samplers/gp/constrained.js";
import { createLogEHVI, LogEHVIOverBoxes } from "../../../tune/samplers/gp/ehvi.js";
import { GPSampler } from "../../../tune/samplers/gp/index.js";
import { GaussianProcess } from "../../../tune/samplers/gp/model.js";
import { fastLogH, logH, logHDifference } from "../../../tune/samplers/gp/normal.js";
import { selectRankedTrainingTrials } from "../../../tune/samplers/gp/training.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import type { Sampler } from "../../../tune/samplers/sampler.js";
import type { Trial } from "../../../tune/trial.js";

setVerbosity("silent");

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
};

/** `count` random points (maximised) near a concave front in [0, 1]^m, some of them dominated. */
function randomFront(rng: Rng, count: number, objectives: number): number[][] {
  return Array.from({ length: count }, () => {
    const direction = Array.from({ length: objectives }, () => Math.abs(rng.normal()) + 1e-3);
    const norm = Math.hypot(...direction);
    return direction.map((v) => v / norm + 0.05 * rng.random());
  });
}

/** The hypervolume improvement of `y` over `front`, all maximised, from core's hypervolume (independent of the boxes). */
function improvementByHypervolume(front: number[][], y: readonly number[], reference: readonly number[]): number {
  const flip = (p: readonly number[]) => p.map((v) => -v);
  const ref = flip(reference);
  return hypervolume([...front.map(flip), flip(y)], ref) - hypervolume(front.map(flip), ref);
}

/** The hypervolume improvement of `y` read off the boxes. */
function improvementByBoxes(boxes: Boxes, y: readonly number[]): number {
  let total = 0;
  for (let k = 0; k < boxes.count; k++) {
    let product = 1;
    for (let j = 0; j < boxes.objectives; j++) {
      const at = k * boxes.objectives + j;
      product *= Math.max(0, Math.min(y[j], boxes.upper[at]) - boxes.lower[at]);
    }
    total += product;
  }
  return total;
}

describe("boxes of the non-dominated region", () => {
  it("give every point's hypervolume improvement, as core's hypervolume does (2, 3 and 4 objectives)", () => {
    const rng = new Rng(11);
    for (const objectives of [2, 3, 4]) {
      for (const count of [0, 1, 2, 7, 15]) {
        const front = randomFront(rng, count, objectives);
        // dominated points and copies must change nothing
        if (count > 1)
          front.push(
            front[0].map((v) => v - 0.01),
            [...front[1]],
          );
        const reference = Array.from({ length: objectives }, () => -0.1 * rng.random());
        const boxes = nonDominatedBoxes(front, reference);
        for (let s = 0; s < 40; s++) {
          const y = Array.from({ length: objectives }, () => rng.uniform(-0.3, 1.3));
          const expected = improvementByHypervolume(front, y, reference);
          const actual = improvementByBoxes(boxes, y);
          assert.ok(Math.abs(actual - expected) <= 1e-12, `${objectives} objectives, ${count} points, y=${y}: ${actual} vs ${expected}`);
        }
      }
    }
  });

  it("are few: one strip per front point with two objectives, O(n) with three", () => {
    const rng = new Rng(2);
    const front = randomFront(rng, 30, 2);
    const onFront = paretoFrontIndices(front.map((p) => p.map((v) => -v))).length;
    assert.equal(nonDominatedBoxes(front, [0, 0]).count, onFront + 1);
    const count = nonDominatedBoxes(randomFront(rng, 60, 3), [0, 0, 0]).count;
    assert.ok(count <= 6 * 60, `${count} boxes for 60 points`);
  });
});

describe("the log-space pieces of EHVI", () => {
  it("fastLogH agrees with logH from far below the front to far above it", () => {
    for (let z = -2000; z < 40; z += 0.0731) {
      const fast = fastLogH(z);
      const reference = logH(z);
      const scale = Math.max(1, Math.abs(reference.value));
      assert.ok(Math.abs(fast.value - reference.value) <= 1e-9 * scale, `z=${z}: ${fast.value} vs ${reference.value}`);
      assert.ok(Math.abs(fast.slope - reference.slope) <= 1e-8 * reference.slope, `z=${z}: slope ${fast.slope} vs ${reference.slope}`);
    }
  });

  it("log(h(a) − h(b)) equals log ∫_b^a Φ by fine quadrature, wide and narrow, near and far", () => {
    // Composite 5-point Gauss–Legendre over 2000 panels, in log space.
    const nodes = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
    const weights = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];
    const quadrature = (a: number, b: number) => {
      const panels = 2000;
      const width = (a - b) / panels;
      const terms: number[] = [];
      for (let p = 0; p < panels; p++) {
        const middle = b + (p + 0.5) * width;
        nodes.forEach((node, k) => {
          terms.push(Math.log((weights[k] * width) / 2) + logNormalCdf(middle + (node * width) / 2));
        });
      }
      const top = Math.max(...terms);
      return top + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - top), 0));
    };
    const rng = new Rng(5);
    for (let i = 0; i < 150; i++) {
      const centre = [-30, -8, -2, -0.5, 0, 1, 3, 8][i % 8] + rng.normal();
      const width = 10 ** rng.uniform(-7, 1);
      const [a, b] = [centre + width / 2, centre - width / 2];
      const value = logHDifference(a, fastLogH(a).value, b, fastLogH(b).value);
      const expected = quadrature(a, b);
      assert.ok(Math.abs(value - expected) <= 1e-8 * Math.max(1, Math.abs(expected)), `a=${a} b=${b}: ${value} vs ${expected}`);
    }
  });
});

/** ∂f/∂x_c at `point` by a central difference. */
function centralDifference(f: (point: number[]) => number, point: readonly number[], c: number, h = 1e-6): number {
  const shifted = (by: number) => point.map((v, i) => (i === c ? v + by : v));
  return (f(shifted(h)) - f(shifted(-h))) / (2 * h);
}

describe("log EHVI", () => {
  it("equals a Monte-Carlo estimate of the expected improvement on random fronts and posteriors (2 and 3 objectives)", () => {
    const rng = new Rng(7);
    const samples = 40000;
    for (let c = 0; c < 8; c++) {
      const objectives = c < 6 ? 2 : 3;
      const front = randomFront(rng, [1, 3, 6, 10][c % 4], objectives);
      const reference = Array.from({ length: objectives }, () => -0.2);
      const boxes = nonDominatedBoxes(front, reference);
      const means = Array.from({ length: objectives }, () => rng.uniform(0.2, 1.1));
      const sigmas = Array.from({ length: objectives }, () => rng.uniform(0.05, 0.6));
      const exact = Math.exp(new LogEHVIOverBoxes(boxes).evaluate(means, sigmas, false).value);
      let sum = 0;
      let squares = 0;
      for (let s = 0; s < samples; s++) {
        const y = means.map((m, j) => m + sigmas[j] * rng.normal());
        const improvement = improvementByHypervolume(front, y, reference);
        sum += improvement;
        squares += improvement * improvement;
      }
      const estimate = sum / samples;
      const standardError = Math.sqrt((squares / samples - estimate ** 2) / samples);
      assert.ok(
        Math.abs(exact - estimate) <= 4.5 * standardError + 1e-12,
        `case ${c}: exact ${exact} vs Monte Carlo ${estimate} ± ${standardError}`,
      );
    }
  });

  it("stays finite and ordered far from the front, where the improvement itself underflows", () => {
    const front = [
      [0, 1],
      [0.5, 0.5],
      [1, 0],
    ];
    const ehvi = new LogEHVIOverBoxes(nonDominatedBoxes(front, [-0.5, -0.5]));
    let previous = Infinity;
    for (const distance of [0, 1, 3, 10, 30, 100, 300, 1000, 3000]) {
      for (const sigma of [0.05, 1]) {
        const { value, dMean } = ehvi.evaluate([0.5 - distance, 0.5 - distance], [sigma, sigma], true);
        assert.ok(Number.isFinite(value), `distance ${distance}, σ ${sigma}: ${value}`);
        if (distance >= 30 && sigma === 0.05) assert.equal(Math.exp(value), 0, "the improvement itself underflows");
        // towards the front is better, in each objective
        assert.ok(dMean[0] > 0 && dMean[1] > 0, `distance ${distance}: gradient ${dMean}`);
      }
      const { value } = ehvi.evaluate([0.5 - distance, 0.5 - distance], [0.05, 0.05], false);
      assert.ok(value < previous, `distance ${distance}: ${value} not below ${previous}`);
      previous = value;
    }
    // more uncertainty is more promise, far away
    assert.ok(ehvi.evaluate([-50, -50], [1, 1], false).value > ehvi.evaluate([-50, -50], [0.5, 0.5], false).value);
  });

  it("has gradients that match finite differences, near the front and far from it", () => {
    const rng = new Rng(3);
    const n = 12;
    const x = Float64Array.from({ length: n * 2 }, () => rng.random());
    const params = { inverseSquaredLengthscales: Float64Array.from([3, 2]), signalVariance: 1.2, noiseVariance: 1e-3 };
    const gps = [0, 1].map(
      (j) =>
        new GaussianProcess(
          x,
          Float64Array.from({ length: n }, (_, i) => Math.sin(3 * x[2 * i + j]) - x[2 * i]),
          2,
          Int32Array.from([0, 1]),
          params,
        ),
    );
    for (const shift of [0, 3, 30]) {
      const front = randomFront(rng, 5, 2).map((p) => p.map((v) => v + shift));
      const acquisition = createLogEHVI(gps, nonDominatedBoxes(front, [shift - 1, shift - 1]));
      for (const point of [
        [0.3, 0.6],
        [0.9, 0.15],
        [3, -2],
      ]) {
        const { value, gradient } = acquisition.valueAndGradient(point, [0, 1]);
        assert.ok(Math.abs(value - acquisition.value(point)) <= 1e-12 * Math.max(1, Math.abs(value)));
        for (const c of [0, 1]) {
          const numeric = centralDifference((p) => acquisition.value(p), point, c);
          assert.ok(
            Math.abs(gradient[c] - numeric) <= 1e-4 * Math.max(1, Math.abs(numeric)),
            `shift ${shift}, point ${point}, x${c}: ${gradient[c]} vs ${numeric}`,
          );
        }
      }
    }
  });
});

describe("constraints", () => {
  // One input on [0, 1]: the objective rises to the right, the constraint x − 0.4 ≤ 0 holds on the left.
  const n = 15;
  const x = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
  const params = { inverseSquaredLengthscales: Float64Array.from([4]), signalVariance: 1, noiseVariance: 1e-4 };
  const objective = new GaussianProcess(
    x,
    x.map((v) => 2 * v - 1),
    1,
    Int32Array.from([0]),
    params,
  );
  // Negated and standardised like the sampler does: feasible at or above the image of 0.
  const raw = Array.from(x, (v) => -(v - 0.4));
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const constraint = {
    gp: new GaussianProcess(
      x,
      Float64Array.from(raw, (v) => (v - mean) / std),
      1,
      Int32Array.from([0]),
      params,
    ),
    threshold: -mean / std,
  };
  const grid = Array.from({ length: 201 }, (_, i) => i / 200);
  const argmax = (f: (p: number[]) => number) => grid.reduce((best, g) => (f([g]) > f([best]) ? g : best), grid[0]);

  it("the probability of feasibility is high where the constraint holds and low where it does not", () => {
    const feasibility = createLogFeasibility([constraint]);
    for (const g of [0, 0.1, 0.2, 0.3]) assert.ok(feasibility.value([g]) > Math.log(0.95), `at ${g}: ${feasibility.value([g])}`);
    for (const g of [0.5, 0.6, 0.8, 1]) assert.ok(feasibility.value([g]) < Math.log(0.05), `at ${g}: ${feasibility.value([g])}`);
    assert.ok(feasibility.value([0.35]) > feasibility.value([0.45]));
  });

  it("moves the acquisition's optimum from the infeasible right end to the feasible boundary", () => {
    const threshold = Math.max(...Array.from(x, (v, i) => (v <= 0.4 ? objective.y[i] : -Infinity)));
    const logEI = createAcquisition("logEI", objective, { threshold, beta: 2 });
    const constrained = sumOfAcquisitions([logEI, createLogFeasibility([constraint])]);
    assert.ok(argmax((p) => logEI.value(p)) > 0.9, "without the constraint: the right end");
    const best = argmax((p) => constrained.value(p));
    assert.ok(best > 0.3 && best < 0.5, `with it: ${best}, near the boundary at 0.4`);
  });

  it("a constrained study keeps to the feasible region and its boundary, where the optimum is", async () => {
    const run = async (constrained: boolean) => {
      const study = await createStudy({
        storage: new InMemoryStorage(),
        sampler: new GPSampler({ seed: 4, nStartupTrials: 6 }),
        direction: "minimize",
        ...(constrained ? { constraints: (t: TrialRecord) => [(t.params.x as number) + (t.params.y as number) - 0.6] } : {}),
      });
      await study.optimize((t) => (t.suggestFloat("x", 0, 1) - 0.9) ** 2 + (t.suggestFloat("y", 0, 1) - 0.9) ** 2, { nTrials: 26 });
      return (await study.trials()).slice(6);
    };
    // feasible, or within 0.01 of it: the optimum is on the boundary, so half the trials there may just miss it
    const nearlyFeasibleShare = (trials: TrialRecord[]) =>
      trials.filter((t) => (t.params.x as number) + (t.params.y as number) <= 0.61).length / trials.length;
    const constrained = await run(true);
    const free = await run(false);
    assert.ok(nearlyFeasibleShare(constrained) >= 0.8, `constrained: ${nearlyFeasibleShare(constrained)} (nearly) feasible`);
    assert.ok(nearlyFeasibleShare(free) <= 0.2, `unconstrained: ${nearlyFeasibleShare(free)} (nearly) feasible`);
    const best = Math.min(...constrained.filter((t) => isFeasible(t)).map((t) => t.value!));
    // the constrained optimum is (0.3, 0.3), at 0.72
    assert.ok(best < 0.72 + 0.01, `best feasible value ${best}`);
  });

  it("while no trial is feasible, heads for where feasibility is likeliest", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      sampler: new GPSampler({ seed: 2, nStartupTrials: 0 }),
      direction: "minimize",
      constraints: (t) => [0.9 - (t.params.x as number)],
    });
    // Three infeasible trials, the violation shrinking to the right.
    for (const x of [0.1, 0.3, 0.5]) {
      await study.addTrial({ params: { x }, distributions: { x: new FloatDistribution(0, 1) }, value: x, constraints: [0.9 - x] });
    }
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 4 });
    const suggested = (await study.trials()).slice(3).map((t) => t.params.x as number);
    assert.ok(suggested[0] > 0.5, `first suggestion ${suggested[0]}`);
    assert.ok(
      suggested.some((x) => x >= 0.9),
      `no feasible trial among ${suggested}`,
    );
  });
});

/** ZDT1 on four parameters: minimise f1 = x0 and f2 = g·(1 − √(f1/g)); the front is at x1 = x2 = x3 = 0. */
function zdt1(trial: Trial): number[] {
  const x = [0, 1, 2, 3].map((i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = 1 + (9 * (x[1] + x[2] + x[3])) / 3;
  return [x[0], g * (1 - Math.sqrt(x[0] / g))];
}

const ZDT_DIRECTIONS: StudyDirection[] = ["minimize", "minimize"];

async function zdtHypervolume(sampler: Sampler, trials: number): Promise<number> {
  const study = await createStudy({ storage: new InMemoryStorage(), sampler, directions: ZDT_DIRECTIONS });
  await study.optimize(zdt1, { nTrials: trials });
  // g ≤ 10, so every trial is inside this reference box
  return hypervolume(
    (await study.trials()).map((t) => t.values!),
    [1.1, 10],
  );
}

describe("GPSampler with several objectives", () => {
  it("beats random search on ZDT1's hypervolume at 50 trials (median over 8 seeds)", async () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const gp = await Promise.all(seeds.map((seed) => zdtHypervolume(new GPSampler({ seed }), 50)));
    const random = await Promise.all(seeds.map((seed) => zdtHypervolume(new RandomSampler({ seed }), 50)));
    // The whole box is 11; the true front's hypervolume is 11 − 1/3 ≈ 10.67.
    assert.ok(median(gp) > median(random) + 1, `GP ${median(gp).toFixed(3)} vs random ${median(random).toFixed(3)}`);
    assert.ok(median(gp) > 10.4, `GP ${gp.map((v) => v.toFixed(3))}`);
  });

  it("serves maximised and minimised objectives with constraints, and repeats itself for a seed", async () => {
    const run = async () => {
      const study = await createStudy({
        storage: new InMemoryStorage(),
        sampler: new GPSampler({ seed: 9, nStartupTrials: 5 }),
        directions: ["maximize", "minimize"],
        constraints: (t) => [(t.params.x as number) - 0.7],
      });
      await study.optimize(
        (t) => {
          const x = t.suggestFloat("x", 0, 1);
          const kind = t.suggestCategorical("kind", ["a", "b"]);
          return [x + (kind === "a" ? 0.2 : 0), x * x];
        },
        { nTrials: 20 },
      );
      return study;
    };
    const study = await run();
    const trials = await study.trials();
    assert.ok(trials.every((t) => t.state === "COMPLETE" && t.values!.length === 2));
    const later = trials.slice(5);
    assert.ok(later.filter((t) => isFeasible(t)).length >= 0.7 * later.length, "mostly feasible after the start-up");
    assert.ok(later.filter((t) => t.params.kind === "a").length >= 0.7 * later.length, "kind a dominates b");
    assert.deepEqual(
      (await (await run()).trials()).map((t) => t.params),
      trials.map((t) => t.params),
    );
  });

  it("spreads out trials that run at the same time", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      sampler: new GPSampler({ seed: 5, nStartupTrials: 8 }),
      directions: ZDT_DIRECTIONS,
    });
    await study.optimize(zdt1, { nTrials: 14 });
    const running: number[][] = [];
    for (let k = 0; k < 4; k++) {
      const trial = await study.ask();
      zdt1(trial);
      running.push([0, 1, 2, 3].map((i) => trial.params[`x${i}`] as number));
    }
    for (let i = 0; i < running.length; i++) {
      for (let j = 0; j < i; j++) {
        const distance = Math.hypot(...running[i].map((v, c) => v - running[j][c]));
        assert.ok(distance > 1e-2, `trials ${j} and ${i} got nearly the same point: ${running[j]} and ${running[i]}`);
      }
    }
  });

  it("fits on the feasible fronts first, then the most recent trials, beyond its budget", () => {
    const trial = (number: number, values: number[], constraint?: number) =>
      ({ number, values, systemAttrs: constraint === undefined ? {} : { constraints: [constraint] } }) as unknown as TrialRecord;
    const trials = [
      trial(0, [1, 1]), // front 0
      trial(1, [2, 2]), // front 1
      trial(2, [0, 0], 1), // infeasible
      trial(3, [3, 3]), // front 2
      trial(4, [0.5, 3]), // front 0
      trial(5, [5, 5]), // front 3, the most recent
    ];
    const chosen = selectRankedTrainingTrials(trials, ["minimize", "minimize"], 4).map((t) => t.number);
    assert.deepEqual(chosen, [0, 3, 4, 5]); // best two: #0 and #4 (front 0); then the latest: #5, #3
  });
});
