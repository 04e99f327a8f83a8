import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { StorageError } from "../../../core/errors.js";
import { parseDatetime } from "../../../tracker/storage/optuna-encoding.js";
import { OPTUNA_ALEMBIC_HEAD, TUNEBOOK_SCHEMA_VERSION } from "../../../tracker/storage/schema.js";
import { SQLITE_SYNTAX, SqliteDialect, SqliteStorage, translateSqliteError } from "../../../tracker/storage/sqlite.js";

const dir = mkdtempSync(join(tmpdir(), "tunebook-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (name = "db") => join(dir, `${name}-${counter++}.db`);
const FIXTURE = new URL("./fixtures/optuna-3.1.sql", import.meta.url);

/** A database Optuna 3.1 wrote (the committed dump of make-optuna-3.1.py). */
function optunaDatabase(): string {
  const path = fresh("optuna");
  const db = new Database(path);
  db.pragma("foreign_keys = OFF"); // the dump creates tables in alphabetical order, as Python's sqlite3 wrote them
  db.exec(readFileSync(FIXTURE, "utf8"));
  db.close();
  return path;
}

function withDb<T>(path: string, body: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return body(db);
  } finally {
    db.close();
  }
}

const digest = (path: string) =>
  statSync(path).isDirectory() ? "a directory" : createHash("sha256").update(readFileSync(path)).digest("hex");

function assertRefused(path: string, pattern: RegExp[], options?: { mustExist?: boolean }): void {
  const before = existsSync(path) ? digest(path) : null;
  assert.throws(
    () => new SqliteStorage(path, options),
    (e: Error) => {
      assert.ok(e instanceof StorageError, `expected a StorageError, got ${e.name}: ${e.message}`);
      for (const p of pattern) assert.match(e.message, p);
      return true;
    },
  );
  assert.equal(existsSync(path) ? digest(path) : null, before, "the file must be left as it was");
}

const literally = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

describe("opening SQLite files", () => {
  test("a new file gets Optuna's schema, our tables, WAL, and Optuna's version rows", async () => {
    const path = fresh();
    const storage = new SqliteStorage(path);
    assert.equal(storage.url, `sqlite:${path}`);
    await storage.close();
    withDb(path, (db) => {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      assert.deepEqual(db.prepare("SELECT * FROM version_info").all(), [
        { version_info_id: 1, schema_version: 12, library_version: "3.1.0" },
      ]);
      assert.deepEqual(db.prepare("SELECT version_num FROM alembic_version").all(), [{ version_num: OPTUNA_ALEMBIC_HEAD }]);
      assert.deepEqual(db.prepare("SELECT version FROM tunebook_schema").all(), [{ version: TUNEBOOK_SCHEMA_VERSION }]);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trials'").all();
      assert.deepEqual(indexes, [{ name: "tunebook_ix_trials_study_number" }]);
    });
  });

  test("the Optuna tables are exactly those Optuna 3.1 creates (columns, types, keys, unique indexes)", () => {
    const ours = fresh();
    new SqliteStorage(ours).close();
    const theirs = optunaDatabase();
    const describeSchema = (path: string) =>
      withDb(path, (db) => {
        const tables = (
          db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'tunebook_%' ORDER BY name").all() as {
            name: string;
          }[]
        ).map((r) => r.name);
        return tables.map((table) => ({
          table,
          columns: db.pragma(`table_info(${table})`),
          foreignKeys: db.pragma(`foreign_key_list(${table})`),
          unique: (db.pragma(`index_list(${table})`) as { name: string; unique: number; origin: string }[])
            .filter((i) => !i.name.startsWith("tunebook_"))
            .map((i) => ({
              unique: i.unique,
              origin: i.origin,
              columns: (db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name),
            }))
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        }));
      });
    assert.deepEqual(describeSchema(ours), describeSchema(theirs));
  });

  test("a path in a missing directory is refused, naming the directory, and nothing is created", () => {
    const missing = join(dir, "no-such-dir", "deeper");
    assertRefused(join(missing, "t.db"), [literally(missing), /does not exist/, /mkdir/]);
    assert.equal(existsSync(join(dir, "no-such-dir")), false);
  });

  test("a file that is not SQLite is refused, naming it, and left untouched", () => {
    const path = join(dir, "notes.db");
    writeFileSync(path, "these are my notes, not a database\n".repeat(20));
    assertRefused(path, [literally(path), /not an SQLite database/]);
    assertRefused(dir, [literally(dir), /directory/]);
  });

  test("a database of another application is refused, naming its tables", () => {
    const path = fresh("other-app");
    withDb(path, (db) => db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)"));
    assertRefused(path, [literally(path), /another application/, /invoices/]);
  });

  test("a database written by a newer tunebook is refused, naming both versions", async () => {
    const path = fresh("newer");
    await new SqliteStorage(path).close();
    withDb(path, (db) => db.exec("UPDATE tunebook_schema SET version = 99"));
    assertRefused(path, [/newer tunebook/, /version 99/, literally(`up to ${TUNEBOOK_SCHEMA_VERSION}`), /Upgrade tunebook/]);
  });

  test("an Optuna database of an unknown alembic revision is refused, saying so", () => {
    const path = optunaDatabase();
    withDb(path, (db) => db.exec("UPDATE alembic_version SET version_num = 'v9.9.9.z'"));
    assertRefused(path, [/"v9\.9\.9\.z"/, /does not know/, literally(OPTUNA_ALEMBIC_HEAD)]);
  });

  test("an Optuna database of an older revision is refused with the upgrade command", () => {
    const path = optunaDatabase();
    withDb(path, (db) => db.exec("UPDATE alembic_version SET version_num = 'v2.6.0.a'"));
    assertRefused(path, [/older Optuna/, /"v2\.6\.0\.a"/, literally(`optuna storage upgrade --storage sqlite:///${path}`)]);
  });

  test("mustExist: a missing file is refused and not created; an empty one holds no studies", () => {
    const missing = join(dir, "ui-reads-this.db");
    assertRefused(missing, [literally(missing), /does not exist/], { mustExist: true });
    assert.equal(existsSync(missing), false);
    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    assertRefused(empty, [literally(empty), /no studies/], { mustExist: true });
  });

  test("mustExist opens an existing database", async () => {
    const path = fresh();
    const writer = new SqliteStorage(path);
    await writer.createStudy({ name: "s", direction: "minimize" });
    await writer.close();
    const reader = new SqliteStorage(path, { mustExist: true });
    assert.deepEqual(
      (await reader.listStudies()).map((s) => s.name),
      ["s"],
    );
    await reader.close();
  });

  test("bad options are ValueErrors naming the option", () => {
    assert.throws(
      () => new SqliteStorage(fresh(), { synchronous: "extra" as "full" }),
      /synchronous must be "normal" or "full", got "extra"/,
    );
    assert.throws(() => new SqliteStorage(fresh(), { busyTimeout: 5 } as object), /unknown option "busyTimeout".*busyTimeoutMs/);
  });

  test("a closed storage says so", async () => {
    const storage = new SqliteStorage(fresh());
    await storage.close();
    await assert.rejects(storage.listStudies(), (e: Error) => e instanceof StorageError && /closed/.test(e.message));
  });
});

