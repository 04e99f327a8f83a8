import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { TrialPruned, ValueError } from "../../../core/errors.js";
import type { TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { openStorage } from "../../../tracker/storage/open.js";
import { createStudy, loadStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { CONVERGENCE_ATTR, type ConvergenceRecord, foldError, STOP_REASON_ATTR } from "../../../tune/stopping/index.js";
import { closeStorages } from "../../../tune/storage.js";
import type { Study } from "../../../tune/study.js";
import { flatObjective, foldScores, steepObjective } from "./helpers.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-stop-converged-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

async function convergence(study: Study): Promise<ConvergenceRecord[]> {
  return ((await study.summary()).systemAttrs[CONVERGENCE_ATTR] ?? []) as unknown as ConvergenceRecord[];
}

/** The best COMPLETE trial (first of equals) among those numbered up to `upTo`. */
function bestUpTo(trials: readonly TrialRecord[], upTo: number, direction: "minimize" | "maximize"): TrialRecord {
  const done = trials.filter((t) => t.state === "COMPLETE" && t.number <= upTo);
  return done.reduce((best, t) => ((direction === "maximize" ? t.value! > best.value! : t.value! < best.value!) ? t : best));
}

async function rejectsWith(run: Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(run, (e: Error) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e.name}: ${e.message}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `${JSON.stringify(e.message)} says ${JSON.stringify(f)}`);
    return true;
  });
}

