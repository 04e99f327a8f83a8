/**
 * Studies with several objectives and constraints, as Optuna 3.1 writes and reads them
 * (`directions=[...]`, one `trial_values` row per objective, the `constraints` system
 * attribute): tunebook reads Optuna's, continues them, and Optuna reads what tunebook adds,
 * `best_trials` included.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { isFeasible } from "../../../core/feasibility.js";
import type { StudySummary } from "../../../core/records.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import { createStudy, loadStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { closeStorages } from "../../../tune/storage.js";
import { runWorker } from "../../../tune/worker.js";
import { skipWithoutPostgres, sqlRows, testPostgres } from "../../helpers/postgres.js";
import { optunaPeer, skipWithoutOptuna } from "./optuna-peer.js";

setVerbosity("silent");
const server = await testPostgres();
const NAME = "two objectives ✓";

const dir = mkdtempSync(join(tmpdir(), "tunebook-multi-objective-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});
const script = join(dir, "objective.mjs");
writeFileSync(
  script,
  [
    "export function objective(trial) { return [trial.suggestFloat('x', -1, 1) ** 2, trial.suggestFloat('y', 0, 1)]; }",
    "export const studyOptions = { sampler: 'random', seed: 3 };",
    "",
  ].join("\n"),
);

interface MultiDump {
  directions: string[];
  trials: { number: number; state: string; values: number[] | null; constraints: number[] | null }[];
  best_trials: number[];
  feasible_best_trials: number[];
}

function assertSummary(summary: StudySummary): void {
  assert.equal(summary.name, NAME);
  assert.deepEqual(summary.directions, ["minimize", "maximize"]);
  assert.equal(summary.direction, "minimize", "direction is the first objective's");
  assert.deepEqual([summary.bestValue, summary.bestTrialNumber], [null, null], "several objectives have no single best value");
}

/** The objective Optuna's peer runs, in tunebook, with its constraint given as a function. */
const objective = (t: { suggestFloat(name: string, low: number, high: number): number }) => [
  t.suggestFloat("x", -1, 1) ** 2,
  t.suggestFloat("y", 0, 1),
];
const xAtMostHalf = (t: { params: Record<string, unknown> }) => [(t.params.x as number) - 0.5];

describe("a constrained study with two objectives, written by Optuna and continued by tunebook (SQLite)", {
  skip: skipWithoutOptuna(),
}, () => {
  const path = join(dir, "optuna-multi.db");
  const storage = `sqlite:${path}`;
  let written: MultiDump;
  before(() => {
    written = optunaPeer<MultiDump>("write-multi-constrained", path, NAME, 6);
    assert.deepEqual(written.directions, ["MINIMIZE", "MAXIMIZE"]);
    assert.ok(
      written.trials.every((t) => Array.isArray(t.constraints)),
      "Optuna's NSGA-II stored each trial's constraints",
    );
  });

  test("tunebook reads Optuna's values and constraints, and its best trials are Optuna's feasible Pareto front", async () => {
    const reader = new SqliteStorage(path, { readOnly: true });
    try {
      const [listed] = await reader.listStudies();
      assertSummary(listed);
      const trials = await reader.getAllTrials(listed.studyId);
      assert.deepEqual(
        trials.map((t) => [t.number, t.state, t.values, t.systemAttrs.constraints]),
        written.trials.map((t) => [t.number, t.state, t.values, t.constraints]),
      );
      assert.ok(
        trials.every((t) => t.value === null),
        "a trial with two values has no single value",
      );
    } finally {
      await reader.close();
    }
    const study = await loadStudy({ name: NAME, storage, sampler: "random" });
    assert.deepEqual(
      (await study.bestTrials()).map((t) => t.number),
      written.feasible_best_trials,
    );
    await assert.rejects(study.best(), /2 objectives \(minimize, maximize\).*bestTrials\(\)/);
  });

  test("tunebook continues it with constraints; Optuna reads every value and constraint and continues it again", async () => {
    const study = await loadStudy({ name: NAME, storage, sampler: "random", seed: 5, constraints: xAtMostHalf });
    await study.optimize(objective, { nTrials: 6 });
    await closeStorages();
    const after = optunaPeer<MultiDump>("dump-multi", path, NAME);
    assert.equal(after.trials.length, 12);
    const ours = await (await loadStudy({ name: NAME, storage, sampler: "random" })).trials();
    assert.deepEqual(
      after.trials.map((t) => [t.number, t.state, t.values, t.constraints]),
      ours.map((t) => [t.number, t.state, t.values, t.systemAttrs.constraints]),
    );
    for (const t of ours.slice(6)) assert.equal(isFeasible(t), (t.params.x as number) <= 0.5, `trial ${t.number}`);
    assert.deepEqual(
      (await (await loadStudy({ name: NAME, storage, sampler: "random" })).bestTrials()).map((t) => t.number),
      after.feasible_best_trials,
    );
    await closeStorages();
    const again = optunaPeer<MultiDump>("continue-multi", path, NAME, 4);
    assert.equal(again.trials.length, 16, "Optuna's NSGA-II continues a study tunebook added to");
  });

  test("a worker joins it; an objective returning the wrong number of values fails its trial, saying what came back", async () => {
    await runWorker({ script, storage, study: NAME, totalTrials: 18 });
    const study = await loadStudy({ name: NAME, storage, sampler: "random" });
    assert.equal((await study.trials()).length, 18);
    await study.optimize(() => [1], { nTrials: 1 });
    await study.optimize(() => [1, Number.NaN], { nTrials: 1 });
    const [one, nan] = (await study.trials()).slice(-2);
    assert.equal(one.state, "FAIL");
    assert.match(one.error ?? "", /returned \[1\].*1 value for 2 objectives/);
    assert.equal(nan.state, "FAIL");
    assert.match(nan.error ?? "", /value 1 is NaN/);
  });
});

