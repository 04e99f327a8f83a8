import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import type { TrialRecord } from "../../../core/records.js";
import { createStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { STOP_REASON_ATTR, type StopCriterion } from "../../../tune/stopping/index.js";
import type { Study } from "../../../tune/study.js";
import type { Trial } from "../../../tune/trial.js";

setVerbosity("silent");

const objective = (trial: Trial) => trial.suggestFloat("x", 0, 1);

describe("stop: { shouldStop(study, trials) }", () => {
  test("is asked after each finished trial with the study and all its trials, the finished one included", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 1 });
    const seen: { study: Study; states: string[] }[] = [];
    const result = await study.optimize(objective, {
      nTrials: 20,
      stop: {
        shouldStop(s, trials) {
          seen.push({ study: s, states: trials.map((t) => t.state) });
          return trials.length === 4;
        },
      },
    });
    assert.deepEqual(result, { trialsRun: 4, stoppedBy: "stopCriterion", stopReason: "the stop criterion's shouldStop returned true" });
    assert.ok(seen.every((s) => s.study === study));
    assert.deepEqual(
      seen.map((s) => s.states),
      [1, 2, 3, 4].map((n) => Array(n).fill("COMPLETE")),
    );
    assert.equal((await study.summary()).systemAttrs[STOP_REASON_ATTR], result.stopReason);
  });

  test("a string is the reason; a promise is awaited; false and an empty string go on", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 2 });
    const answers: (boolean | string)[] = [false, "", false];
    const result = await study.optimize(objective, {
      nTrials: 20,
      stop: {
        async shouldStop(_study: Study, trials: readonly TrialRecord[]) {
          await new Promise((r) => setTimeout(r, 1));
          return answers[trials.length - 1] ?? `good enough: ${trials.length} trials`;
        },
      },
    });
    assert.deepEqual(result, { trialsRun: 4, stoppedBy: "stopCriterion", stopReason: "good enough: 4 trials" });
  });

  test("a class instance with other members works, in a study with several objectives too", async () => {
    class Budget implements StopCriterion {
      calls = 0;
      constructor(private readonly limit: number) {}
      shouldStop(): string | false {
        return ++this.calls >= this.limit ? `budget of ${this.limit} spent` : false;
      }
    }
    const study = await createStudy({ storage: ":memory:", directions: ["minimize", "maximize"], sampler: "random", seed: 3 });
    const budget = new Budget(3);
    const result = await study.optimize((t) => [t.suggestFloat("x", 0, 1), 1], { nTrials: 10, stop: budget });
    assert.deepEqual(result, { trialsRun: 3, stoppedBy: "stopCriterion", stopReason: "budget of 3 spent" });
  });

  test("asked after FAIL and PRUNED trials too", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 4 });
    const result = await study.optimize(
      () => {
        throw new Error("always");
      },
      { nTrials: 10, catch: true, stop: { shouldStop: (_s, trials) => trials.length >= 2 && "two failures" } },
    );
    assert.deepEqual(result, { trialsRun: 2, stoppedBy: "stopCriterion", stopReason: "two failures" });
  });

  test("an answer that is neither a boolean nor a string, or a throw, ends the run with that error; the trial is kept", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 5 });
    await assert.rejects(
      study.optimize(objective, { nTrials: 5, stop: { shouldStop: () => 1 as unknown as boolean } }),
      (e: Error) =>
        e instanceof ValueError && /shouldStop must return true or a reason/.test(e.message) && e.message.includes("returned 1"),
    );
    const mistake = new Error("criterion broke");
    await assert.rejects(
      study.optimize(objective, {
        nTrials: 5,
        stop: {
          shouldStop() {
            throw mistake;
          },
        },
      }),
      (e) => e === mistake,
    );
    const trials = await study.trials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ["COMPLETE", "COMPLETE"],
    );
  });

  test("without stop, the result has no stopReason", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 6 });
    assert.deepEqual(await study.optimize(objective, { nTrials: 2 }), { trialsRun: 2, stoppedBy: "nTrials" });
    assert.deepEqual(await study.optimize(objective, { nTrials: 2, stop: { shouldStop: () => false } }), {
      trialsRun: 2,
      stoppedBy: "nTrials",
    });
  });
});
