/**
 * Interop with Optuna 3.1 (Debian's python3-optuna through /usr/bin/python3): Optuna reads
 * what tunebook writes, and tunebook reads and continues what Optuna writes, on one SQLite
 * file and on one PostgreSQL schema (Optuna through psycopg2).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { DistributionJson, JsonValue, TrialRecord } from "../../../core/records.js";
import { parseDatetime } from "../../../tracker/storage/optuna-encoding.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, testPostgres } from "../../helpers/postgres.js";
import { optunaPeerAt, optunaPostgresUrl, skipWithoutOptuna, skipWithoutOptunaOnPostgres } from "./optuna-peer.js";

interface PeerTrial {
  number: number;
  state: string;
  params: Record<string, JsonValue>;
  distributions: Record<string, { name: string; attributes: Record<string, JsonValue> }>;
  value: number | string | null;
  intermediate_values: Record<string, number | string>;
  user_attrs: Record<string, JsonValue>;
  system_attrs: Record<string, JsonValue>;
  datetime_start: string | null;
  datetime_complete: string | null;
}
interface PeerStudy {
  direction: string;
  user_attrs: Record<string, JsonValue>;
  trials: PeerTrial[];
}

/** Python's view of a number, as the peer prints it. */
const py = (v: number | null): number | string | null =>
  v === null ? null : Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : v;
const time = (d: Date | null) => d?.getTime() ?? null;
const peerTime = (s: string | null) => parseDatetime(s)?.getTime() ?? null;
/** Optuna's distribution JSON with our field set (Optuna writes floats as floats; JSON makes them equal). */
const distribution = (d: { name: string; attributes: Record<string, JsonValue> }) => d as unknown as DistributionJson;

/** Every field Optuna exposes, compared with tunebook's record of the same trial. */
function assertSameTrial(ours: TrialRecord, theirs: PeerTrial): void {
  const where = `trial ${ours.number}`;
  assert.equal(theirs.number, ours.number, where);
  assert.equal(theirs.state, ours.state, where);
  assert.deepEqual(theirs.params, ours.params, where);
  assert.deepEqual(
    Object.fromEntries(Object.entries(theirs.distributions).map(([k, d]) => [k, distribution(d)])),
    ours.distributions,
    where,
  );
  assert.deepEqual(theirs.value, py(ours.value), where);
  assert.deepEqual(
    theirs.intermediate_values,
    Object.fromEntries(Object.entries(ours.intermediateValues).map(([k, v]) => [k, py(v)])),
    where,
  );
  assert.deepEqual(theirs.user_attrs, ours.userAttrs, where);
  assert.deepEqual(theirs.system_attrs, ours.systemAttrs, where);
  assert.equal(peerTime(theirs.datetime_start), time(ours.datetimeStart), where);
  assert.equal(peerTime(theirs.datetime_complete), time(ours.datetimeComplete), where);
}

const dir = mkdtempSync(join(tmpdir(), "tunebook-optuna-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const LOG_FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: 1e-5, high: 1, log: true, step: null } };
const STEP_FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: 0.1 } };
const STEP_INT: DistributionJson = { name: "IntDistribution", attributes: { low: 0, high: 30, log: false, step: 3 } };
const LOG_INT: DistributionJson = { name: "IntDistribution", attributes: { low: 1, high: 4096, log: true, step: 1 } };
const CHOICES: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["sgd", null, true, 4, 0.5, "ünï"] } };

/** A database both sides reach: a new connection of tunebook's, Optuna's URL for it, and how to remove it. */
interface SharedDatabase {
  open(): Storage;
  optunaUrl: string;
  remove(): Promise<void>;
}

