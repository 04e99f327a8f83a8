import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hypervolume } from "../../../core/math/hypervolume.js";
import type { StudyDirection } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { type CROSSOVER_NAMES, dasDennisPoints, NSGAIIISampler } from "../../../tune/samplers/nsga/index.js";
import { referencePointElite } from "../../../tune/samplers/nsga/nsga3.js";
import { associate, nicheSelect, normalisedObjectives } from "../../../tune/samplers/nsga/reference-points.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import type { Sampler } from "../../../tune/samplers/sampler.js";
import type { Trial } from "../../../tune/trial.js";
import { multiObjectiveContract } from "./contract.js";
import { completeTrial } from "./nsga-support.js";

setVerbosity("silent");

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
}

describe("reference points", () => {
  it("Das–Dennis: C(M + p − 1, p) distinct points on the unit simplex, on its 1/p grid", () => {
    for (const [objectives, divisions] of [
      [1, 3],
      [2, 4],
      [3, 3],
      [3, 12],
      [5, 2],
    ]) {
      const points = dasDennisPoints(objectives, divisions);
      assert.equal(points.length, binomial(objectives + divisions - 1, divisions), `M=${objectives}, p=${divisions}`);
      assert.equal(new Set(points.map((p) => p.map((v) => Math.round(v * divisions)).join())).size, points.length, "distinct");
      for (const p of points) {
        assert.equal(p.length, objectives);
        assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12, `${p} sums to 1`);
        assert.ok(
          p.every((v) => v >= 0 && Math.abs(v * divisions - Math.round(v * divisions)) < 1e-9),
          `${p} on the grid`,
        );
      }
    }
    assert.equal(dasDennisPoints(3, 3).length, 10);
    assert.throws(() => dasDennisPoints(3, 0), /divisions must be a positive integer/);
  });

  it("normalisation puts the ideal point at 0 and the extreme points on the unit axes", () => {
    // On the plane f1/2 + f2/4 + f3 = 1, shifted by (1, 1, 1), and points behind it.
    const shifted = (p: number[]) => p.map((v) => v + 1);
    const points = [
      [2, 0, 0],
      [0, 4, 0],
      [0, 0, 1],
      [1, 2, 0],
      [1, 1, 0.5],
      [1.5, 3, 0.5],
    ].map(shifted);
    const normalised = normalisedObjectives(points);
    assert.deepEqual(
      normalised.slice(0, 3).map((p) => p.map((v) => Math.round(v * 1e9) / 1e9)),
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    );
    assert.ok(Math.abs(normalised[3].reduce((a, b) => a + b, 0) - 1) < 1e-9, "a point on the plane sums to 1");
    assert.ok(normalised[5].reduce((a, b) => a + b, 0) > 1, "a point behind it sums to more");
  });

  it("associates each point with the nearest reference line, at its perpendicular distance", () => {
    const { nearest, distance } = associate(
      [
        [1, 0.1],
        [0.5, 0.6],
        [0, 2],
      ],
      [
        [1, 0],
        [0.5, 0.5],
        [0, 1],
      ],
    );
    assert.deepEqual(nearest, [0, 1, 2]);
    assert.ok(Math.abs(distance[0] - 0.1) < 1e-12 && Math.abs(distance[1] - 0.1 / Math.SQRT2) < 1e-12 && distance[2] === 0);
  });

  it("niching fills the reference points with the fewest elite members first, nearest member first", () => {
    // Elite: two near reference 0, two near reference 2; the last front has members near all three.
    const nearest = [0, 0, 2, 2, 0, 1, 2, 1];
    const distance = [0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 0.1, 0.2];
    assert.deepEqual(nicheSelect(1, 4, nearest, distance, new Rng(1)), [3], "reference 1's nearer member");
    assert.deepEqual(nicheSelect(2, 4, nearest, distance, new Rng(1)), [3, 1], "then its other one: it still has fewer");
    const three = nicheSelect(3, 4, nearest, distance, new Rng(1));
    assert.deepEqual(three.slice(0, 2), [3, 1]);
    assert.ok(three[2] === 0 || three[2] === 2, "then one of the tied references, at random");
    const picks = new Set(Array.from({ length: 40 }, (_, seed) => nicheSelect(3, 4, nearest, distance, new Rng(seed))[2]));
    assert.deepEqual([...picks].sort(), [0, 2], "either tied reference can win");
  });

  it("cuts the last front so the elite spreads over the reference points", () => {
    // One front: many points crowded near the first axis's end, one near each other extreme and the middle.
    const directions: StudyDirection[] = ["minimize", "minimize"];
    const crowded = Array.from({ length: 8 }, (_, i) => [0.01 * i, 1 - 0.01 * i]);
    const trials = [...crowded, [0.5, 0.5], [1, 0]].map((v, i) => completeTrial(i, v));
    const elite = referencePointElite(trials, directions, 3, dasDennisPoints(2, 2), new Rng(3)).map((t) => t.number);
    assert.equal(elite.length, 3);
    assert.ok(elite.includes(8) && elite.includes(9), `elite ${elite}: the lone points near the middle and the far end`);
  });

  it("refuses reference points that do not fit the study", async () => {
    assert.throws(() => new NSGAIIISampler({ referencePoints: [] }), /referencePoints must be a non-empty array/);
    assert.throws(() => new NSGAIIISampler({ referencePoints: [[0, 0]] }), /not all 0/);
    assert.throws(() => new NSGAIIISampler({ dividingParameter: 0 }), /dividingParameter must be a positive integer/);
    const study = await createStudy({
      storage: new InMemoryStorage(),
      directions: ["minimize", "minimize"],
      sampler: new NSGAIIISampler({ populationSize: 2, referencePoints: [[1, 0, 0]], seed: 1 }),
    });
    const objective = (t: Trial) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)];
    await assert.rejects(study.optimize(objective, { nTrials: 8 }), /reference points have 3 values each but the study has 2 objectives/);
  });
});

