import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { isFeasible } from "../../../core/feasibility.js";
import { type StudyDirection, SYSTEM_ATTR, TRIAL_STATES, type TrialRecord, type TrialState } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { parseDatetime } from "../../../tracker/storage/optuna-encoding.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import type { StatsRow } from "../../../tracker/storage/sql/aggregates.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import type { FinishedState, Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, sqlRows, testPostgres } from "../../helpers/postgres.js";
import { optunaPeer, skipWithoutOptuna } from "./optuna-peer.js";

/**
 * The study aggregates (`tunebook_study_stats`, kept by triggers) against a full recount of
 * the trials, after random sequences of writes; and with Optuna on the other side of the file.
 */

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempPath(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tunebook-aggregates-"));
  dirs.push(dir);
  return join(dir, name);
}

interface Recount {
  counts: Record<TrialState, number>;
  bestNumber: number | null;
  /** The best by value alone, feasible or not (what the triggers keep). */
  bestAnyNumber: number | null;
  constrained: boolean;
  first: number | null;
  last: number | null;
}

/** What a study's summary must say, computed from every trial. */
function recount(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): Recount {
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  let first: number | null = null;
  let last: number | null = null;
  let constrained = false;
  for (const t of trials) {
    counts[t.state]++;
    for (const d of [t.datetimeStart, t.datetimeComplete]) {
      if (!d) continue;
      first = first === null ? d.getTime() : Math.min(first, d.getTime());
      last = last === null ? d.getTime() : Math.max(last, d.getTime());
    }
    if (Object.hasOwn(t.systemAttrs, SYSTEM_ATTR.constraints)) constrained = true;
  }
  const sign = directions[0] === "maximize" ? -1 : 1;
  const bestOf = (feasibleOnly: boolean) => {
    let best: TrialRecord | null = null;
    for (const t of trials) {
      if (t.state !== "COMPLETE" || t.values === null || (feasibleOnly && !isFeasible(t))) continue;
      if (best === null || sign * t.values[0] < sign * best.values![0]) best = t;
    }
    return best?.number ?? null;
  };
  return { counts, bestNumber: bestOf(true), bestAnyNumber: bestOf(false), constrained, first, last };
}

/** Every study's summary (listStudies and getStudy) equals the recount. */
async function checkSummaries(storage: Storage): Promise<void> {
  const listed = await storage.listStudies();
  for (const summary of listed) {
    const trials = await storage.getAllTrials(summary.studyId);
    const expected = recount(trials, summary.directions);
    const one = await storage.getStudy(summary.studyId);
    for (const s of [summary, one]) {
      assert.deepEqual(s.counts, expected.counts, `counts of ${s.name}`);
      assert.equal(s.datetimeStart?.getTime() ?? null, expected.first, `first time of ${s.name}`);
      assert.equal(s.lastActivity?.getTime() ?? null, expected.last, `last activity of ${s.name}`);
      const best = s.directions.length > 1 ? null : expected.bestNumber;
      assert.equal(s.bestTrialNumber, best, `best trial of ${s.name}`);
      if (best !== null) assert.equal(s.bestValue, trials.find((t) => t.number === best)!.values![0]);
    }
  }
}

/**
 * The rows the triggers kept equal the recount, read from the table itself (a reader that found
 * them stale would summarise by the scan and hide a wrong trigger).
 */
