import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createStudy,
  DuplicatedStudyError,
  deleteStudy,
  GridSampler,
  InMemoryStorage,
  listStudies,
  loadStudy,
  NotFoundError,
  RandomSampler,
  setVerbosity,
  type Trial,
  TrialFinishedError,
  TrialPruned,
  ValueError,
} from "../../index.js";

setVerbosity("silent");

const quadratic = (trial: Trial) => {
  const x = trial.suggestFloat("x", -5, 5);
  const y = trial.suggestInt("y", -3, 3);
  return (x - 1) ** 2 + y ** 2;
};

describe("Study.optimize", () => {
  it("runs nTrials trials, all COMPLETE, numbered from 0, and finds the best", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new RandomSampler({ seed: 1 }) });
    const result = await study.optimize(quadratic, { nTrials: 30 });
    assert.equal(result.trialsRun, 30);
    assert.equal(result.stoppedBy, "nTrials");
    const trials = await study.trials();
    assert.deepEqual(
      trials.map((t) => t.number),
      [...Array(30).keys()],
    );
    assert.ok(trials.every((t) => t.state === "COMPLETE" && t.datetimeStart && t.datetimeComplete));
    const best = await study.best();
    assert.equal(best.value, Math.min(...trials.map((t) => t.value!)));
    assert.equal(best.value, (Number(best.params.x) - 1) ** 2 + Number(best.params.y) ** 2);
  });

  it("maximizes when asked", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), direction: "maximize", sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(quadratic, { nTrials: 20 });
    const values = (await study.trials()).map((t) => t.value!);
    assert.equal((await study.best()).value, Math.max(...values));
  });

  it("accepts async objectives and runs them concurrently", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new RandomSampler({ seed: 3 }) });
    let running = 0;
    let peak = 0;
    await study.optimize(
      async (trial) => {
        running++;
        peak = Math.max(peak, running);
        const x = trial.suggestFloat("x", 0, 1);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return x;
      },
      { nTrials: 12, concurrency: 4 },
    );
    assert.equal(peak, 4);
    const trials = await study.trials();
    assert.equal(trials.length, 12);
    assert.deepEqual(new Set(trials.map((t) => t.number)).size, 12);
  });

  it("is reproducible: same seed, same parameters", async () => {
    const run = async () => {
      const study = await createStudy({ storage: new InMemoryStorage(), sampler: "random", seed: 42 });
      await study.optimize(
        (t) => {
          t.suggestCategorical("c", ["a", "b", "c"]);
          t.suggestFloat("lr", 1e-5, 1, { log: true });
          return t.suggestInt("n", 1, 100, { step: 3 });
        },
        { nTrials: 15 },
      );
      return (await study.trials()).map((t) => t.params);
    };
    assert.deepEqual(await run(), await run());
  });

  it("returns the same value when a parameter is suggested twice, and rejects a different range naming both", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const trial = await study.ask();
    const first = trial.suggestFloat("x", 0, 1);
    assert.equal(trial.suggestFloat("x", 0, 1), first);
    assert.throws(
      () => trial.suggestFloat("x", 0, 2),
      (e: Error) =>
        e instanceof ValueError &&
        e.message.includes("FloatDistribution(0, 1)") &&
        e.message.includes("FloatDistribution(0, 2)") &&
        e.message.includes('"x"'),
    );
    await study.tell(trial, first);
  });

  it("keeps a parameter named __proto__ like any other, in memory and on SQLite", async () => {
    for (const storage of [new InMemoryStorage(), ":memory:"]) {
      const study = await createStudy({ storage, sampler: "random", seed: 1 });
      await study.optimize(
        (t) => {
          const x = t.suggestFloat("__proto__", 0, 1);
          assert.equal(t.suggestFloat("__proto__", 0, 1), x);
          return x;
        },
        { nTrials: 2 },
      );
      const [trial] = await study.trials();
      assert.deepEqual(Object.keys(trial.params), ["__proto__"]);
      // biome-ignore lint/suspicious/noProto: a parameter named __proto__ is what is tested
      assert.equal(typeof trial.params.__proto__, "number");
    }
  });

  it("supports conditional parameters", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize(
      (t) => {
        const kind = t.suggestCategorical("kind", ["tree", "linear"]);
        return kind === "tree" ? t.suggestInt("depth", 1, 10) : t.suggestFloat("alpha", 1e-4, 1, { log: true });
      },
      { nTrials: 30 },
    );
    for (const t of await study.trials()) {
      const keys = Object.keys(t.params).sort();
      assert.deepEqual(keys, t.params.kind === "tree" ? ["depth", "kind"] : ["alpha", "kind"]);
    }
  });

  it("stores a throwing objective as FAIL with its message and rethrows it", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    class Boom extends Error {}
    await assert.rejects(
      study.optimize(
        (t) => {
          t.suggestFloat("x", 0, 1);
          throw new Boom("exploded at x");
        },
        { nTrials: 5 },
      ),
      Boom,
    );
    const trials = await study.trials();
    assert.equal(trials.length, 1);
    assert.equal(trials[0].state, "FAIL");
    assert.match(trials[0].error!, /exploded at x/);
  });

  it("goes on after errors listed in catch", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    class Flaky extends Error {}
    await study.optimize(
      (t) => {
        if (t.number % 2 === 0) throw new Flaky("even trial");
        return 1;
      },
      { nTrials: 6, catch: [Flaky] },
    );
    const states = (await study.trials()).map((t) => t.state);
    assert.deepEqual(states, ["FAIL", "COMPLETE", "FAIL", "COMPLETE", "FAIL", "COMPLETE"]);
    await assert.rejects(
      study.optimize(
        () => {
          throw new TypeError("not listed");
        },
        { nTrials: 2, catch: [Flaky] },
      ),
      TypeError,
    );
  });

  it("fails trials that return NaN, Infinity or no number, says what came back, and goes on", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const returns: unknown[] = [NaN, Infinity, undefined, "0.5", 0.25];
    await study.optimize((t) => returns[t.number] as number, { nTrials: returns.length });
    const trials = await study.trials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ["FAIL", "FAIL", "FAIL", "FAIL", "COMPLETE"],
    );
    assert.match(trials[0].error!, /NaN/);
    assert.match(trials[1].error!, /Infinity/);
    assert.match(trials[2].error!, /undefined/);
    assert.match(trials[3].error!, /string "0.5"/);
  });

  it("stores TrialPruned as PRUNED with the last reported value", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    await study.optimize(
      (t) => {
        t.report(0.9, 0);
        t.report(0.7, 1);
        throw new TrialPruned();
      },
      { nTrials: 1 },
    );
    const [trial] = await study.trials();
    assert.equal(trial.state, "PRUNED");
    assert.equal(trial.value, 0.7);
    assert.deepEqual(trial.intermediateValues, { 0: 0.9, 1: 0.7 });
  });

  it("calls callbacks with each finished trial and stops on study.stop()", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const seen: number[] = [];
    const result = await study.optimize((t) => t.suggestFloat("x", 0, 1), {
      nTrials: 100,
      callbacks: [
        (s, trial) => {
          seen.push(trial.number);
          if (trial.number === 4) s.stop();
        },
      ],
    });
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    assert.equal(result.stoppedBy, "stop");
  });

  it("stops starting trials when the signal aborts, recording the running one", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const controller = new AbortController();
    const result = await study.optimize(
      async (t) => {
        if (t.number === 2) controller.abort();
        await new Promise((r) => setTimeout(r, 1));
        return t.number;
      },
      { signal: controller.signal },
    );
    assert.equal(result.stoppedBy, "signal");
    assert.deepEqual(
      (await study.trials()).map((t) => t.state),
      ["COMPLETE", "COMPLETE", "COMPLETE"],
    );
  });

  it("stops after timeoutSeconds", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const result = await study.optimize(
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        return 0;
      },
      { timeoutSeconds: 0.1 },
    );
    assert.equal(result.stoppedBy, "timeout");
    assert.ok(result.trialsRun >= 1);
  });

  it("honours totalTrials across the study", async () => {
    const storage = new InMemoryStorage();
    const a = await createStudy({ storage, name: "shared" });
    await a.optimize(() => 1, { nTrials: 3 });
    const b = await createStudy({ storage, name: "shared", loadIfExists: true });
    const result = await b.optimize(() => 1, { totalTrials: 5, concurrency: 3 });
    assert.equal(result.trialsRun, 2);
    assert.equal(result.stoppedBy, "totalTrials");
    assert.equal((await b.trials()).length, 5);
  });
});