/** DTLZ2 with 3 objectives and 6 variables: the front is the unit sphere's positive eighth. */
function dtlz2(trial: Trial): number[] {
  const x = Array.from({ length: 6 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = x.slice(2).reduce((sum, v) => sum + (v - 0.5) ** 2, 0);
  const [a, b] = [(x[0] * Math.PI) / 2, (x[1] * Math.PI) / 2];
  return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
}

async function dtlz2Hypervolume(sampler: Sampler, trials: number): Promise<number> {
  const study = await createStudy({ storage: new InMemoryStorage(), directions: ["minimize", "minimize", "minimize"], sampler });
  await study.optimize(dtlz2, { nTrials: trials });
  return hypervolume(
    (await study.trials()).map((t) => t.values!),
    [1.1, 1.1, 1.1],
  );
}

it("improves the hypervolume on DTLZ2 (3 objectives) over random search in 200 trials", async () => {
  const seeds = [1, 2, 3, 4, 5];
  const ours = await Promise.all(seeds.map((seed) => dtlz2Hypervolume(new NSGAIIISampler({ seed, populationSize: 20 }), 200)));
  const random = await Promise.all(seeds.map((seed) => dtlz2Hypervolume(new RandomSampler({ seed }), 200)));
  assert.ok(
    median(ours) > median(random) + 0.05,
    `median hypervolume ${median(ours).toFixed(3)} (${ours.map((v) => v.toFixed(3))}); random search ${median(random).toFixed(3)} (${random.map((v) => v.toFixed(3))}); the true front's is 0.807`,
  );
});

it("writes nsga3:generation as Optuna's NSGAIIISampler does", async () => {
  const study = await createStudy({
    storage: new InMemoryStorage(),
    directions: ["minimize", "minimize", "minimize"],
    sampler: new NSGAIIISampler({ seed: 2, populationSize: 4 }),
  });
  const generations: unknown[] = [];
  await study.optimize(dtlz2, { nTrials: 9, callbacks: [(_, t) => void generations.push(t.systemAttrs["nsga3:generation"])] });
  assert.deepEqual(generations, [0, 0, 0, 0, 1, 1, 1, 1, 2]);
});

// The kit with a small population, so the niching runs within its budgets; one crossover of three parents too.
for (const crossover of ["uniform", "undx"] as const satisfies readonly (typeof CROSSOVER_NAMES)[number][]) {
  multiObjectiveContract(
    `nsga3 populationSize 4, ${crossover} crossover`,
    (seed) => new NSGAIIISampler({ seed, populationSize: 4, crossover }),
    {
      learns: true,
      mayRepeatPoints: true,
      multiObjective: { learningTrials: 150 },
    },
  );
}