async function checkStatsRows(storage: Storage, rows: StatsRow[]): Promise<void> {
  const byId = new Map(rows.map((r) => [Number(r.study_id), r]));
  for (const summary of await storage.listStudies()) {
    const trials = await storage.getAllTrials(summary.studyId);
    const expected = recount(trials, summary.directions);
    const row = byId.get(summary.studyId);
    if (trials.length === 0) {
      if (row)
        assert.equal(Number(row.n_running) + Number(row.n_complete) + Number(row.n_pruned) + Number(row.n_fail) + Number(row.n_waiting), 0);
      continue;
    }
    assert.ok(row, `a stats row for ${summary.name}`);
    for (const s of TRIAL_STATES)
      assert.equal(Number(row[`n_${s.toLowerCase()}` as keyof StatsRow]), expected.counts[s], `${s} of ${summary.name}`);
    const time = (v: string | Date | null) => (v === null ? null : parseDatetime(v)!.getTime());
    const times = [row.min_start, row.min_complete].map(time).filter((t): t is number => t !== null);
    const lasts = [row.max_start, row.max_complete].map(time).filter((t): t is number => t !== null);
    assert.equal(times.length ? Math.min(...times) : null, expected.first, `first time of ${summary.name}`);
    assert.equal(lasts.length ? Math.max(...lasts) : null, expected.last, `last time of ${summary.name}`);
    assert.equal(Number(row.constrained) === 1, expected.constrained, `constrained flag of ${summary.name}`);
    assert.equal(row.best_number === null ? null : Number(row.best_number), expected.bestAnyNumber, `best of ${summary.name}`);
  }
  // No row outlives its study.
  const ids = new Set((await storage.listStudies()).map((s) => s.studyId));
  for (const id of byId.keys()) assert.ok(ids.has(id), `stats row of deleted study ${id}`);
}

const VALUES = [0.5, -1, 2, 2, 0.25, Infinity, -Infinity, 3, 0.5, -0.75];

/** A random sequence of writes: studies of one and two objectives, trials finished in every state, stale ones failed, a study deleted. */
async function randomWrites(storage: Storage, seed: number, check: () => Promise<void>): Promise<void> {
  const rng = new Rng(seed);
  const studies: { id: number; objectives: number }[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[rng.integer(0, xs.length - 1)];
  for (let round = 0; round < 4; round++) {
    for (let s = 0; s < 2; s++) {
      const objectives = rng.integer(1, 2);
      const directions = Array.from({ length: objectives }, () => pick(["minimize", "maximize"] as const));
      studies.push({ id: await storage.createStudy({ name: `s${seed}-${round}-${s}`, directions }), objectives });
    }
    for (let step = 0; step < 40; step++) {
      const study = pick(studies);
      const values = () => Array.from({ length: study.objectives }, () => pick(VALUES));
      const action = rng.integer(0, 5);
      if (action <= 2) {
        const trial = (await storage.createTrial(study.id))!;
        if (rng.uniform(0, 1) < 0.3) {
          await storage.setTrialSystemAttr(trial.trialId, SYSTEM_ATTR.constraints, [rng.uniform(-1, 1)]);
        }
        if (rng.uniform(0, 1) < 0.8) {
          const state = pick(["COMPLETE", "COMPLETE", "PRUNED", "FAIL"] as FinishedState[]);
          await storage.finishTrial(trial.trialId, state, state === "COMPLETE" ? values() : null);
        }
      } else if (action === 3) {
        const state = pick(["COMPLETE", "WAITING", "PRUNED", "FAIL", "RUNNING"] as TrialState[]);
        await storage.createTrial(study.id, { state, values: state === "COMPLETE" ? values() : null });
      } else if (action === 4) {
        await storage.claimWaitingTrial(study.id);
      } else {
        await storage.failStaleTrials(study.id, 0);
      }
    }
    if (round % 2 === 1) {
      const gone = studies.splice(rng.integer(0, studies.length - 1), 1)[0];
      await storage.deleteStudy(gone.id);
    }
    await check();
  }
}

describe("study aggregates: in memory", () => {
  it("summaries equal a recount after random writes", async () => {
    const storage = new InMemoryStorage();
    await randomWrites(storage, 1, () => checkSummaries(storage));
  });
});

function sqliteStats(path: string): StatsRow[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT * FROM tunebook_study_stats").all() as StatsRow[];
  } finally {
    db.close();
  }
}