describe('stop: "converged"', () => {
  test("a noisy, nearly constant score stops by convergence well before its budget, with the reason stored", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 3 });
    const result = await study.optimize(flatObjective(1), { nTrials: 100, stop: "converged" });
    assert.equal(result.stoppedBy, "converged");
    assert.ok(result.trialsRun >= 20 && result.trialsRun <= 40, `stopped after ${result.trialsRun} trials`);
    assert.match(result.stopReason!, /^converged: regret bound [\d.e-]+ < error [\d.e-]+ after \d+ trials$/);
    assert.ok(result.stopReason!.endsWith(`after ${result.trialsRun} trials`));
    assert.equal((await study.summary()).systemAttrs[STOP_REASON_ATTR], result.stopReason);

    const records = await convergence(study);
    assert.deepEqual(
      records.map((r) => r.trial),
      Array.from({ length: result.trialsRun - 19 }, (_, i) => 19 + i),
      "judged from the 20th COMPLETE trial on, once each",
    );
    const last = records.at(-1)!;
    assert.ok(last.regretBound! < last.error!, "the last judgement stopped it");
    assert.ok(
      records.slice(0, -1).every((r) => r.regretBound! >= r.error!),
      "no earlier one would have",
    );
    assert.ok(records.every((r) => r.regretBound! >= 0));
  });

  test("the error recorded is that of the best trial's fold scores at the time", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "minimize", sampler: "random", seed: 5 });
    const rng = new Rng(9);
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", -1, 1);
        const value = 10 * x * x;
        trial.setUserAttr("fold_scores", foldScores(value, 1e-3 * (1 + rng.random()), rng, 3 + (trial.number % 4)));
        return value;
      },
      { nTrials: 30, stop: { converged: { minTrials: 10 } } },
    );
    const trials = await study.trials();
    const records = await convergence(study);
    assert.equal(records.length, 21);
    for (const r of records) {
      const best = bestUpTo(trials, r.trial, "minimize");
      assert.equal(r.error, foldError(best.userAttrs.fold_scores as number[]), `trial ${r.trial}`);
    }
  });

  test("a steep objective measured almost exactly does not stop early", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 3 });
    const result = await study.optimize(steepObjective(2), { nTrials: 50, stop: "converged" });
    assert.deepEqual(result, { trialsRun: 50, stoppedBy: "nTrials" });
    const records = await convergence(study);
    assert.equal(records.length, 31);
    assert.ok(
      records.every((r) => r.regretBound! > 10 * r.error!),
      "the bound stays far above the error",
    );
    assert.equal((await study.summary()).systemAttrs[STOP_REASON_ATTR], undefined);
  });

  test("minTrials: judged from that many COMPLETE trials on; PRUNED and FAIL trials are neither counted nor judged", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 4 });
    const flat = flatObjective(7);
    const result = await study.optimize(
      (trial) => {
        if (trial.number === 1) throw new Error("boom");
        if (trial.number === 3) {
          trial.suggestFloat("x", 0, 1);
          trial.report(0.5, 0);
          throw new TrialPruned();
        }
        return flat(trial);
      },
      { nTrials: 12, catch: true, stop: { converged: { minTrials: 6, seed: 1 } } },
    );
    assert.ok(result.trialsRun >= 8, "a score this flat still needs six COMPLETE trials");
    const records = await convergence(study);
    // Trials 0, 2, 4, 5, 6, 7 are the first six COMPLETE ones.
    assert.equal(records[0].trial, 7);
    assert.ok(records.every((r) => r.trial !== 1 && r.trial !== 3));
  });

  test("the best trial is the best feasible one: infeasible trials need no fold scores", async () => {
    const study = await createStudy({
      storage: ":memory:",
      direction: "maximize",
      sampler: "random",
      seed: 2,
      constraints: (t) => [t.number < 3 ? 1 : -1],
    });
    const flat = flatObjective(3);
    const result = await study.optimize(
      (trial) => {
        if (trial.number >= 3) return flat(trial);
        trial.suggestFloat("x", 0, 1);
        trial.suggestFloat("y", 0, 1);
        return 100; // far better, but infeasible, and without fold scores
      },
      { nTrials: 12, stop: { converged: { minTrials: 6 } } },
    );
    assert.equal(result.trialsRun, 12);
    const records = await convergence(study);
    assert.equal(records[0].trial, 5, "judged from the sixth COMPLETE trial, feasible or not");
    const trials = await study.trials();
    for (const r of records) {
      const best = bestUpTo(trials.slice(3), r.trial, "maximize");
      assert.equal(r.error, foldError(best.userAttrs.fold_scores as number[]));
    }
  });

  test("the same seed gives the same bounds", async () => {
    const bounds = async () => {
      const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 8 });
      await study.optimize(steepObjective(3), { nTrials: 25, stop: { converged: { seed: 11 } } });
      return (await convergence(study)).map((r) => r.regretBound);
    };
    assert.deepEqual(await bounds(), await bounds());
  });

  test("with concurrency, each COMPLETE trial is judged once and the run stops", async () => {
    const study = await createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 6 });
    const flat = flatObjective(4);
    const result = await study.optimize(
      async (trial) => {
        await new Promise((r) => setTimeout(r, trial.number % 3));
        return flat(trial);
      },
      { nTrials: 100, concurrency: 4, stop: "converged" },
    );
    assert.equal(result.stoppedBy, "converged");
    assert.ok(result.trialsRun < 50);
    const judged = (await convergence(study)).map((r) => r.trial);
    assert.equal(new Set(judged).size, judged.length, "no trial judged twice");
    assert.equal((await study.trials()).filter((t) => t.state === "RUNNING").length, 0, "running trials finished and were recorded");
  });

  test("the reason and the convergence list are in the SQLite file, readable after reopening", async () => {
    const url = `sqlite:${join(dir, "converged.db")}`;
    const study = await createStudy({ storage: url, name: "flat", direction: "maximize", sampler: "random", seed: 3 });
    const result = await study.optimize(flatObjective(1), { nTrials: 100, stop: "converged" });
    assert.equal(result.stoppedBy, "converged");
    await closeStorages();

    const reopened = openStorage(url, { mustExist: true, readOnly: true });
    const summary = (await reopened.listStudies()).find((s) => s.name === "flat")!;
    assert.equal(summary.systemAttrs[STOP_REASON_ATTR], result.stopReason);
    const records = summary.systemAttrs[CONVERGENCE_ATTR] as unknown as ConvergenceRecord[];
    assert.equal(records.length, result.trialsRun - 19);
    assert.ok(records.at(-1)!.regretBound! < records.at(-1)!.error!);
    await reopened.close?.();

    // A later run appends to the list.
    const again = await loadStudy({ name: "flat", storage: url });
    await again.optimize(flatObjective(2), { nTrials: 1, stop: "converged" });
    assert.equal((await convergence(again)).length, records.length + 1);
  });
});

