/** Multi-objective TPE and constraint-aware TPE: the split into good and bad trials, the weights of the good ones, and the sampler on studies. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { isFeasible } from "../../../core/feasibility.js";
import { hypervolume } from "../../../core/math/hypervolume.js";
import { type StudyDirection, SYSTEM_ATTR, type TrialRecord, type TrialState } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy } from "../../../tune/create-study.js";
import { FloatDistribution } from "../../../tune/distributions.js";
import { setVerbosity } from "../../../tune/log.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import type { Sampler, StudyView } from "../../../tune/samplers/sampler.js";
import { TPESampler } from "../../../tune/samplers/tpe/index.js";
import {
  bestByFronts,
  contributionWeights,
  greedyHypervolumeSubset,
  tpeReferencePoint,
} from "../../../tune/samplers/tpe/multi-objective.js";
import { rankTrials, splitObservations } from "../../../tune/samplers/tpe/observations.js";

setVerbosity("silent");

type Point = number[];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// --- Brute-force references, written apart from the code under test. ---

const dominatesBrute = (a: Point, b: Point) => a.every((v, i) => v <= b[i]) && a.some((v, i) => v < b[i]);

/** Fronts by peeling: the points nothing left dominates, again and again. */
function frontsBrute(points: Point[]): number[][] {
  let left = points.map((_, i) => i);
  const fronts: number[][] = [];
  while (left.length > 0) {
    const front = left.filter((i) => !left.some((j) => dominatesBrute(points[j], points[i])));
    fronts.push(front);
    left = left.filter((i) => !front.includes(i));
  }
  return fronts;
}

/** Hypervolume by inclusion–exclusion over every non-empty subset (the box of a subset is bounded by its componentwise worst). */
function hypervolumeBrute(points: Point[], reference: Point): number {
  let total = 0;
  for (let mask = 1; mask < 1 << points.length; mask++) {
    const corner = reference.map(() => -Infinity);
    let size = 0;
    points.forEach((p, i) => {
      if (mask & (1 << i)) {
        size++;
        p.forEach((v, d) => {
          corner[d] = Math.max(corner[d], v);
        });
      }
    });
    const box = corner.reduce((product, v, d) => product * Math.max(0, reference[d] - v), 1);
    total += size % 2 ? box : -box;
  }
  return total;
}

/** The plain greedy: every round, every remaining point's gain recomputed from scratch; the earliest of the largest wins. */
function greedyBrute(points: Point[], size: number, reference: Point): number[] {
  const chosen: number[] = [];
  while (chosen.length < size) {
    const base = hypervolumeBrute(
      chosen.map((i) => points[i]),
      reference,
    );
    let best = -1;
    let bestGain = -Infinity;
    points.forEach((_, j) => {
      if (chosen.includes(j)) return;
      const gain =
        hypervolumeBrute(
          [...chosen, j].map((i) => points[i]),
          reference,
        ) - base;
      if (gain > bestGain) {
        bestGain = gain;
        best = j;
      }
    });
    chosen.push(best);
  }
  return chosen;
}

function subsetsOf(n: number, size: number): number[][] {
  if (size === 0) return [[]];
  if (n < size) return [];
  return [...subsetsOf(n - 1, size), ...subsetsOf(n - 1, size - 1).map((s) => [...s, n - 1])];
}

/** Random points, every value distinct (no ties to break). */
function randomPoints(rng: Rng, n: number, objectives: number): Point[] {
  return Array.from({ length: n }, () => Array.from({ length: objectives }, () => rng.normal()));
}

// --- Studies made by hand: trial i has x = i / 1000, so the split's columns name the trials. ---

interface Spec {
  state?: TrialState;
  values?: number[];
  constraints?: number[];
}

function studyOf(directions: StudyDirection[], specs: Spec[]): StudyView {
  const distribution = new FloatDistribution(0, 1).toJson();
  const records: TrialRecord[] = specs.map((spec, number) => {
    const state = spec.state ?? "COMPLETE";
    const values = state === "COMPLETE" ? (spec.values ?? null) : null;
    return {
      trialId: number + 1,
      number,
      state,
      params: { x: number / 1000 },
      distributions: { x: distribution },
      value: values !== null && values.length === 1 ? values[0] : null,
      values,
      intermediateValues: {},
      userAttrs: {},
      systemAttrs: (spec.constraints ? { [SYSTEM_ATTR.constraints]: spec.constraints } : {}) as TrialRecord["systemAttrs"],
      datetimeStart: new Date(0),
      datetimeComplete: state === "RUNNING" ? null : new Date(0),
    };
  });
  return {
    studyId: 1,
    name: "by hand",
    direction: directions[0],
    directions,
    trials: (states) => (states ? records.filter((t) => states.includes(t.state)) : records),
  };
}