describe("study aggregates: SQLite file", () => {
  for (const seed of [2, 3]) {
    it(`the triggers' rows and the summaries equal a recount after random writes (seed ${seed})`, async () => {
      const path = tempPath("random.db");
      const storage = new SqliteStorage(path);
      try {
        await randomWrites(storage, seed, async () => {
          await checkStatsRows(storage, sqliteStats(path));
          await checkSummaries(storage);
        });
      } finally {
        await storage.close();
      }
    });
  }

  it("stale aggregates are found by the count check and rebuilt by a writer; read-only, summarised by the scan", async () => {
    const path = tempPath("stale.db");
    const storage = new SqliteStorage(path);
    const id = await storage.createStudy({ name: "stale", direction: "minimize" });
    for (const v of [3, 1, 2]) await storage.createTrial(id, { state: "COMPLETE", value: v });
    await storage.close();
    // A writer without the triggers: one more trial, and the row left behind.
    const db = new Database(path);
    db.exec("DROP TRIGGER tunebook_stats_trial_insert; DROP TRIGGER tunebook_stats_value_insert");
    db.exec(
      "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (3, 1, 'COMPLETE', '2024-01-01 00:00:00', '2024-01-01 00:00:01')",
    );
    db.exec("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (last_insert_rowid(), 0, -5, 'FINITE')");
    db.close();
    assert.equal(sqliteStats(path)[0].n_complete, 3);

    const reader = new SqliteStorage(path, { readOnly: true });
    const read = await reader.getStudy(id);
    assert.equal(read.counts.COMPLETE, 4);
    assert.equal(read.bestTrialNumber, 3);
    await reader.close();
    assert.equal(sqliteStats(path)[0].n_complete, 3, "read-only changes nothing");

    const writer = new SqliteStorage(path);
    assert.equal((await writer.getStudy(id)).bestValue, -5);
    await writer.close();
    const [row] = sqliteStats(path);
    assert.equal(row.n_complete, 4);
    assert.equal(row.best_number, 3);
  });
});

const server = await testPostgres();
const skipPostgres = skipWithoutPostgres(server);

describe("study aggregates: PostgreSQL", { skip: skipPostgres }, () => {
  it("the triggers' rows and the summaries equal a recount after random writes", async () => {
    if (typeof server === "string") throw new Error(server);
    const { url, drop } = await server.freshSchema();
    const storage = new PostgresStorage(url);
    try {
      await randomWrites(storage, 4, async () => {
        await checkStatsRows(storage, (await sqlRows(url, "SELECT * FROM tunebook_study_stats")) as unknown as StatsRow[]);
        await checkSummaries(storage);
      });
    } finally {
      await storage.close();
      await drop();
    }
  });
});

describe("study aggregates with Optuna 3.1 on the same file", { skip: skipWithoutOptuna() }, () => {
  it("a file Optuna wrote gets them built when tunebook opens it, and read-only it is summarised by the scan", async () => {
    const path = tempPath("optuna.db");
    optunaPeer("write", path, "by-optuna", 12);
    optunaPeer("write-multi-constrained", path, "by-optuna-multi", 8);
    const reader = new SqliteStorage(path, { readOnly: true });
    await checkSummaries(reader);
    await reader.close();
    const db = new Database(path, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'tunebook_%'").all();
    db.close();
    assert.deepEqual(tables, [], "read-only creates nothing");

    const storage = new SqliteStorage(path);
    try {
      await checkStatsRows(storage, sqliteStats(path));
      await checkSummaries(storage);
    } finally {
      await storage.close();
    }
  });

  it("Optuna writes to a file tunebook created, triggers and all, and they keep up", async () => {
    const path = tempPath("tunebook.db");
    const storage = new SqliteStorage(path);
    await storage.createStudy({ name: "by-tunebook", direction: "minimize" });
    const id = await storage.createStudy({ name: "mixed", direction: "minimize" });
    for (const v of [5, 4]) await storage.createTrial(id, { state: "COMPLETE", value: v });
    await storage.close();
    optunaPeer("continue", path, "by-tunebook", 10);
    optunaPeer("continue", path, "mixed", 6);
    optunaPeer("write", path, "new-by-optuna", 5);
    const dump = optunaPeer<{ trials: unknown[] }>("dump", path, "mixed");
    assert.equal(dump.trials.length, 8);
    const reopened = new SqliteStorage(path);
    try {
      const rows = sqliteStats(path);
      await checkStatsRows(reopened, rows);
      await checkSummaries(reopened);
      assert.equal(rows.length, 3);
    } finally {
      await reopened.close();
    }
  });
});
