import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { TrialPruned } from "../../../core/errors.js";
import type { StudyDirection } from "../../../core/records.js";
import { createStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { STOP_REASON_ATTR, stagnation } from "../../../tune/stopping/index.js";
import { closeStorages } from "../../../tune/storage.js";
import type { Trial } from "../../../tune/trial.js";

setVerbosity("silent");
const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-stop-stagnation-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

/** An objective that returns `values[trial.number]`; "fail" and "prune" end the trial so instead. */
function sequence(values: readonly (number | "fail" | "prune")[]): (trial: Trial) => number {
  return (trial) => {
    trial.suggestFloat("x", 0, 1);
    const v = values[trial.number];
    if (v === "fail") throw new Error("planned failure");
    if (v === "prune") throw new TrialPruned();
    return v as number;
  };
}

async function run(direction: StudyDirection, values: readonly (number | "fail" | "prune")[], n: number) {
  const study = await createStudy({ storage: ":memory:", direction, sampler: "random", seed: 1 });
  const result = await study.optimize(sequence(values), { nTrials: values.length, catch: true, stop: { noImprovementTrials: n } });
  return { study, result };
}

describe("stop: { noImprovementTrials }", () => {
  test("stops once n COMPLETE trials in a row have not beaten the best; an equal value is no improvement", async () => {
    //                    0  1  2  3  4  5    6  7  8  9
    const values = [5, 4, 4, 6, 3, 3.5, 7, 8, 1, 1];
    const { study, result } = await run("minimize", values, 3);
    // After trial 4 (value 3): trials 5, 6, 7 do not improve; it stops after trial 7.
    assert.equal(result.trialsRun, 8);
    assert.equal(result.stoppedBy, "noImprovement");
    assert.equal(result.stopReason, "no improvement in 3 trials since the best (trial 4, value 3)");
    assert.equal((await study.summary()).systemAttrs[STOP_REASON_ATTR], result.stopReason);
  });

  test("with n = 2 the tie at trial 2 and trial 3 end it; maximising turns the sequence around", async () => {
    const values = [5, 4, 4, 6, 3, 3.5, 7, 8, 1, 1];
    assert.equal((await run("minimize", values, 2)).result.trialsRun, 4);
    // Maximising: 5, then 6 at trial 3, 7 at 6, 8 at 7: never three in a row without improvement,
    assert.deepEqual((await run("maximize", values, 3)).result, { trialsRun: 10, stoppedBy: "nTrials" });
    // but two (trials 1 and 2) right at the start.
    assert.deepEqual((await run("maximize", values, 2)).result, {
      trialsRun: 3,
      stoppedBy: "noImprovement",
      stopReason: "no improvement in 2 trials since the best (trial 0, value 5)",
    });
  });

  test("FAIL and PRUNED trials neither count nor reset the count", async () => {
    const values = [2, "fail", 3, "prune", 4, "fail", 5, 1, 6] as const;
    const { result } = await run("minimize", values, 3);
    // Trials 2, 4, 6 are the three COMPLETE ones after the best (trial 0).
    assert.equal(result.trialsRun, 7);
    assert.equal(result.stopReason, "no improvement in 3 trials since the best (trial 0, value 2)");
  });

  test("trials of earlier runs count: a continued study that has stagnated stops after its next trial", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 2 });
    await study.optimize(sequence([1, 2, 3, 4]), { nTrials: 4 });
    const result = await study.optimize(sequence([1, 2, 3, 4, 5, 6]), { nTrials: 2, stop: { noImprovementTrials: 3 } });
    assert.deepEqual(result, {
      trialsRun: 1,
      stoppedBy: "noImprovement",
      stopReason: "no improvement in 4 trials since the best (trial 0, value 1)",
    });
  });

  test("stagnation counts as Optuna's BestValueStagnationEvaluator: COMPLETE trials after the best", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 3 });
    const values = [0.1, 0.3, 0.2, 0.3, 0.5, 0.4, 0.45, "fail", 0.2] as const;
    await study.optimize(sequence(values), { nTrials: values.length, catch: true });
    const trials = await study.trials();
    // Optuna: current_step − best_step over COMPLETE trials, the best being the first of equals.
    const complete = values.filter((v) => typeof v === "number") as number[];
    const bestStep = complete.indexOf(Math.max(...complete));
    assert.deepEqual(stagnation(trials, "maximize"), { since: complete.length - 1 - bestStep, best: { number: 4, value: 0.5 } });
    assert.equal(stagnation([], "maximize"), null);
  });

  test("with worker processes, the parent judges each trial and tells the workers to stop", async () => {
    const url = `sqlite:${join(dir, "workers.db")}`;
    const study = await createStudy({ storage: url, name: "flat", sampler: "random", seed: 1 });
    const result = await study.optimize(
      { module: join(fixtures, "objectives.ts"), export: "constant" },
      { workers: 2, nTrials: 60, stop: { noImprovementTrials: 4 } },
    );
    assert.equal(result.stoppedBy, "noImprovement");
    assert.ok(result.trialsRun >= 5 && result.trialsRun < 60, `ran ${result.trialsRun}`);
    assert.match(result.stopReason!, /^no improvement in \d+ trials since the best \(trial 0, value 1\)$/);
    assert.equal((await study.summary()).systemAttrs[STOP_REASON_ATTR], result.stopReason);
  });
});