/** The trial numbers TPE would count as good and bad for a new trial, and the good ones' weights. */
function split(study: StudyView, nBelow: number, { constantLiar = false, weightFloor = 0 } = {}) {
  const current = { ...study.trials()[0], number: study.trials().length };
  const ranked = rankTrials(study, current, constantLiar);
  const numbers = (column: Float64Array, count: number) => Array.from(column.subarray(0, count), (x) => Math.round(x * 1000));
  const { below, above, belowWeights } = splitObservations(ranked, ["x"], [new FloatDistribution(0, 1)], () => nBelow, weightFloor);
  return {
    below: numbers(below.columns[0], below.count),
    above: numbers(above.columns[0], above.count),
    weights: belowWeights === null ? null : Array.from(belowWeights),
  };
}

describe("the multi-objective split", () => {
  test("whole fronts first, in order, then the greedy hypervolume subset of the next front (brute force)", () => {
    const rng = new Rng(11);
    for (let round = 0; round < 150; round++) {
      const objectives = 2 + (round % 3);
      const points = randomPoints(rng, 4 + Math.floor(rng.random() * 14), objectives);
      const count = 1 + Math.floor(rng.random() * (points.length - 1));
      const chosen = bestByFronts(points, count);
      assert.equal(chosen.length, count);
      let taken = 0;
      for (const front of frontsBrute(points)) {
        if (taken + front.length <= count) {
          assert.deepEqual(chosen.slice(taken, taken + front.length), front, `round ${round}: a whole front, ascending`);
          taken += front.length;
          continue;
        }
        const rest = chosen.slice(taken);
        const frontPoints = front.map((i) => points[i]);
        const reference = tpeReferencePoint(frontPoints);
        const expected = greedyBrute(frontPoints, count - taken, reference).map((k) => front[k]);
        assert.deepEqual(rest, expected, `round ${round}: the greedy picks of the next front, in order`);
        break;
      }
    }
  });

  test("the greedy subset's hypervolume is within (1 − 1/e) of the best subset's, and often equal to it", () => {
    const rng = new Rng(12);
    let optimal = 0;
    const rounds = 60;
    for (let round = 0; round < rounds; round++) {
      const objectives = 2 + (round % 2);
      // A front: points on a sphere's positive part, none dominating another.
      const points = Array.from({ length: 5 + (round % 6) }, () => {
        const v = Array.from({ length: objectives }, () => Math.abs(rng.normal()));
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      });
      const size = 1 + (round % (points.length - 1));
      const reference = tpeReferencePoint(points);
      const greedy = hypervolumeBrute(
        greedyHypervolumeSubset(points, size, reference).map((i) => points[i]),
        reference,
      );
      const best = Math.max(
        ...subsetsOf(points.length, size).map((s) =>
          hypervolumeBrute(
            s.map((i) => points[i]),
            reference,
          ),
        ),
      );
      assert.ok(greedy >= (1 - 1 / Math.E) * best - 1e-12, `round ${round}: greedy ${greedy}, best ${best}`);
      assert.ok(greedy <= best + 1e-12);
      if (greedy >= best - 1e-12) optimal++;
    }
    assert.ok(optimal >= rounds / 2, `greedy optimal in ${optimal} of ${rounds} rounds`);
  });

  test("the greedy picks are Optuna 3.1's _solve_hssp's, in its order", () => {
    // From optuna._hypervolume.hssp._solve_hssp (python3-optuna 3.1) with Optuna's reference point.
    const cases = [
      {
        points: [
          [0.971, 0.237],
          [0.052, 0.999],
          [0.616, 0.788],
          [0.131, 0.991],
          [0.091, 0.996],
          [0.83, 0.559],
          [0.458, 0.889],
          [0.123, 0.992],
          [0.333, 0.943],
          [0.666, 0.746],
        ],
        size: 4,
        chosen: [9, 1, 0, 5],
      },
      {
        points: [
          [0.62, 0.108, 0.777],
          [0.186, 0.806, 0.561],
          [0.623, 0.16, 0.766],
          [0.108, 0.351, 0.93],
          [0.774, 0.39, 0.5],
          [0.869, 0.332, 0.368],
          [0.568, 0.067, 0.82],
          [0.342, 0.188, 0.921],
          [0.493, 0.486, 0.722],
        ],
        size: 3,
        chosen: [6, 4, 3],
      },
      {
        points: [
          [0.012, 0.906, 0.108, 0.408],
          [0.366, 0.476, 0.481, 0.639],
          [0.465, 0.351, 0.773, 0.25],
          [0.746, 0.409, 0.52, 0.077],
          [0.929, 0.353, 0.079, 0.08],
          [0.43, 0.177, 0.783, 0.414],
          [0.439, 0.075, 0.864, 0.236],
          [0.398, 0.379, 0.147, 0.822],
        ],
        size: 5,
        chosen: [3, 0, 5, 4, 1],
      },
    ];
    for (const { points, size, chosen } of cases) {
      assert.deepEqual(greedyHypervolumeSubset(points, size, tpeReferencePoint(points)), chosen);
    }
  });

  test("Optuna's reference point: 1.1 × the worst value, 0.9 × when it is negative, EPS for 0", () => {
    assert.deepEqual(
      tpeReferencePoint([
        [1, -2, 0],
        [3, -4, -1],
      ]),
      [1.1 * 3, 0.9 * -2, 1e-12],
    );
  });

  test("weights: hypervolume contribution over the largest (brute force); dominated and repeated points weigh ~0", () => {
    const rng = new Rng(13);
    for (let round = 0; round < 80; round++) {
      const points = randomPoints(rng, 2 + (round % 8), 2 + (round % 3));
      if (round % 5 === 0) points.push([...points[0]]); // a copy: neither copy adds anything alone
      const reference = tpeReferencePoint(points);
      const all = hypervolumeBrute(points, reference);
      const contributions = points.map(
        (_, i) =>
          all -
          hypervolumeBrute(
            points.filter((_, j) => j !== i),
            reference,
          ),
      );
      const largest = Math.max(...contributions);
      const weights = contributionWeights(points);
      points.forEach((_, i) => {
        const expected = largest > 1e-9 ? contributions[i] / largest : 1;
        assert.ok(Math.abs(weights[i] - expected) < 1e-9, `round ${round}, point ${i}: ${weights[i]} vs ${expected}`);
      });
    }
    assert.deepEqual(Array.from(contributionWeights([[1, 2]])), [1]);
  });

  test("through the sampler's split: fronts by the study's directions, weights floor + (1 − floor) · share", () => {
    const values = [
      [1, 5], // front 0
      [2, 6], // front 1 (dominated by 0)
      [3, 1], // front 0
      [2, 2], // front 0
      [4, 4], // front 1
      [5, 5], // front 2
    ];
    const minimised = split(
      studyOf(
        ["minimize", "minimize"],
        values.map((v) => ({ values: v })),
      ),
      4,
    );
    // Front 0 (0, 2, 3) fits; of front 1 the greedy takes the larger box: (2, 6) vs (4, 4) against (4.4, 6.6).
    assert.deepEqual(minimised.below, [0, 1, 2, 3]);
    assert.deepEqual(minimised.above, [4, 5]);
    // Maximising the first objective is minimising its negation.
    const flipped = split(
      studyOf(
        ["maximize", "minimize"],
        values.map(([a, b]) => ({ values: [-a, b] })),
      ),
      4,
    );
    assert.deepEqual(flipped, minimised);
    const belowPoints = minimised.below.map((i) => values[i]);
    const shares = contributionWeights(belowPoints);
    assert.deepEqual(minimised.weights, Array.from(shares));
    const floored = split(
      studyOf(
        ["minimize", "minimize"],
        values.map((v) => ({ values: v })),
      ),
      4,
      { weightFloor: 0.5 },
    );
    assert.deepEqual(
      floored.weights,
      Array.from(shares, (s) => 0.5 + 0.5 * s),
    );
  });
});

