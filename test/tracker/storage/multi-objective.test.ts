/**
 * A study with several objectives, as Optuna writes it (`directions=[...]`): tunebook reads
 * it and says so, but refuses to tune it (it would append one-value trials that break
 * Optuna's `best_trials`), writing nothing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { StorageError, ValueError } from "../../../core/errors.js";
import type { StudySummary } from "../../../core/records.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import { OPTUNA_TABLES } from "../../../tracker/storage/schema.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import type { Storage } from "../../../tracker/storage/storage.js";
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
writeFileSync(script, "export function objective(trial) { return trial.suggestFloat('x', -1, 1) ** 2; }\n");

interface MultiDump {
  directions: string[];
  trials: { number: number; state: string; values: number[] | null }[];
  best_trials: number[];
}

/** Every row of Optuna's tables in an SQLite file, read without tunebook. */
function sqliteRows(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(OPTUNA_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()]));
  } finally {
    db.close();
  }
}

async function postgresRows(url: string): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const t of OPTUNA_TABLES) rows[t] = await sqlRows(url, `SELECT * FROM ${t} ORDER BY 1`);
  return rows;
}

/** The ways to tune a study by name: each must refuse a study with more than one objective. */
function tuningAttempts(storage: string): [string, () => Promise<unknown>][] {
  return [
    ["loadStudy", () => loadStudy({ name: NAME, storage })],
    ["createStudy({ loadIfExists })", () => createStudy({ name: NAME, storage, loadIfExists: true })],
    [
      "createStudy({ loadIfExists, direction, experiment })",
      () => createStudy({ name: NAME, storage, loadIfExists: true, direction: "minimize", experiment: "new experiment" }),
    ],
    ["a worker joining it", () => runWorker({ script, storage, study: NAME, totalTrials: 3 })],
  ];
}

function isRefusal(e: Error): boolean {
  assert.ok(e instanceof ValueError, `expected a ValueError, got ${e.name}: ${e.message}`);
  assert.ok(e.message.includes(JSON.stringify(NAME)), e.message);
  assert.match(e.message, /has 2 objectives \(minimize, maximize\)/);
  assert.match(e.message, /cannot tune/);
  return true;
}

function assertSummary(summary: StudySummary): void {
  assert.equal(summary.name, NAME);
  assert.deepEqual(summary.directions, ["minimize", "maximize"]);
  assert.equal(summary.direction, "minimize", "direction is the first objective's");
  assert.deepEqual([summary.bestValue, summary.bestTrialNumber], [null, null], "several objectives have no single best value");
}

/** The storage itself never adds a trial with one value to such a study. */
async function assertStorageRefusesTrials(storage: Storage, studyId: number): Promise<void> {
  const refusal = (e: Error) => e instanceof StorageError && e.message.includes(JSON.stringify(NAME)) && /2 objectives/.test(e.message);
  await assert.rejects(storage.createTrial(studyId), refusal);
  await assert.rejects(storage.createTrial(studyId, { state: "COMPLETE", value: 1 }), refusal);
  await assert.rejects(storage.claimWaitingTrial(studyId), refusal);
}

describe("a study with two objectives that Optuna wrote (SQLite)", { skip: skipWithoutOptuna() }, () => {
  const path = join(dir, "optuna-multi.db");
  let written: MultiDump;
  before(() => {
    written = optunaPeer<MultiDump>("write-multi", path, NAME, 4);
    assert.deepEqual(written.directions, ["MINIMIZE", "MAXIMIZE"]);
  });

  test("readers list it with both directions, the first as its direction, and no single best value", async () => {
    const storage = new SqliteStorage(path);
    try {
      const [listed] = await storage.listStudies();
      assertSummary(listed);
      assert.equal(listed.counts.COMPLETE, 4);
      assertSummary(await storage.getStudy(listed.studyId));
      assert.equal((await storage.getAllTrials(listed.studyId)).length, 4);
    } finally {
      await storage.close();
    }
  });

  test("loadStudy, createStudy({ loadIfExists }) and a worker refuse it, naming it and its objectives; nothing is written", async () => {
    const rows = sqliteRows(path);
    for (const [what, attempt] of tuningAttempts(`sqlite:${path}`)) await assert.rejects(attempt(), isRefusal, what);
    await closeStorages();
    assert.deepEqual(sqliteRows(path), rows);
    assert.deepEqual(optunaPeer<MultiDump>("dump-multi", path, NAME), written, "Optuna still reads it, best_trials included");
  });

  test("the storage refuses to add a one-value trial to it", async () => {
    const rows = sqliteRows(path);
    const storage = new SqliteStorage(path);
    try {
      await assertStorageRefusesTrials(storage, await storage.getStudyIdByName(NAME));
    } finally {
      await storage.close();
    }
    assert.deepEqual(sqliteRows(path), rows);
  });
});

describe("a study with two objectives (PostgreSQL)", { skip: skipWithoutPostgres(server) }, () => {
  let url: string;
  let drop: () => Promise<void>;
  before(async () => {
    if (typeof server === "string") throw new Error(server);
    ({ url, drop } = await server.freshSchema());
    // Optuna cannot reach PostgreSQL here (no psycopg2): its rows for directions=["minimize", "maximize"], written by hand.
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

  test("readers list it with both directions; tuning it is refused and writes nothing", async () => {
    const storage = new PostgresStorage(url);
    try {
      const [listed] = await storage.listStudies();
      assertSummary(listed);
      const rows = await postgresRows(url);
      for (const [what, attempt] of tuningAttempts(url)) await assert.rejects(attempt(), isRefusal, what);
      await assertStorageRefusesTrials(storage, listed.studyId);
      await closeStorages();
      assert.deepEqual(await postgresRows(url), rows);
    } finally {
      await storage.close();
    }
  });
});
