// The multi-objective benchmark problems: points of the known Pareto set land on the known
// front, no point of the search space beats them, and dense samples of the front bracket
// each problem's trueFrontHypervolume.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFeasible, type MultiObjectiveProblem, PROBLEMS, problemByName } from "../../bench/multiobjective/problems.js";
import { hypervolume } from "../../core/math/hypervolume.js";
import { paretoFrontIndices } from "../../core/math/pareto.js";
import { Rng } from "../../core/rng.js";

/** Each front as an equation in the objective values: 0 on the front. */
const FRONT: Record<string, (f: number[]) => number> = {
  zdt1: ([f1, f2]) => f2 - (1 - Math.sqrt(f1)),
  zdt2: ([f1, f2]) => f2 - (1 - f1 ** 2),
  zdt3: ([f1, f2]) => f2 - (1 - Math.sqrt(f1) - f1 * Math.sin(10 * Math.PI * f1)),
  dtlz2: (f) => f.reduce((s, v) => s + v * v, 0) - 1,
  wfg4: ([f1, f2]) => (f1 / 2) ** 2 + (f2 / 4) ** 2 - 1,
  // x0 = x1 = t ∈ [0,3]: f1 = 8t², f2 = 2(5 − t)²; then x1 = 3, x0 = s ∈ [3,5]: f1 = 4s² + 36, f2 = (s − 5)² + 4.
  binh_korn: ([f1, f2]) => (f1 <= 72 ? f2 - 2 * (5 - Math.sqrt(f1 / 8)) ** 2 : f2 - ((Math.sqrt((f1 - 36) / 4) - 5) ** 2 + 4)),
};

function randomParams(problem: MultiObjectiveProblem, rng: Rng): Record<string, number> {
  return Object.fromEntries(problem.params.map((p) => [p.name, rng.uniform(p.low, p.high)]));
}

function evaluate(problem: MultiObjectiveProblem, x: Record<string, number>): { values: number[]; feasible: boolean } {
  const values = problem.objectives(x);
  return { values, feasible: isFeasible(problem.constraints?.(x, values)) };
}

/** Objective values along the front: u on a uniform grid of `n` steps per dimension. */
function frontSample(problem: MultiObjectiveProblem, n: number): number[][] {
  const dims = problem.directions.length - 1;
  const out: number[][] = [];
  const grid = Array.from({ length: n + 1 }, (_, i) => i / n);
  const walk = (u: number[]) => {
    if (u.length === dims) out.push(problem.objectives(problem.frontParams(u)));
    else for (const g of grid) walk([...u, g]);
  };
  walk([]);
  return out;
}

/**
 * Two objectives: the true front passes through the sample's non-dominated points (sorted by
 * f1) and, between two of them, stays within the box they span, so the volume the corners
 * (f1 of one, f2 of the next) dominate bounds the true hypervolume from above as the
 * sample's own bounds it from below.
 */
function bracket2d(points: number[][], reference: readonly number[]): { lower: number; upper: number } {
  const front = paretoFrontIndices(points)
    .map((i) => points[i])
    .sort((a, b) => a[0] - b[0]);
  const corners = front.map((p, i) => (i + 1 < front.length ? [p[0], front[i + 1][1]] : p));
  return { lower: hypervolume(points, reference), upper: hypervolume(corners, reference) };
}

