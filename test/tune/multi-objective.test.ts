/** Several objectives and constraints through the engine: createStudy, optimize, tell, addTrial, best trials. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../core/errors.js";
import { isFeasible } from "../../core/feasibility.js";
import { Rng } from "../../core/rng.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { createStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";

setVerbosity("silent");

const twoObjectives = (extra = {}) =>
  createStudy({ storage: new InMemoryStorage(), directions: ["maximize", "minimize"], sampler: "random", seed: 7, ...extra });

/** Brute force: feasible COMPLETE points no other such point dominates (by the directions). */
function bruteForceFront(points: { number: number; values: number[]; feasible: boolean }[], maximise: boolean[]): number[] {
  const better = (a: number[], b: number[]) => a.every((v, i) => (maximise[i] ? v >= b[i] : v <= b[i])) && a.some((v, i) => v !== b[i]);
  const ok = points.filter((p) => p.feasible);
  return ok.filter((p) => !ok.some((q) => better(q.values, p.values))).map((p) => p.number);
}

describe("a study with several objectives", () => {
  test("the objective returns one value per objective; bestTrials is the feasible Pareto front (brute force, with ties)", async () => {
    for (let seed = 0; seed < 8; seed++) {
      const rng = new Rng(seed);
      const study = await twoObjectives({ seed, constraints: (t: { params: Record<string, unknown> }) => [(t.params.c as number) - 0.8] });
      await study.optimize(
        (t) => {
          t.suggestFloat("c", 0, 1);
          return [Math.round(rng.random() * 5), Math.round(rng.random() * 5)];
        },
        { nTrials: 40 },
      );
      const trials = await study.trials();
      assert.ok(trials.every((t) => t.state === "COMPLETE" && t.values!.length === 2 && t.value === null));
      const expected = bruteForceFront(
        trials.map((t) => ({ number: t.number, values: t.values!, feasible: (t.params.c as number) <= 0.8 })),
        [true, false],
      );
      assert.deepEqual(
        (await study.bestTrials()).map((t) => t.number),
        expected,
        `seed ${seed}`,
      );
      for (const t of trials) assert.equal(isFeasible(t), (t.params.c as number) <= 0.8);
    }
  });

  test("best() points to bestTrials(); tell and addTrial take values and refuse the wrong number", async () => {
    const study = await twoObjectives();
    await assert.rejects(study.best(), /2 objectives \(maximize, minimize\), so no single best trial; bestTrials\(\)/);
    const told = await study.tell(await study.ask(), [0.9, 120]);
    assert.deepEqual([told.state, told.values, told.value], ["COMPLETE", [0.9, 120], null]);
    const wrong = await study.tell(await study.ask(), [0.9]);
    assert.equal(wrong.state, "FAIL");
    assert.match(wrong.error!, /tell was given \[0\.9\]; it needs 2 finite values \(maximize, minimize\) \(1 value for 2 objectives\)/);
    await assert.rejects(study.tell(await study.ask(), { state: "COMPLETE", value: 1 }), /give values: \[\.\.\.\] with one number each/);
    const added = await study.addTrial({ params: { x: 1 }, values: [0.8, 10], constraints: [-1] });
    assert.deepEqual([added.values, added.systemAttrs.constraints], [[0.8, 10], [-1]]);
    await assert.rejects(
      study.addTrial({ params: { x: 1 }, values: [0.8] }),
      (e: Error) => e instanceof ValueError && /\[0\.8\]/.test(e.message),
    );
    await assert.rejects(study.addTrial({ params: { x: 1 }, values: [0.8, 1], constraints: [Number.NaN] }), /constraints\[0\].*NaN/);
    assert.deepEqual(
      (await study.bestTrials()).map((t) => t.number),
      [0, 3],
    );
  });

  test("pruning needs one objective; single-objective samplers and pruners are refused before anything is written", async () => {
    const storage = new InMemoryStorage();
    await assert.rejects(
      createStudy({ storage, directions: ["maximize", "minimize"], sampler: "cmaes" }),
      /the cmaes sampler tunes one objective.*use one of .*random/,
    );
    await assert.rejects(
      createStudy({ storage, directions: ["maximize", "minimize"], sampler: "random", pruner: "median" }),
      /leave the median pruner out/,
    );
    assert.deepEqual(await storage.listStudies(), []);
    const study = await createStudy({ storage, directions: ["maximize", "minimize"], sampler: "random" });
    const trial = await study.ask();
    assert.throws(() => trial.report(1, 0), /2 objectives .*intermediate values and pruning need one/);
    await assert.rejects(createStudy({ storage, name: study.name, loadIfExists: true, direction: "maximize" }), /exists with directions/);
  });
});

