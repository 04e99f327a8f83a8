import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { type MimeBundle, setPublisher } from "../../kernel/display/output.js";
import { formatValue } from "../../kernel/display/table.js";
import { requestInterrupt, takeCellInterrupted } from "../../kernel/interrupt.js";
import { studies, TrialFailedError, tune } from "../../kernel/notebook-tune.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";

interface Sent {
  bundle: MimeBundle;
  displayId?: string;
  update: boolean;
}

let sent: Sent[] = [];
beforeEach(() => {
  sent = [];
  setPublisher((bundle, { displayId, update }) => sent.push({ bundle, displayId, update }));
});
afterEach(() => setPublisher(null));

const text = (s: Sent) => s.bundle["text/plain"];

describe("tune", () => {
  it("runs the study, updates one progress output in place and shows the best trial", async () => {
    const storage = new InMemoryStorage();
    const study = await tune(async (trial) => (trial.suggestFloat("x", -2, 2) - 0.5) ** 2, { study: "quad", trials: 6, storage, seed: 3 });
    assert.equal(studies.quad, study);
    assert.equal((globalThis as { studies?: unknown }).studies, studies);
    const trials = await study.trials();
    assert.equal(trials.length, 6);
    assert.ok(trials.every((t) => t.state === "COMPLETE"));

    const progress = sent.filter((s) => s.displayId !== undefined);
    assert.ok(progress.length >= 2);
    assert.ok(
      progress.every((s) => s.displayId === progress[0].displayId),
      "one display id",
    );
    assert.deepEqual(
      progress.map((s) => s.update),
      [false, ...progress.slice(1).map(() => true)],
    );
    const best = await study.best();
    assert.match(
      text(progress.at(-1)!),
      new RegExp(`^Study quad: 6/6 trials · best ${formatValue(best.value).replace(/[.+]/g, "\\$&")} \\(trial ${best.number}, minimize\\)`),
    );
    assert.match(text(progress.at(-1)!), /finished after/);

    const summary = sent.filter((s) => s.displayId === undefined);
    assert.equal(summary.length >= 1, true);
    assert.match(text(summary[0]), /Study quad \(minimize\): 6 trials — 6 complete/);
    assert.match(text(summary[0]), new RegExp(`best trial\\s+${best.number}\\b`));
    assert.match(summary[0].bundle["text/html"] as string, /<table/);
    const history = summary[1].bundle["application/vnd.vegalite.v5+json"] as {
      title: string;
      data: { values: { number: number; value: number }[] };
    };
    assert.equal(history.title, "Optimization history — quad");
    assert.deepEqual(
      history.data.values.map((r) => r.value),
      trials.map((t) => t.value),
    );
    assert.match(summary[1].bundle["image/svg+xml"] as string, /^<svg/);
  });

  it("continues a study of the same name in the same storage", async () => {
    const storage = new InMemoryStorage();
    await tune((trial) => trial.suggestInt("n", 0, 9), { study: "again", trials: 2, storage, display: false });
    const study = await tune((trial) => trial.suggestInt("n", 0, 9), { study: "again", trials: 3, storage, display: false });
    assert.equal((await study.trials()).length, 5);
    assert.equal(sent.length, 0, "display: false shows nothing");
  });

  it("stops at a failing objective: the trial is FAIL and the error names it", async () => {
    const storage = new InMemoryStorage();
    await assert.rejects(
      tune(
        (trial) => {
          if (trial.number === 2) throw new RangeError("depth out of range");
          return 1;
        },
        { study: "boom", trials: 5, storage },
      ),
      (error: unknown) => {
        assert.ok(error instanceof TrialFailedError);
        assert.equal(error.trialNumber, 2);
        assert.match(error.message, /^Trial 2 of study "boom" failed: RangeError: depth out of range\. It is recorded as FAIL/);
        assert.equal(Object.keys(error).includes("trialNumber"), false, "the number does not print after the message");
        return true;
      },
    );
    const trials = await studies.boom.trials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ["COMPLETE", "COMPLETE", "FAIL"],
    );
    assert.equal(trials[2].error, "RangeError: depth out of range");
    assert.match(
      text(sent.filter((s) => s.displayId).at(-1)!),
      /3\/5 trials \(1 fail\)[^\n]*failed after[^\n]*\nStopped: trial 2 of study "boom" failed/,
    );
  });

  it("stops at an objective that throws something that is not an Error, saying what it threw", async () => {
    await assert.rejects(
      tune(
        () => {
          throw null;
        },
        { study: "threw-null", trials: 3, storage: new InMemoryStorage(), display: false },
      ),
      (error: unknown) => {
        assert.ok(error instanceof TrialFailedError);
        assert.match(error.message, /^Trial 0 of study "threw-null" failed: ObjectiveError: the objective threw null \(not an Error\)/);
        return true;
      },
    );
    assert.deepEqual(
      (await studies["threw-null"].trials()).map((t) => t.state),
      ["FAIL"],
    );
  });

  it("goes on past failing trials with catch: true", async () => {
    const study = await tune(
      (trial) => {
        if (trial.number % 2 === 1) throw new Error("odd");
        return trial.number;
      },
      { study: "caught", trials: 4, storage: new InMemoryStorage(), catch: true, display: false },
    );
    assert.deepEqual(
      (await study.trials()).map((t) => t.state),
      ["COMPLETE", "FAIL", "COMPLETE", "FAIL"],
    );
  });

  it("stops gently on a kernel interrupt: running trials are recorded, the run says how many finished", async () => {
    takeCellInterrupted();
    const study = await tune(
      async (trial) => {
        if (trial.number === 2) requestInterrupt();
        await new Promise((resolve) => setImmediate(resolve));
        return trial.number;
      },
      { study: "stopped", trials: 50, storage: new InMemoryStorage() },
    );
    const trials = await study.trials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ["COMPLETE", "COMPLETE", "COMPLETE"],
    );
    assert.equal(takeCellInterrupted(), true);
    assert.equal(takeCellInterrupted(), false, "the flag is taken once");
    assert.match(
      text(sent.filter((s) => s.displayId).at(-1)!),
      /\nInterrupted: 3 trials finished of 50 planned; they are saved in :memory:\.$/,
    );
  });

  it("stops on its own signal, with concurrent trials all recorded", async () => {
    const controller = new AbortController();
    const study = await tune(
      async (trial) => {
        if (trial.number === 3) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return trial.number;
      },
      { study: "signal", trials: 40, concurrency: 3, storage: new InMemoryStorage(), signal: controller.signal, display: false },
    );
    const trials = await study.trials();
    assert.ok(trials.length >= 4 && trials.length < 40);
    assert.ok(
      trials.every((t) => t.state === "COMPLETE"),
      "no RUNNING trial is left behind",
    );
  });

  it("checks its options", async () => {
    await assert.rejects(
      tune((t) => t.number, { trails: 3 } as never),
      /tune: unknown option "trails"\. Did you mean "trials"\?/,
    );
    await assert.rejects(tune("x" as never), /the objective must be a function/);
  });

  it("refuses a seed that is not an integer from 0 to 2^32 - 1 before creating the study", async () => {
    const storage = new InMemoryStorage();
    for (const [seed, shown] of [
      [1.5, "1.5"],
      [-1, "-1"],
      [NaN, "NaN"],
      ["abc", '"abc"'],
      [2 ** 32, "4294967296"],
    ] as const) {
      await assert.rejects(
        tune((t) => t.number, { study: "seeded", storage, seed: seed as number, display: false }),
        (e: unknown) => {
          assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
          assert.match(e.message, new RegExp(`^tune: seed must be an integer from 0 to 4294967295, got ${shown.replace(/[.]/g, "\\.")}`));
          return true;
        },
      );
    }
    assert.deepEqual(await storage.listStudies(), []);
  });
});