describe("constraints and running trials", () => {
  test("infeasible trials are never good while feasible ones fill the split; otherwise the least violation first", () => {
    const rng = new Rng(14);
    for (let round = 0; round < 60; round++) {
      const objectives = 1 + (round % 3);
      const specs: Spec[] = Array.from({ length: 6 + Math.floor(rng.random() * 10) }, () => {
        const violation = rng.random() < 0.5 ? 0 : rng.random();
        return { values: randomPoints(rng, 1, objectives)[0], constraints: [violation > 0 ? violation : -rng.random(), -1] };
      });
      const directions: StudyDirection[] = Array.from({ length: objectives }, () => "minimize");
      const nBelow = 1 + Math.floor(rng.random() * (specs.length - 1));
      const { below, above } = split(studyOf(directions, specs), nBelow);
      assert.equal(below.length, nBelow);
      assert.deepEqual(
        [...below, ...above].sort((a, b) => a - b),
        specs.map((_, i) => i),
      );
      const feasible = specs.map((_, i) => i).filter((i) => specs[i].constraints![0] <= 0);
      const infeasible = specs.map((_, i) => i).filter((i) => specs[i].constraints![0] > 0);
      if (feasible.length >= nBelow) {
        assert.ok(
          below.every((i) => feasible.includes(i)),
          `round ${round}: an infeasible trial is good`,
        );
        // Among the feasible trials the split is the unconstrained one.
        const alone = split(
          studyOf(
            directions,
            feasible.map((i) => ({ values: specs[i].values })),
          ),
          nBelow,
        );
        assert.deepEqual(
          below,
          alone.below.map((k) => feasible[k]),
        );
      } else {
        const leastViolation = [...infeasible]
          .sort((a, b) => specs[a].constraints![0] - specs[b].constraints![0] || a - b)
          .slice(0, nBelow - feasible.length);
        assert.deepEqual(
          below,
          [...feasible, ...leastViolation].sort((a, b) => a - b),
        );
      }
    }
  });

  test("with several objectives, good infeasible trials weigh the floor and the feasible ones share the rest by contribution", () => {
    const specs: Spec[] = [
      { values: [1, 3], constraints: [-1] },
      { values: [0, 0], constraints: [2] },
      { values: [3, 1], constraints: [0] },
      { values: [0, 1], constraints: [1] },
    ];
    const { below, weights } = split(studyOf(["minimize", "minimize"], specs), 3, { weightFloor: 0.25 });
    assert.deepEqual(below, [0, 2, 3]);
    const shares = contributionWeights([
      [1, 3],
      [3, 1],
    ]);
    assert.deepEqual(weights, [0.25 + 0.75 * shares[0], 0.25 + 0.75 * shares[1], 0.25 + 0.75 * 1e-12]);
  });

  test("the constant liar: running trials are bad, worst in every objective; without it they are left out", () => {
    const specs: Spec[] = [{ values: [1, 2] }, { state: "RUNNING" }, { values: [2, 1] }, { state: "RUNNING" }, { values: [3, 3] }];
    const liar = split(studyOf(["minimize", "maximize"], specs), 2, { constantLiar: true });
    assert.deepEqual(liar.below, [0, 4]); // maximising the second objective: (3, 3) is on the front with (1, 2)
    assert.deepEqual(liar.above, [1, 2, 3]);
    const honest = split(studyOf(["minimize", "maximize"], specs), 2);
    assert.deepEqual(honest.below, [0, 4]);
    assert.deepEqual(honest.above, [2]);
    // Only when γ asks for more good trials than are finished do running ones become good, after everything finished.
    assert.deepEqual(split(studyOf(["minimize", "minimize"], specs), 4, { constantLiar: true }).below, [0, 1, 2, 4]);
  });

  test("a completed trial with an infinite value (a study Optuna wrote) is left out, not weighed", () => {
    const specs: Spec[] = [{ values: [1, 2] }, { values: [Number.NEGATIVE_INFINITY, 5] }, { values: [2, 1] }, { values: [3, 3] }];
    assert.deepEqual(split(studyOf(["minimize", "minimize"], specs), 2), { below: [0, 2], above: [3], weights: [1, 1] });
  });

  test("one objective with constraints: feasible trials by value, then infeasible ones by violation", () => {
    const specs: Spec[] = [
      { values: [5], constraints: [-1] },
      { values: [0], constraints: [3] },
      { values: [1], constraints: [0.5] },
      { values: [9], constraints: [-2, 0] },
      { values: [2] }, // no constraint values: nothing constrains it
    ];
    const study = studyOf(["minimize"], specs);
    assert.deepEqual(split(study, 2).below, [0, 4]);
    assert.deepEqual(split(study, 3).below, [0, 3, 4]);
    assert.deepEqual(split(study, 4).below, [0, 2, 3, 4]);
    assert.equal(split(study, 4).weights, null);
  });
});