describe("ask and tell", () => {
  it("finishes trials by value, PRUNED or FAIL", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const a = await study.ask();
    const x = a.suggestFloat("x", 0, 1);
    await study.tell(a, x * 2);
    const b = await study.ask();
    b.report(3, 0);
    await study.tell(b, { state: "PRUNED" });
    const c = await study.ask();
    await study.tell(c, { state: "FAIL", error: "out of memory" });
    const trials = await study.trials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ["COMPLETE", "PRUNED", "FAIL"],
    );
    assert.equal(trials[0].value, x * 2);
    assert.equal(trials[1].value, 3);
    assert.equal(trials[2].error, "out of memory");
    assert.throws(() => a.suggestFloat("y", 0, 1), TrialFinishedError);
    await assert.rejects(study.tell(a, 1), TrialFinishedError);
  });

  it("rejects a malformed tell", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    const t = await study.ask();
    await assert.rejects(study.tell(t, { state: "DONE" } as never), (e: Error) => e instanceof ValueError && e.message.includes("DONE"));
  });
});

describe("enqueueTrial and addTrial", () => {
  it("evaluates enqueued parameters first, sampling the rest", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new RandomSampler({ seed: 9 }) });
    await study.enqueueTrial({ x: 0.5, kind: "b" });
    await study.enqueueTrial({ x: 0.25 });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat("x", 0, 1);
        t.suggestCategorical("kind", ["a", "b"]);
        return x;
      },
      { nTrials: 4 },
    );
    const trials = await study.trials();
    assert.equal(trials[0].params.x, 0.5);
    assert.equal(trials[0].params.kind, "b");
    assert.equal(trials[1].params.x, 0.25);
    assert.ok(["a", "b"].includes(trials[1].params.kind as string));
    assert.equal(trials.length, 4);
  });

  it("rejects an enqueued categorical value outside the choices", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    await study.enqueueTrial({ kind: "z" });
    await assert.rejects(
      study.optimize(
        (t) => {
          t.suggestCategorical("kind", ["a", "b"]);
          return 0;
        },
        { nTrials: 1 },
      ),
      (e: Error) => e instanceof ValueError && e.message.includes('"z"'),
    );
  });

  it("records hand-run trials with given or inferred distributions", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    await study.optimize((t) => t.suggestFloat("lr", 1e-4, 1, { log: true }), { nTrials: 2 });
    const manual = await study.addTrial({ params: { lr: 0.01 }, value: -1 });
    assert.equal(manual.state, "COMPLETE");
    assert.deepEqual(manual.distributions.lr, { name: "FloatDistribution", attributes: { low: 1e-4, high: 1, log: true, step: null } });
    const single = await study.addTrial({ params: { depth: 4, algo: "rf" }, value: 3 });
    assert.equal(single.distributions.depth.name, "IntDistribution");
    assert.equal(single.distributions.algo.name, "CategoricalDistribution");
    assert.equal((await study.best()).number, manual.number);
    await assert.rejects(
      study.addTrial({ params: { lr: 0.5 }, value: NaN }),
      (e: Error) => e instanceof ValueError && e.message.includes("NaN"),
    );
    await assert.rejects(
      study.addTrial({
        params: { lr: 5 },
        value: 1,
        distributions: { lr: { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } } },
      }),
      (e: Error) => e instanceof ValueError && e.message.includes("5"),
    );
  });
});