describe("tune with several objectives", () => {
  it("runs an objective that returns one number per objective; the study's best trials are its Pareto front", async () => {
    const study = await tune(
      (trial) => {
        const trees = trial.suggestInt("trees", 1, 100);
        trial.setConstraint("latency", trees - 80);
        return [1 - 1 / (trees + 1), trees];
      },
      { study: "front", directions: ["maximize", "minimize"], sampler: "random", seed: 4, trials: 8, storage: new InMemoryStorage() },
    );
    assert.equal(studies.front, study);
    assert.deepEqual(study.directions, ["maximize", "minimize"]);
    const trials = await study.trials();
    assert.equal(trials.length, 8);
    for (const t of trials) assert.deepEqual(t.values, [1 - 1 / ((t.params.trees as number) + 1), t.params.trees]);
    // Accuracy rises with size here, so every feasible trial is on the front, and no infeasible one.
    assert.deepEqual(
      (await study.bestTrials()).map((t) => t.number),
      trials.filter((t) => (t.params.trees as number) <= 80).map((t) => t.number),
    );
    assert.match(text(sent.filter((s) => s.displayId).at(-1)!), /^Study front: 8\/8 trials/);
  });

  it("refuses bad directions before creating the study, naming the value", async () => {
    const storage = new InMemoryStorage();
    await assert.rejects(
      tune(() => [1, 2], { study: "bad", directions: ["maximize", "up"] as never, storage, sampler: "random", display: false }),
      (e: unknown) => e instanceof ValueError && /^tune: directions\[1\] must be "minimize" or "maximize", got "up"\./.test(e.message),
    );
    await assert.rejects(
      tune(() => [1, 2], { study: "bad", direction: "maximize", directions: ["maximize", "minimize"], storage, display: false }),
      /^ValueError: tune: Give direction \(one objective\) or directions \(one per objective\), not both/,
    );
    assert.deepEqual(await storage.listStudies(), []);
  });
});