describe("an Optuna-written database", () => {
  test("is migrated in place (our tables added, Optuna's data untouched)", async () => {
    const path = optunaDatabase();
    const dump = () =>
      withDb(path, (db) =>
        db.prepare("SELECT * FROM trials ORDER BY trial_id").all().concat(db.prepare("SELECT * FROM trial_params ORDER BY param_id").all()),
      );
    const before = dump();
    await new SqliteStorage(path).close();
    assert.deepEqual(dump(), before);
    withDb(path, (db) => {
      assert.deepEqual(db.prepare("SELECT version FROM tunebook_schema").all(), [{ version: TUNEBOOK_SCHEMA_VERSION }]);
      assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM tunebook_claims").get(), { n: 0 });
    });
  });

  test("reads as Optuna wrote it", async () => {
    const storage = new SqliteStorage(optunaDatabase());
    const [minimize, maximize] = await storage.listStudies();
    assert.equal(minimize.name, "optuna-written");
    assert.equal(minimize.direction, "minimize");
    assert.deepEqual(minimize.userAttrs, { dataset: { name: "iris", rows: 150 } });
    assert.equal(minimize.systemAttrs.made_by, "optuna 3.1");
    assert.deepEqual(minimize.counts, { RUNNING: 0, COMPLETE: 5, PRUNED: 1, FAIL: 1, WAITING: 1 });
    const trials = await storage.getAllTrials(minimize.studyId);
    assert.deepEqual(
      trials.map((t) => [t.number, t.state]),
      [
        [0, "COMPLETE"],
        [1, "COMPLETE"],
        [2, "COMPLETE"],
        [3, "FAIL"],
        [4, "PRUNED"],
        [5, "COMPLETE"],
        [6, "COMPLETE"],
        [7, "WAITING"],
      ],
    );
    for (const t of trials.slice(0, 6)) {
      const { x, lr, q, n, units, choice } = t.params as Record<string, number & string & boolean & null>;
      assert.ok(x >= -5 && x <= 5 && lr >= 1e-5 && lr <= 0.1 && [0, 0.25, 0.5, 0.75, 1].includes(q), JSON.stringify(t.params));
      assert.ok(Number.isInteger(n) && n % 2 === 1 && Number.isInteger(units) && units >= 1 && units <= 1024);
      assert.ok(["a", null, true, 2.5].includes(choice));
      assert.deepEqual(t.distributions.lr, { name: "FloatDistribution", attributes: { low: 1e-5, high: 0.1, log: true, step: null } });
      assert.deepEqual(t.distributions.n, { name: "IntDistribution", attributes: { low: 1, high: 9, log: false, step: 2 } });
      assert.deepEqual(t.distributions.choice, { name: "CategoricalDistribution", attributes: { choices: ["a", null, true, 2.5] } });
      assert.deepEqual(t.intermediateValues, { 0: x * x, 1: x * x + 1, 2: x * x + 2 });
      assert.deepEqual(t.userAttrs.fold_scores, [x, x / 2, { note: "ünïcødé" }]);
      // The objective's own formula: decoding a categorical index wrongly would break it.
      if (t.state === "COMPLETE") assert.ok(Math.abs(t.value! - (x * x + q + (choice === null ? 0 : 1))) < 1e-9);
    }
    assert.deepEqual(trials[6].intermediateValues, { 0: Infinity, 1: NaN, 2: -Infinity });
    assert.equal(trials[6].value, 1.5);
    assert.deepEqual(trials[7].systemAttrs.fixed_params, { x: 0.5, lr: 0.01, q: 0.5, n: 3, units: 16, choice: "a" });
    assert.equal(trials[7].datetimeStart, null);
    const best = trials.filter((t) => t.state === "COMPLETE").reduce((a, b) => (b.value! < a.value! ? b : a));
    assert.deepEqual([minimize.bestValue, minimize.bestTrialNumber], [best.value, best.number]);
    assert.equal(maximize.direction, "maximize");
    assert.deepEqual([maximize.bestValue, maximize.bestTrialNumber], [Infinity, 0]);
    assert.deepEqual((await storage.getAllTrials(maximize.studyId))[0].params, { k: 3 });
    await storage.close();
  });

  test("continues: the enqueued trial is claimed, new trials are numbered after Optuna's", async () => {
    const storage = new SqliteStorage(optunaDatabase());
    const id = await storage.getStudyIdByName("optuna-written");
    const claimed = await storage.claimWaitingTrial(id);
    assert.equal(claimed?.number, 7);
    const next = await storage.createTrial(id);
    assert.equal(next?.number, 8);
    await storage.close();
  });
});