/** ZDT1 with 8 variables: f1 = x0, f2 = g·(1 − √(x0/g)), g = 1 + 9·mean(x1..x7). */
function zdt1(trial: { suggestFloat(name: string, low: number, high: number): number }): number[] {
  const x = Array.from({ length: 8 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / 7;
  return [x[0], g * (1 - Math.sqrt(x[0] / g))];
}

async function zdt1Hypervolume(sampler: Sampler, trials: number): Promise<number> {
  const study = await createStudy({ storage: new InMemoryStorage(), directions: ["minimize", "minimize"], sampler });
  await study.optimize(zdt1, { nTrials: trials });
  // A reference point wide enough that random search's points count too.
  return hypervolume(
    (await study.trials()).map((t) => t.values!),
    [1.1, 6],
  );
}

describe("TPESampler on studies with several objectives", () => {
  test("MOTPE beats random search on ZDT1 (8 floats) at 100 trials: median hypervolume over 10 seeds", async () => {
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      tpe.push(await zdt1Hypervolume(new TPESampler({ seed }), 100));
      random.push(await zdt1Hypervolume(new RandomSampler({ seed }), 100));
    }
    assert.ok(median(tpe) > median(random), `median hypervolume: TPE ${median(tpe)}, random ${median(random)}`);
    assert.ok(tpe.filter((v, i) => v > random[i]).length >= 8, `TPE ahead on ${tpe.filter((v, i) => v > random[i]).length} of 10 seeds`);
  });

  test("a study's constraints steer TPE to feasible trials, with one objective and with several", async () => {
    // Feasible when x + y + z ≤ 0.6: about 3.6% of the cube.
    const feasibleShare = async (sampler: Sampler, directions: StudyDirection[]) => {
      const study = await createStudy({
        storage: new InMemoryStorage(),
        directions,
        sampler,
        constraints: (t) => [(t.params.x as number) + (t.params.y as number) + (t.params.z as number) - 0.6],
      });
      await study.optimize(
        (t) => {
          const [x, y, z] = ["x", "y", "z"].map((name) => t.suggestFloat(name, 0, 1));
          const values = [(x - 1) ** 2 + y, (y - 1) ** 2 + z];
          return directions.length === 1 ? values[0] + values[1] : values;
        },
        { nTrials: 60 },
      );
      return (await study.trials()).slice(20).filter(isFeasible).length / 40;
    };
    for (const directions of [["minimize"], ["minimize", "minimize"]] as StudyDirection[][]) {
      const tpe: number[] = [];
      const random: number[] = [];
      for (let seed = 0; seed < 5; seed++) {
        tpe.push(await feasibleShare(new TPESampler({ seed }), directions));
        random.push(await feasibleShare(new RandomSampler({ seed }), directions));
      }
      assert.ok(median(tpe) > 3 * median(random) + 0.1, `${directions}: feasible share after 20 trials, TPE ${tpe}, random ${random}`);
    }
  });

  test("TPE serves several objectives and refuses a hypervolumeWeightFloor outside [0, 1]", async () => {
    assert.equal(new TPESampler().multiObjective, true);
    const study = await createStudy({ storage: new InMemoryStorage(), directions: ["maximize", "minimize"], sampler: "tpe" });
    await study.optimize((t) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)], { nTrials: 15 });
    assert.equal((await study.trials()).filter((t) => t.state === "COMPLETE").length, 15);
    for (const bad of [-0.1, 1.5, Number.NaN, "0.5"]) {
      assert.throws(
        () => new TPESampler({ hypervolumeWeightFloor: bad as number }),
        (e: Error) => e instanceof ValueError && /hypervolumeWeightFloor must be a number from 0 to 1/.test(e.message),
      );
    }
  });
});