describe("constraints", () => {
  test("setConstraint and the constraints function are stored as Optuna stores them; infeasible trials are never best", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      direction: "minimize",
      sampler: "random",
      constraints: (t) => [(t.value ?? 0) - 10],
    });
    await study.optimize(
      (t) => {
        const size = t.suggestInt("size", 1, 30);
        t.setConstraint("latency", size / 10 - 2);
        return size;
      },
      { nTrials: 30 },
    );
    const trials = await study.trials();
    for (const t of trials) {
      const size = t.params.size as number;
      assert.deepEqual(t.systemAttrs.constraints, [size - 10, size / 10 - 2]);
      assert.equal(t.systemAttrs["constraints:latency"], size / 10 - 2);
    }
    const best = await study.best();
    assert.equal(best.value, Math.min(...trials.map((t) => t.params.size as number)));
    const feasibleSizes = trials.filter((t) => isFeasible(t)).map((t) => t.value!);
    if (feasibleSizes.length) assert.ok(feasibleSizes.every((v) => v <= 10));
    const summary = await study.summary();
    assert.equal(summary.bestValue, best.value);
  });

  test("only infeasible trials: best() says so; the summary has no best", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: "random", constraints: () => [1] });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    await assert.rejects(study.best(), /no feasible COMPLETE trial yet \(all 3 violate a constraint\)/);
    assert.equal((await study.summary()).bestValue, null);
  });

  test("a constraints function that throws or returns no list of numbers fails the trial, saying so", async () => {
    for (const [constraints, message] of [
      [
        () => {
          throw new RangeError("no size");
        },
        /constraints function threw RangeError: no size/,
      ],
      [() => 3, /constraints function returned 3; it must return an array of numbers/],
      [() => [0, Number.NaN], /value 1: a constraint value must be a number.*NaN/],
    ] as const) {
      const study = await createStudy({ storage: new InMemoryStorage(), sampler: "random", constraints: constraints as never });
      await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
      const [trial] = await study.trials();
      assert.equal(trial.state, "FAIL");
      assert.match(trial.error!, message);
    }
    await assert.rejects(createStudy({ storage: new InMemoryStorage(), constraints: [1] as never }), /constraints must be a function/);
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: "random" });
    const trial = await study.ask();
    assert.throws(() => trial.setConstraint("size", Number.NaN), /setConstraint\("size"\): a constraint value must be a number.*NaN/);
    assert.throws(() => trial.setConstraint("", 1), /name must be a non-empty string/);
  });
});

describe("a worker module's study options", () => {
  test("directions and constraints from the module create a study with several objectives", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { runWorker } = await import("../../tune/worker.js");
    const { closeStorages } = await import("../../tune/storage.js");
    const { loadStudy } = await import("../../tune/create-study.js");
    const dir = mkdtempSync(join(tmpdir(), "tunebook-mo-worker-"));
    try {
      const script = join(dir, "objective.mjs");
      writeFileSync(
        script,
        [
          "export const studyOptions = { directions: ['maximize', 'minimize'], sampler: 'random', constraints: (t) => [t.params.x - 0.5] };",
          "export function objective(trial) { const x = trial.suggestFloat('x', 0, 1); return [x, x * x]; }",
        ].join("\n"),
      );
      const storage = `sqlite:${join(dir, "w.db")}`;
      await runWorker({ script, storage, study: "from module", nTrials: 4 });
      const study = await loadStudy({ name: "from module", storage, sampler: "random" });
      assert.deepEqual(study.directions, ["maximize", "minimize"]);
      const trials = await study.trials();
      assert.equal(trials.length, 4);
      for (const t of trials) {
        assert.deepEqual(t.values, [t.params.x, (t.params.x as number) ** 2]);
        assert.deepEqual(t.systemAttrs.constraints, [(t.params.x as number) - 0.5]);
      }
    } finally {
      await closeStorages();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
