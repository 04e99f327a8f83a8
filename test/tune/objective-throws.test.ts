import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createStudy, InMemoryStorage, setVerbosity, TunebookError } from "../../index.js";
import { ObjectiveError } from "../../tune/optimize.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-objective-throws-");
const fixtures = new URL("./fixtures/", import.meta.url).pathname;

const NOT_ERRORS: [string, unknown][] = [
  ["null", null],
  ["undefined", undefined],
  ["0", 0],
  ['""', ""],
  ["false", false],
  ["NaN", NaN],
  ['"boom"', "boom"],
  ['{"code":7}', { code: 7 }],
];

const throwing = (value: unknown) => () => {
  throw value;
};

describe("an objective that throws something that is not an Error", () => {
  for (const [shown, value] of NOT_ERRORS) {
    it(`throwing ${shown} stops the study with an ObjectiveError saying what was thrown`, async () => {
      const study = await createStudy({ storage: new InMemoryStorage() });
      await assert.rejects(study.optimize(throwing(value), { nTrials: 3 }), (e: unknown) => {
        assert.ok(e instanceof ObjectiveError && e instanceof TunebookError, `expected an ObjectiveError, got ${e}`);
        assert.equal(e.message, `the objective threw ${shown} (not an Error); throw an Error, e.g. throw new Error("why").`);
        assert.ok(Object.is(e.thrown, value));
        return true;
      });
      const trials = await study.trials();
      assert.equal(trials.length, 1, "the study stops at the first such trial");
      assert.equal(trials[0].state, "FAIL");
      assert.equal(
        trials[0].error,
        `ObjectiveError: the objective threw ${shown} (not an Error); throw an Error, e.g. throw new Error("why").`,
      );
    });
  }

  it("is caught by catch: true, and by a catch list naming ObjectiveError or one of its bases", async () => {
    for (const rule of [true, [ObjectiveError], [TunebookError], [Error]] as const) {
      const study = await createStudy({ storage: new InMemoryStorage() });
      const result = await study.optimize(throwing(null), { nTrials: 3, catch: rule });
      assert.equal(result.trialsRun, 3);
      assert.deepEqual(
        (await study.trials()).map((t) => t.state),
        ["FAIL", "FAIL", "FAIL"],
      );
    }
  });

  it("is not caught by a catch list of other classes", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    await assert.rejects(study.optimize(throwing(0), { nTrials: 3, catch: [TypeError] }), ObjectiveError);
    assert.equal((await study.trials()).length, 1);
  });

  // Failed trials never fill a budget: without the rule, only the time limit would end this run.
  it("stops a study run in worker processes the same way", async () => {
    const study = await createStudy({ storage: `sqlite:${join(dir(), "workers.db")}`, name: "workers", sampler: "random", seed: 1 });
    await assert.rejects(
      study.optimize(
        { module: join(fixtures, "throwing-objectives.ts"), export: "throwsNull" },
        { workers: 1, nTrials: 3, timeoutSeconds: 20 },
      ),
      (e: unknown) => {
        assert.ok(e instanceof TunebookError, `expected a TunebookError, got ${e}`);
        assert.match(e.message, /worker 0: ObjectiveError: the objective threw null \(not an Error\)/);
        return true;
      },
    );
    const trials = await study.trials();
    assert.equal(trials.length, 1);
    assert.equal(trials[0].state, "FAIL");
    assert.match(trials[0].error!, /^ObjectiveError: the objective threw null/);
  });
});