describe("a study with two objectives written by tunebook, read by Optuna (SQLite)", { skip: skipWithoutOptuna() }, () => {
  test("Optuna's best_trials equals bestTrials(), ties and all", async () => {
    const path = join(dir, "tunebook-multi.db");
    const study = await createStudy({
      name: NAME,
      storage: `sqlite:${path}`,
      directions: ["minimize", "maximize"],
      sampler: "random",
      seed: 1,
    });
    // Rounded values make ties and duplicates, which both keep on the front.
    await study.optimize((t) => [Math.round(t.suggestFloat("x", -1, 1) * 3) ** 2, Math.round(t.suggestFloat("y", 0, 1) * 3)], {
      nTrials: 25,
    });
    await study.tell(await study.ask(), [0, 3]);
    await study.tell(await study.ask(), [0, 3]);
    await study.addTrial({ params: { x: 0.1, y: 0.2 }, values: [9, 0] });
    const ours = (await study.bestTrials()).map((t) => t.number);
    await closeStorages();
    const theirs = optunaPeer<MultiDump>("dump-multi", path, NAME);
    assert.deepEqual(
      theirs.best_trials.sort((a, b) => a - b),
      ours,
    );
    assert.ok(ours.includes(25) && ours.includes(26), "equal values are all on the front");
  });
});

describe("a study with two objectives (PostgreSQL)", { skip: skipWithoutPostgres(server) }, () => {
  let url: string;
  let drop: () => Promise<void>;
  before(async () => {
    if (typeof server === "string") throw new Error(server);
    ({ url, drop } = await server.freshSchema());
    // Optuna's rows for directions=["minimize", "maximize"], written by hand (optuna-interop.test.ts runs Optuna itself on PostgreSQL).
    const storage = new PostgresStorage(url);
    const studyId = await storage.createStudy({ name: NAME, direction: "minimize" });
    await storage.close();
    await sqlRows(url, `INSERT INTO study_directions (direction, study_id, objective) VALUES ('MAXIMIZE', $1, 1)`, [studyId]);
    const [{ trial_id }] = await sqlRows<{ trial_id: number }>(
      url,
      `INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (0, $1, 'COMPLETE', LOCALTIMESTAMP, LOCALTIMESTAMP) RETURNING trial_id`,
      [studyId],
    );
    await sqlRows(
      url,
      `INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES ($1, 0, 0.5, 'FINITE'), ($1, 1, 2.5, 'FINITE')`,
      [trial_id],
    );
  });
  after(async () => {
    await closeStorages();
    await drop?.();
  });

  test("readers list it with both directions; tunebook continues it and reads every value back", async () => {
    const storage = new PostgresStorage(url);
    try {
      const [listed] = await storage.listStudies();
      assertSummary(listed);
      assert.deepEqual(
        (await storage.getAllTrials(listed.studyId)).map((t) => t.values),
        [[0.5, 2.5]],
      );
      const study = await loadStudy({ name: NAME, storage: url, sampler: "random", seed: 2, constraints: xAtMostHalf });
      await study.optimize(objective, { nTrials: 4 });
      const rows = await sqlRows<{ n: number }>(url, "SELECT COUNT(*)::int AS n FROM trial_values");
      assert.equal(rows[0].n, 10, "two values per COMPLETE trial");
      const trials = await storage.getAllTrials(listed.studyId);
      assert.ok(trials.slice(1).every((t) => t.values?.length === 2 && Array.isArray(t.systemAttrs.constraints)));
      await assert.rejects(
        storage.createTrial(listed.studyId, { state: "COMPLETE", value: 1 }),
        (e: Error) => e instanceof ValueError && /1 value .*2 objectives \(minimize, maximize\)/.test(e.message),
      );
    } finally {
      await storage.close();
    }
  });
});