function interop(backend: string, fresh: (name: string) => Promise<SharedDatabase>, skip: string | false): void {
  describe(`Optuna 3.1 interop on ${backend}`, { skip }, () => {
    const databases: SharedDatabase[] = [];
    after(async () => {
      for (const database of databases) await database.remove();
    });
    const shared = async (name: string) => {
      const database = await fresh(name);
      databases.push(database);
      return database;
    };
    const peer = <T>(database: SharedDatabase, command: string, study: string, n?: number) =>
      optunaPeerAt<T>(command, database.optunaUrl, study, n);

    test("Optuna loads a study tunebook wrote: numbers, states, params, values, intermediate values, attributes", async () => {
      const database = await shared("tunebook-wrote");
      const storage = database.open();
      const studyId = await storage.createStudy({ name: "written by tunebook ✓", direction: "maximize", experiment: "interop" });
      await storage.setStudyUserAttr(studyId, "dataset", { name: "wine", classes: [0, 1, 2] });
      const choices = ["sgd", null, true, 4, 0.5, "ünï"] as const;
      for (let i = 0; i < 8; i++) {
        const t = (await storage.createTrial(studyId))!;
        await storage.setTrialParam(t.trialId, "lr", 1e-5 * 1e5 ** (i / 8), LOG_FLOAT);
        await storage.setTrialParam(t.trialId, "dropout", Math.round(i * 1.3) / 10, STEP_FLOAT);
        await storage.setTrialParam(t.trialId, "depth", (i * 3) % 33, STEP_INT);
        await storage.setTrialParam(t.trialId, "units", 2 ** i, LOG_INT);
        await storage.setTrialParam(t.trialId, "opt", choices[i % choices.length], CHOICES);
        for (let step = 0; step < 3; step++)
          await storage.setTrialIntermediateValue(t.trialId, step * 10, [0.5 + i, NaN, Infinity, -Infinity][(i + step) % 4]);
        await storage.setTrialUserAttr(t.trialId, "folds", { scores: [i / 10, 1 - i / 10], note: "naïve" });
        if (i === 3) await storage.finishTrial(t.trialId, "FAIL", null, "RangeError: objective exploded");
        else if (i === 5) await storage.finishTrial(t.trialId, "PRUNED", null);
        else if (i === 7)
          continue; // left RUNNING
        else await storage.finishTrial(t.trialId, "COMPLETE", [i === 6 ? -Infinity : i * 1.5 - 2]);
      }
      await storage.createTrial(studyId, { state: "WAITING", systemAttrs: { fixed_params: { lr: 0.001 } } });
      const ours = await storage.getAllTrials(studyId);
      await storage.close();

      const theirs = peer<PeerStudy>(database, "dump", "written by tunebook ✓");
      assert.equal(theirs.direction, "MAXIMIZE");
      assert.deepEqual(theirs.user_attrs, { dataset: { name: "wine", classes: [0, 1, 2] } });
      assert.equal(theirs.trials.length, ours.length);
      ours.forEach((t, i) => {
        assertSameTrial(t, theirs.trials[i]);
      });
      assert.deepEqual(
        theirs.trials.map((t) => t.state),
        ["COMPLETE", "COMPLETE", "COMPLETE", "FAIL", "COMPLETE", "PRUNED", "COMPLETE", "RUNNING", "WAITING"],
      );
      assert.equal(theirs.trials[3].system_attrs.fail_reason, "RangeError: objective exploded");

      const summaries = peer<
        { name: string; direction: string; n_trials: number; best_value: number | string | null; best_number: number | null }[]
      >(database, "summaries", "");
      assert.deepEqual(
        summaries.map((s) => [s.name, s.direction, s.n_trials, s.best_value, s.best_number]),
        [["written by tunebook ✓", "MAXIMIZE", 9, 4, 4]],
      );
    });

    test("tunebook loads and continues a study Optuna wrote, and Optuna reads the continued study back", async () => {
      const database = await shared("optuna-wrote");
      const written = peer<PeerStudy>(database, "write", "written by optuna", 6);
      assert.deepEqual(
        written.trials.map((t) => t.state),
        ["COMPLETE", "COMPLETE", "FAIL", "PRUNED", "COMPLETE", "COMPLETE", "WAITING"],
      );

      const storage = database.open();
      const studyId = await storage.getStudyIdByName("written by optuna");
      const summary = await storage.getStudy(studyId);
      assert.equal(summary.direction, "minimize");
      assert.deepEqual(summary.userAttrs, { written_by: "optuna" });
      const read = await storage.getAllTrials(studyId);
      assert.equal(read.length, written.trials.length);
      read.forEach((t, i) => {
        assertSameTrial(t, written.trials[i]);
      });
      const completed = read.filter((t) => t.state === "COMPLETE");
      assert.equal(summary.bestValue, Math.min(...completed.map((t) => t.value!)));

      // Continue with tunebook: two new trials with the study's own distributions.
      const distributions = read[0].distributions;
      const added: TrialRecord[] = [];
      for (const [x, act] of [
        [0.25, null],
        [-1.5, "relu"],
      ] as const) {
        const t = (await storage.createTrial(studyId))!;
        const params = { x, lr: 0.05, q: 1.5, n: 11, units: 32, act };
        for (const [name, value] of Object.entries(params)) await storage.setTrialParam(t.trialId, name, value, distributions[name]);
        await storage.setTrialIntermediateValue(t.trialId, 0, x);
        await storage.setTrialUserAttr(t.trialId, "by", "tunebook");
        await storage.finishTrial(t.trialId, "COMPLETE", [x * x + 0.05 + 1.5 + 11 + 0.032 + (act === null ? 0 : 1)]);
        added.push(await storage.getTrial(t.trialId));
      }
      assert.deepEqual(
        added.map((t) => t.number),
        [7, 8],
      );
      // A trial enqueued by tunebook, for Optuna to pick up with its fixed params.
      await storage.createTrial(studyId, {
        state: "WAITING",
        systemAttrs: { fixed_params: { x: -0.5, lr: 0.002, q: 0.5, n: 14, units: 100, act: false } },
      });
      await storage.close();

      // Optuna runs three more: its own enqueued trial (6), then ours (9), then a sampled one (10).
      const continued = peer<PeerStudy>(database, "continue", "written by optuna", 3);
      assert.deepEqual(
        continued.trials.map((t) => t.number),
        [...Array(11).keys()],
      );
      added.forEach((t) => {
        assertSameTrial(t, continued.trials[t.number]);
      });
      assert.deepEqual(continued.trials[6].params, { x: 1.5, lr: 0.01, q: 1.0, n: 5, units: 64, act: "relu" });
      assert.deepEqual(continued.trials[9].params, { x: -0.5, lr: 0.002, q: 0.5, n: 14, units: 100, act: false });
      assert.deepEqual(
        continued.trials.slice(6).map((t) => t.state),
        ["COMPLETE", "COMPLETE", "COMPLETE", "COMPLETE", "COMPLETE"],
      );

      // And tunebook sees what Optuna added.
      const again = database.open();
      const all = await again.getAllTrials(studyId);
      all.forEach((t, i) => {
        assertSameTrial(t, continued.trials[i]);
      });
      // The study aggregates, kept by triggers while Optuna wrote, agree with its trials.
      const summaryNow = await again.getStudy(studyId);
      const complete = all.filter((t) => t.state === "COMPLETE");
      assert.deepEqual(summaryNow.counts, { RUNNING: 0, COMPLETE: complete.length, PRUNED: 1, FAIL: 1, WAITING: 0 });
      assert.equal(summaryNow.bestValue, Math.min(...complete.map((t) => t.value!)));
      assert.equal(summaryNow.lastActivity?.getTime(), Math.max(...all.map((t) => t.datetimeComplete?.getTime() ?? 0)));
      await again.close();
    });
  });
}

interop(
  "SQLite",
  async (name) => {
    const path = join(dir, `${name}.db`);
    return { open: () => new SqliteStorage(path), optunaUrl: `sqlite:///${path}`, remove: async () => {} };
  },
  skipWithoutOptuna(),
);

const postgres = await testPostgres();
interop(
  "PostgreSQL",
  async () => {
    if (typeof postgres === "string") throw new Error(postgres);
    const { url, drop } = await postgres.freshSchema();
    return { open: () => new PostgresStorage(url), optunaUrl: optunaPostgresUrl(url), remove: drop };
  },
  skipWithoutPostgres(postgres) || skipWithoutOptunaOnPostgres(),
);