describe("GridSampler", () => {
  it("evaluates every point exactly once, also concurrently, then stops", async () => {
    const grid = { a: [1, 2, 3], b: ["x", "y"], c: [true] };
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GridSampler(grid, { seed: 1 }) });
    const result = await study.optimize(
      async (t) => {
        t.suggestInt("a", 1, 3);
        t.suggestCategorical("b", ["x", "y"]);
        t.suggestCategorical("c", [true, false]);
        await new Promise((r) => setTimeout(r, 1));
        return 0;
      },
      { nTrials: 100, concurrency: 4 },
    );
    assert.equal(result.stoppedBy, "exhausted");
    const points = (await study.trials()).map((t) => `${t.params.a}${t.params.b}${t.params.c}`);
    assert.equal(points.length, 6);
    assert.equal(new Set(points).size, 6);
    await assert.rejects(study.ask(), /no points left/);
  });

  it("stops at the study's budget before the grid is exhausted, and says which stopped it", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GridSampler({ a: [1, 2, 3, 4, 5] }) });
    const result = await study.optimize((t) => t.suggestInt("a", 1, 5), { totalTrials: 3 });
    assert.equal(result.stoppedBy, "totalTrials");
    assert.equal((await study.trials()).length, 3);
    assert.equal((await study.optimize((t) => t.suggestInt("a", 1, 5))).stoppedBy, "exhausted");
    assert.deepEqual((await study.trials()).map((t) => t.params.a).sort(), [1, 2, 3, 4, 5]);
  });

  it("rejects a parameter missing from the grid and an empty grid", async () => {
    assert.throws(() => new GridSampler({}), ValueError);
    assert.throws(
      () => new GridSampler({ a: [] }),
      (e: Error) => e instanceof ValueError && e.message.includes('"a"'),
    );
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GridSampler({ a: [1] }) });
    await assert.rejects(
      study.optimize((t) => t.suggestFloat("zz", 0, 1), { nTrials: 1 }),
      (e: Error) => e instanceof ValueError && e.message.includes('"zz"'),
    );
  });
});

