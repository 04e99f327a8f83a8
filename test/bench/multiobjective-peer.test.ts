// The Optuna peer of the multi-objective benchmark: its Python twins of the problems give
// the same values as problems.ts, its quality runs parse, and an objective evaluated here
// drives Optuna's samplers through the external mode. Skipped, loudly, without
// python3-optuna; with TUNEBOOK_REQUIRE_ALL=1 that is a failure.
import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import {
  checkOptunaProblems,
  driveOptunaExternal,
  type ExternalParamValue,
  optunaPeerUnavailable,
  runOptunaMultiObjective,
} from "../../bench/multiobjective/peer.js";
import { PROBLEMS, problemByName } from "../../bench/multiobjective/problems.js";
import { hypervolume } from "../../core/math/hypervolume.js";
import { Rng } from "../../core/rng.js";

const skip = optunaPeerUnavailable();
if (skip && process.env.TUNEBOOK_REQUIRE_ALL === "1") test("Optuna 3.1 is available (TUNEBOOK_REQUIRE_ALL=1)", () => assert.fail(skip));
else if (skip) console.warn(`\n!! Multi-objective Optuna peer SKIPPED: ${skip}\n`);

function close(a: number, b: number, tolerance = 1e-12): boolean {
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

describe("multi-objective Optuna peer", { skip }, () => {
  it("defines the same problems as problems.ts, with the same values, constraints and hypervolumes", () => {
    const rng = new Rng(7);
    const points: Record<string, Record<string, number>[]> = {};
    for (const problem of PROBLEMS) {
      const random = Array.from({ length: 60 }, () => Object.fromEntries(problem.params.map((p) => [p.name, rng.uniform(p.low, p.high)])));
      const edges = [
        Object.fromEntries(problem.params.map((p) => [p.name, p.low])),
        Object.fromEntries(problem.params.map((p) => [p.name, p.high])),
      ];
      const front = Array.from({ length: 20 }, () =>
        problem.frontParams(Array.from({ length: problem.directions.length - 1 }, () => rng.random())),
      );
      points[problem.name] = [...random, ...edges, ...front];
    }
    const peer = checkOptunaProblems(points);
    assert.deepEqual(
      Object.keys(peer.problems),
      PROBLEMS.map((p) => p.name),
    );
    for (const problem of PROBLEMS) {
      const twin = peer.problems[problem.name];
      assert.deepEqual(twin.params, problem.params, problem.name);
      assert.deepEqual(twin.directions, problem.directions, problem.name);
      assert.deepEqual(twin.reference_point, problem.referencePoint, problem.name);
      assert.ok(close(twin.true_front_hypervolume, problem.trueFrontHypervolume, 1e-15), problem.name);
      assert.equal(twin.constrained, problem.constraints !== undefined, problem.name);

      const feasible: number[][] = [];
      points[problem.name].forEach((x, i) => {
        const values = problem.objectives(x);
        const constraints = problem.constraints?.(x, values) ?? null;
        const got = peer.values[problem.name][i];
        assert.equal(got.values.length, values.length);
        for (const [j, v] of values.entries()) {
          assert.ok(close(got.values[j], v), `${problem.name} f${j}(${JSON.stringify(x)}): ${got.values[j]} vs ${v}`);
        }
        if (constraints === null) assert.equal(got.constraints, null);
        else {
          const theirs = got.constraints ?? [];
          assert.equal(theirs.length, constraints.length);
          for (const [j, c] of constraints.entries()) assert.ok(close(theirs[j], c), `${problem.name} c${j}: ${theirs[j]} vs ${c}`);
        }
        if (constraints === null || constraints.every((c) => c <= 0)) feasible.push(values);
      });
      const ours = hypervolume(feasible, problem.referencePoint);
      assert.ok(ours > 0, `${problem.name}: the points reach inside the reference box`);
      assert.ok(
        close(peer.hypervolume[problem.name], ours, 1e-10),
        `${problem.name} hypervolume: ${peer.hypervolume[problem.name]} vs ${ours}`,
      );
    }
  });

  it("runs NSGA-II, TPE and random search on the problems and reports hypervolumes by budget", async () => {
    const run = await runOptunaMultiObjective({
      problems: ["binh_korn", "dtlz2"],
      samplers: ["nsga2", "tpe", "random"],
      seeds: 1,
      budgets: [8, 16],
    });
    assert.equal(run.kind, "quality");
    assert.match(run.optuna, /^3\./);
    assert.equal(run.results.length, 6);
    for (const r of run.results) {
      const problem = problemByName(r.problem);
      assert.deepEqual(Object.keys(r.hypervolume), ["8", "16"]);
      assert.ok(r.hypervolume["8"] <= r.hypervolume["16"] && r.hypervolume["16"] < problem.trueFrontHypervolume, JSON.stringify(r));
      assert.ok(r.feasible["8"] <= 8 && r.feasible["16"] <= 16);
      assert.ok(r.ms_per_suggestion > 0 && r.ms_per_suggestion < 1000);
      assert.ok(r.cpu_ms_per_suggestion >= 0 && r.cpu_ms_per_suggestion < 1000);
      // The points themselves: our hypervolume of them is the peer's.
      assert.equal(r.values.length, 16);
      assert.equal(r.feasibles.filter(Boolean).length, r.feasible["16"]);
      const ours = hypervolume(
        r.values.filter((_, i) => r.feasibles[i]),
        problem.referencePoint,
      );
      assert.ok(close(ours, r.hypervolume["16"]), `${ours} vs ${r.hypervolume["16"]}`);
    }
    // Binh–Korn's first constraint rules out part of the box: random search finds a feasible majority, not all.
    const random = run.results.find((r) => r.problem === "binh_korn" && r.sampler === "random")!;
    assert.ok(random.hypervolume["16"] > 0);
  });

  it("drives Optuna's samplers with an objective evaluated in TypeScript, constraints and all", async () => {
    const space = {
      x: { low: 0, high: 1 },
      lr: { low: 1e-4, high: 1, log: true },
      n: { low: 1, high: 5, int: true },
      kind: { choices: ["a", "b", null] },
    };
    const objective = (p: Record<string, ExternalParamValue>) => {
      const x = p.x as number;
      const n = p.n as number;
      // minimise the first, maximise the second; feasible when x ≤ 0.8
      return { values: [x + n / 10 + (p.kind === "a" ? 0 : 0.1), 1 - x ** 2 + Math.log10(p.lr as number) / 10], constraints: [x - 0.8] };
    };
    const drive = async (sampler: "tpe" | "nsga2") => {
      const seen: Record<string, ExternalParamValue>[] = [];
      const run = await driveOptunaExternal(
        {
          problem: "toy",
          space,
          directions: ["minimize", "maximize"],
          sampler,
          seed: 3,
          trials: 14,
          constrained: true,
          referencePoint: [2, -1],
          budgets: [7, 14],
        },
        (params, number) => {
          assert.equal(number, seen.length);
          seen.push(params);
          return objective(params);
        },
      );
      return { run, seen };
    };
    const runs = await Promise.all([drive("tpe"), drive("nsga2")]);
    for (const [k, { run, seen }] of runs.entries()) {
      const sampler = k === 0 ? "tpe" : "nsga2";
      assert.equal(run.kind, "external");
      assert.equal(run.sampler, sampler);
      assert.equal(run.trials.length, 14);
      const feasible: number[][] = [];
      run.trials.forEach((t, i) => {
        assert.deepEqual(t.params, seen[i]);
        const x = t.params.x as number;
        const lr = t.params.lr as number;
        assert.ok(
          x >= 0 &&
            x <= 1 &&
            lr >= 1e-4 &&
            lr <= 1 &&
            Number.isInteger(t.params.n) &&
            ["a", "b", null].includes(t.params.kind as string | null),
        );
        const expected = objective(t.params);
        assert.equal(t.state, "COMPLETE");
        assert.deepEqual(t.values, expected.values);
        assert.deepEqual(t.constraints, expected.constraints);
        if (expected.constraints[0] <= 0) feasible.push([expected.values[0], -expected.values[1]]);
      });
      assert.ok(close(run.hypervolume!["14"], hypervolume(feasible, [2, 1]), 1e-10), `${sampler}: ${run.hypervolume!["14"]}`);
      assert.equal(run.feasible!["14"], feasible.length);
      assert.ok(run.ms_per_suggestion > 0);
    }
  });

  it("fails the trials the objective fails or answers with NaN, keeps infinities, and stops when it throws", async () => {
    const options = {
      problem: "toy",
      space: { x: { low: 0, high: 1 } },
      directions: ["minimize", "minimize"] as const,
      sampler: "random" as const,
      seed: 0,
    };
    const answers = [{ values: null }, { values: [Number.NaN, 1] }, { values: [Infinity, 1] }, { values: [0.5, 0.5] }];
    const [run, thrown, short] = await Promise.allSettled([
      driveOptunaExternal({ ...options, trials: 4, referencePoint: [1, 1] }, (_, n) => answers[n]),
      driveOptunaExternal({ ...options, trials: 50 }, (_, n) => {
        if (n === 2) throw new Error("objective broke");
        return { values: [n, -n] };
      }),
      driveOptunaExternal({ ...options, trials: 3 }, () => ({ values: [1] })),
    ]);
    assert.equal(run.status, "fulfilled");
    assert.deepEqual(
      run.value.trials.map((t) => [t.state, t.values]),
      [
        ["FAIL", null],
        ["FAIL", null],
        ["COMPLETE", [null, 1]],
        ["COMPLETE", [0.5, 0.5]],
      ],
    );
    assert.equal(run.value.hypervolume!["4"], 0.25);
    assert.equal(thrown.status, "rejected");
    assert.match(String(thrown.reason), /objective broke/);
    assert.equal(short.status, "rejected");
    assert.match(String(short.reason), /1 values for 2 directions/);
  });
});