describe("multi-objective benchmark problems", () => {
  it("has the problems the benchmark names, all minimised floats with a reference point per objective", () => {
    assert.deepEqual(
      PROBLEMS.map((p) => p.name),
      ["zdt1", "zdt2", "zdt3", "dtlz2", "wfg4", "binh_korn"],
    );
    for (const p of PROBLEMS) {
      assert.ok(
        p.directions.every((d) => d === "minimize"),
        p.name,
      );
      assert.equal(p.referencePoint.length, p.directions.length, p.name);
      const x = Object.fromEntries(p.params.map((q) => [q.name, (q.low + q.high) / 2]));
      assert.equal(p.objectives(x).length, p.directions.length, p.name);
    }
    assert.equal(problemByName("wfg4").params.length, 6);
    assert.deepEqual(
      problemByName("wfg4").params.map((q) => q.high),
      [2, 4, 6, 8, 10, 12],
    );
    assert.throws(() => problemByName("zdt9"), /choose from zdt1, zdt2/);
  });

  for (const problem of PROBLEMS) {
    it(`${problem.name}: points of the Pareto set lie on the known front, feasible`, () => {
      const rng = new Rng(1);
      for (let i = 0; i < 300; i++) {
        const u = Array.from({ length: problem.directions.length - 1 }, () => rng.random());
        const x = problem.frontParams(u);
        for (const q of problem.params) assert.ok(x[q.name] >= q.low && x[q.name] <= q.high, `${q.name} = ${x[q.name]} within bounds`);
        const { values, feasible } = evaluate(problem, x);
        assert.ok(Math.abs(FRONT[problem.name](values)) < 1e-9, `${problem.name}(${u}) = ${values} is off the front`);
        assert.ok(feasible, `${problem.name}(${u}) is infeasible`);
      }
    });

    it(`${problem.name}: no random feasible point dominates a point of the front`, () => {
      const sample = frontSample(problem, problem.directions.length === 2 ? 2000 : 60);
      const front = paretoFrontIndices(sample).map((i) => sample[i]);
      const rng = new Rng(2);
      let feasibleCount = 0;
      for (let i = 0; i < 3000; i++) {
        const { values, feasible } = evaluate(problem, randomParams(problem, rng));
        if (!feasible) continue;
        feasibleCount++;
        // Strictly better in every objective by more than rounding.
        const beaten = front.find((f) => f.every((v, j) => values[j] < v - 1e-9));
        assert.equal(beaten, undefined, `${values} dominates the front point ${beaten}`);
      }
      assert.ok(feasibleCount > 1000);
    });
  }

  for (const name of ["zdt1", "zdt2", "zdt3", "wfg4", "binh_korn"]) {
    it(`${name}: dense samples of the front bracket trueFrontHypervolume`, () => {
      const problem = problemByName(name);
      const truth = problem.trueFrontHypervolume;
      const scale = problem.referencePoint.reduce((a, b) => a * b, 1);
      const fine = frontSample(problem, 20_000);
      const { lower, upper } = bracket2d(fine, problem.referencePoint);
      assert.ok(lower <= truth && truth <= upper, `${lower} ≤ ${truth} ≤ ${upper}`);
      assert.ok((upper - lower) / scale < 1e-3, `bracket ${lower}…${upper} is narrow`);
      // The sample falls short by about c/n: extrapolated from n = 2,000 and 20,000 it agrees far closer.
      const coarse = hypervolume(frontSample(problem, 2_000), problem.referencePoint);
      const extrapolated = (10 * lower - coarse) / 9;
      assert.ok(Math.abs(extrapolated - truth) / scale < 3e-6, `extrapolated ${extrapolated} vs ${truth}`);
    });
  }

  for (const problem of PROBLEMS.filter((p) => p.wide !== undefined)) {
    it(`${problem.name}: dense samples of the front bracket the wide reference point's trueFrontHypervolume`, () => {
      const { referencePoint, trueFrontHypervolume } = problem.wide!;
      const { lower, upper } = bracket2d(frontSample(problem, 20_000), referencePoint);
      assert.ok(lower <= trueFrontHypervolume && trueFrontHypervolume <= upper, `${lower} ≤ ${trueFrontHypervolume} ≤ ${upper}`);
      // Every trial counts there: no point of the search box lies beyond it.
      const rng = new Rng(4);
      for (let i = 0; i < 2000; i++) {
        const { values } = evaluate(problem, randomParams(problem, rng));
        assert.ok(
          values.every((v, j) => v <= referencePoint[j]),
          `${values} is beyond ${referencePoint}`,
        );
      }
    });
  }

  it("dtlz2: a dense sample of the front approaches trueFrontHypervolume = 1.1³ − π/6 from below", () => {
    const problem = problemByName("dtlz2");
    assert.ok(Math.abs(problem.trueFrontHypervolume - 0.807401224401151) < 1e-12);
    const coarse = hypervolume(frontSample(problem, 40), problem.referencePoint);
    const fine = hypervolume(frontSample(problem, 160), problem.referencePoint);
    assert.ok(coarse < fine && fine < problem.trueFrontHypervolume, `${coarse} < ${fine} < ${problem.trueFrontHypervolume}`);
    assert.ok(problem.trueFrontHypervolume - fine < 0.01, `${fine} is within 0.01`);
    // The gap shrinks about as the grid's step.
    assert.ok((problem.trueFrontHypervolume - fine) * 3 < problem.trueFrontHypervolume - coarse);
  });

  it("random search stays below the true front's hypervolume", () => {
    const rng = new Rng(3);
    for (const problem of PROBLEMS) {
      const points = Array.from({ length: 500 }, () => evaluate(problem, randomParams(problem, rng)))
        .filter((e) => e.feasible)
        .map((e) => e.values);
      const hv = hypervolume(points, problem.referencePoint);
      assert.ok(hv < problem.trueFrontHypervolume, `${problem.name}: ${hv}`);
    }
  });
});