describe("a busy database", () => {
  test("a write waits for another process's lock instead of failing", async () => {
    const path = fresh("busy");
    const storage = new SqliteStorage(path, { busyTimeoutMs: 10 });
    const id = await storage.createStudy({ name: "s", direction: "minimize" });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    setTimeout(() => other.exec("COMMIT"), 300);
    const trial = await storage.createTrial(id);
    assert.equal(trial?.number, 0);
    other.close();
    await storage.close();
  });

  test("a lock held past the retry budget is a StorageError naming the file", async () => {
    const path = fresh("stuck");
    const storage = new SqliteStorage(path, { busyTimeoutMs: 10, retryTimeoutMs: 150 });
    const id = await storage.createStudy({ name: "s", direction: "minimize" });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    await assert.rejects(
      storage.createTrial(id),
      (e: Error) => e instanceof StorageError && e.message.includes(path) && /locked by another process/.test(e.message),
    );
    other.exec("COMMIT");
    other.close();
    assert.equal((await storage.createTrial(id))?.number, 0, "nothing was half-written");
    await storage.close();
  });
});

describe("the SQLite dialect", () => {
  test("a write is committed before its promise is awaited: transactions run synchronously", async () => {
    const path = fresh("sync");
    const storage = new SqliteStorage(path);
    const id = await storage.createStudy({ name: "s", direction: "minimize" });
    const pending = storage.createTrial(id);
    const seen = withDb(path, (db) => db.prepare("SELECT COUNT(*) AS n FROM trials").get());
    assert.deepEqual(seen, { n: 1 }, "another connection sees the trial before the caller awaits it");
    await pending;
    await storage.close();
  });

  test("the clock reads UTC in Optuna's heartbeat text, to the millisecond", () => {
    const db = new Database(":memory:");
    const { now } = db.prepare(`SELECT ${SQLITE_SYNTAX.clock} AS now`).get() as { now: string };
    db.close();
    assert.match(now, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}000$/);
    assert.ok(Math.abs(parseDatetime(now, true)!.getTime() - Date.now()) < 5000, now);
  });

  test("SQLite failures a user can fix become StorageErrors naming the file; bugs pass through", () => {
    const path = "/data/runs.db";
    const translated = (code: string) => translateSqliteError(new Database.SqliteError(`some ${code} detail`, code), path) as Error;
    const cases: [string, RegExp][] = [
      ["SQLITE_NOTADB", /^\/data\/runs\.db is not an SQLite database \(some SQLITE_NOTADB detail\); tunebook left it untouched\.$/],
      ["SQLITE_READONLY_DBMOVED", /^The SQLite database \/data\/runs\.db is read-only .*needs to write to it and to its directory\.$/],
      ["SQLITE_FULL", /^The disk holding \/data\/runs\.db is full; nothing was written\.$/],
      ["SQLITE_CORRUPT", /^The SQLite database \/data\/runs\.db is damaged \(some SQLITE_CORRUPT detail\)\.$/],
      ["SQLITE_CANTOPEN", /^Cannot use the SQLite database \/data\/runs\.db: some SQLITE_CANTOPEN detail \(SQLITE_CANTOPEN\)\.$/],
      ["SQLITE_IOERR_WRITE", /^Cannot use the SQLite database .*\(SQLITE_IOERR_WRITE\)\.$/],
    ];
    for (const [code, message] of cases) {
      const error = translated(code);
      assert.ok(error instanceof StorageError, code);
      assert.match(error.message, message);
    }
    const closed = translateSqliteError(new TypeError("The database connection is not open"), path) as Error;
    assert.ok(closed instanceof StorageError);
    assert.equal(closed.message, "The storage /data/runs.db is closed; open it again.");
    const constraint = new Database.SqliteError("UNIQUE constraint failed", "SQLITE_CONSTRAINT_UNIQUE");
    assert.equal(translateSqliteError(constraint, path), constraint);
    const bug = new RangeError("a bug");
    assert.equal(translateSqliteError(bug, path), bug);
  });

  test("a broken unique constraint is recognised", async () => {
    const dialect = new SqliteDialect(":memory:");
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (k TEXT UNIQUE); INSERT INTO t VALUES ('a')");
    assert.throws(
      () => db.exec("INSERT INTO t VALUES ('a')"),
      (error) => dialect.isUniqueViolation(error),
    );
    db.close();
    assert.equal(dialect.isUniqueViolation(new Error("UNIQUE constraint failed")), false);
    await dialect.close();
  });
});