describe('stop: "converged" refuses, saying what to do', () => {
  test("a best trial without fold scores: at once, after the first trial, which is kept", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 1 });
    await rejectsWith(
      study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 30, stop: "converged" }),
      '"fold_scores"',
      "trial 0",
      "crossValidate",
      "{ trial }",
      'trial.setUserAttr("fold_scores", scores)',
    );
    const trials = await study.trials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ["COMPLETE"],
    );
  });

  test("fold scores that are not a list of two or more numbers", async () => {
    for (const scores of [[0.5], [0.5, "x"], "0.5,0.6"]) {
      const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 1 });
      await rejectsWith(
        study.optimize(
          (t) => {
            t.setUserAttr("fold_scores", scores);
            return t.suggestFloat("x", 0, 1);
          },
          { stop: "converged" },
        ),
        "at least two finite numbers",
        JSON.stringify(scores).slice(0, 6),
      );
    }
  });

  test("a study with several objectives, before any trial", async () => {
    const study = await createStudy({ storage: ":memory:", directions: ["minimize", "maximize"] });
    await rejectsWith(
      study.optimize(() => [1, 2], { stop: "converged" }),
      "one objective",
      "minimize, maximize",
      "shouldStop",
    );
    await rejectsWith(
      study.optimize(() => [1, 2], { stop: { noImprovementTrials: 3 } }),
      "noImprovementTrials",
      "one objective",
    );
    assert.equal((await study.trials()).length, 0);
  });

  test("an objective with no parameter to search", async () => {
    const study = await createStudy({ storage: ":memory:" });
    await rejectsWith(
      study.optimize(
        (t) => {
          t.setUserAttr("fold_scores", [1, 2, 3]);
          return 2;
        },
        { nTrials: 5, stop: { converged: { minTrials: 3 } } },
      ),
      "no parameter",
      "noImprovementTrials",
    );
  });

  test("misspelled or out-of-range options", async () => {
    const study = await createStudy({ storage: ":memory:" });
    const objective = (t: { suggestFloat(n: string, a: number, b: number): number }) => t.suggestFloat("x", 0, 1);
    const cases: [unknown, string[]][] = [
      ["convergd", ['unknown stop "convergd"', 'Did you mean "converged"?']],
      [{ converged: { minTrial: 3 } }, ['unknown option "minTrial"', 'Did you mean "minTrials"?']],
      [{ converged: { minTrials: 0 } }, ["minTrials must be an integer >= 1", "0"]],
      [{ converged: { topTrialsRatio: 1.5 } }, ["topTrialsRatio must be a number in (0, 1]", "1.5"]],
      [{ converged: { seed: -1 } }, ["seed"]],
      [{ converged: "yes" }, ["stop.converged takes true or options"]],
      [{ noImprovementTrial: 3 }, ['Did you mean "noImprovementTrials"?']],
      [{ noImprovementTrials: 0 }, ["noImprovementTrials must be an integer >= 1"]],
      [{ noImprovementTrials: 3, converged: true }, ["one criterion"]],
      [{ shouldStop: true }, ["shouldStop must be a function"]],
      [42, ["stop takes", "42"]],
    ];
    for (const [stop, fragments] of cases) {
      await rejectsWith(study.optimize(objective, { nTrials: 2, stop: stop as "converged" }), ...fragments);
    }
    assert.equal((await study.trials()).length, 0, "refused before any trial");
  });
});