describe("study management", () => {
  it("creates, lists, loads, groups by experiment and deletes studies", async () => {
    const storage = new InMemoryStorage();
    const rf = await createStudy({ storage, name: "rf", experiment: "iris", direction: "maximize" });
    await rf.optimize(() => 0.9, { nTrials: 2 });
    await createStudy({ storage, name: "knn", experiment: "iris" });
    await assert.rejects(createStudy({ storage, name: "rf" }), DuplicatedStudyError);
    const again = await createStudy({ storage, name: "rf", loadIfExists: true });
    assert.equal(again.direction, "maximize");
    const listed = await listStudies(storage);
    assert.deepEqual(listed.map((s) => [s.name, s.experiment]).sort(), [
      ["knn", "iris"],
      ["rf", "iris"],
    ]);
    assert.equal(listed.find((s) => s.name === "rf")!.counts.COMPLETE, 2);
    const loaded = await loadStudy({ name: "rf", storage });
    assert.equal((await loaded.trials()).length, 2);
    await deleteStudy({ name: "rf", storage });
    await assert.rejects(
      loadStudy({ name: "rf", storage }),
      (e: Error) => e instanceof NotFoundError && e.message.includes('"rf"') && e.message.includes('"knn"'),
    );
  });

  it("rejects bad options by name", async () => {
    const storage = new InMemoryStorage();
    await assert.rejects(
      createStudy({ storage, direction: "up" as never }),
      (e: Error) => e instanceof ValueError && e.message.includes('"up"'),
    );
    await assert.rejects(
      createStudy({ storage, sampeler: "random" } as never),
      (e: Error) => e instanceof ValueError && e.message.includes('"sampeler"') && e.message.includes('"sampler"'),
    );
    await assert.rejects(
      createStudy({ storage, sampler: "annealing" as never }),
      (e: Error) => e instanceof ValueError && e.message.includes('"annealing"'),
    );
    const study = await createStudy({ storage });
    await assert.rejects(
      study.optimize(() => 0, { nTrials: -1 }),
      (e: Error) => e instanceof ValueError && e.message.includes("-1"),
    );
    await assert.rejects(
      study.optimize(() => 0, { ntrials: 3 } as never),
      (e: Error) => e instanceof ValueError && e.message.includes('"nTrials"'),
    );
    await assert.rejects(study.best(), /no COMPLETE trial/);
  });

  it("keeps user attributes and rejects values that are not JSON", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    await study.optimize(
      (t) => {
        t.setUserAttr("notes", { folds: [0.9, 0.8], model: "rf" });
        return 1;
      },
      { nTrials: 1 },
    );
    assert.deepEqual((await study.trials())[0].userAttrs, { notes: { folds: [0.9, 0.8], model: "rf" } });
    const t = await study.ask();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(
      () => t.setUserAttr("bad", cyclic as never),
      (e: Error) => e instanceof ValueError && e.message.includes('"bad"'),
    );
  });
});
