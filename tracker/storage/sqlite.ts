import { closeSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { checkOptionKeys, StorageError, show, TunebookError, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { checkSchema, OPTUNA_SQLITE_DDL, type SchemaState } from "./schema.js";
import { inspectSchema, migrateSchema, type SchemaScripts } from "./sql/migrate.js";
import { type Row, runSync, type Sql, type SqlDialect, type SqlSyntax, type Statement, type TransactionKind } from "./sql/port.js";
import { SqlStorage } from "./sql/storage.js";
import { SqliteReader } from "./sqlite-reader.js";

export interface SqliteStorageOptions {
  /** Refuse to open a file that does not exist instead of creating it (for readers such as the UI). Default `false`. */
  mustExist?: boolean;
  /**
   * Open for reading only (for readers such as the UI): the file, its journal mode and its
   * folder stay exactly as they are (see `SqliteReader`), tunebook's tables are not added,
   * and every write throws a `StorageError`. Implies `mustExist`. Default `false`.
   */
  readOnly?: boolean;
  /**
   * `"normal"` (default): in WAL mode every commit survives a crash or kill of the process,
   * but a power loss or OS crash may lose the last commits. `"full"`: every commit is
   * synced to disk too (slower).
   */
  synchronous?: "normal" | "full";
  /** How long SQLite waits for another process's write lock before reporting busy, in ms. Default 10000. */
  busyTimeoutMs?: number;
  /** How long tunebook keeps retrying a busy database (on top of `busyTimeoutMs`) before giving up, in ms. Default 120000. */
  retryTimeoutMs?: number;
}

const OPTION_KEYS = ["mustExist", "readOnly", "synchronous", "busyTimeoutMs", "retryTimeoutMs"] as const;
const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Storage in one SQLite file, with Optuna's schema. Safe for many processes on one
 * machine: WAL, immediate transactions for every write (trial numbers are assigned
 * inside them), and retries while another process holds the lock, so "database is
 * locked" never reaches the caller.
 *
 * Durability: a write is committed before its promise resolves, so it survives the
 * process being killed; with the default `synchronous: "normal"` a power loss or OS
 * crash may lose the last commits (`"full"` syncs each one).
 */
export class SqliteStorage extends SqlStorage {
  /** Absolute path of the database file (or `:memory:`). */
  readonly path: string;

  constructor(path: string, options: SqliteStorageOptions = {}) {
    const dialect = new SqliteDialect(path, options);
    super(dialect);
    this.path = dialect.path;
  }
}

/** SQLite's side of the statements the SQL storage shares. */
export const SQLITE_SYNTAX: SqlSyntax = {
  // Every write transaction is immediate: it holds the database's only write lock from its start.
  lockRows: () => "",
  skipLockedRows: () => "",
  // UTC, as Optuna's heartbeats take it from CURRENT_TIMESTAMP, to the millisecond.
  clock: "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')",
  // A lookup is an in-process index probe: one key at a time, stopping at the first free one.
  keysPerLookup: 1,
  tableExists: "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?",
  filter: {
    jsonString: (column) => `json_extract(${column}, '$')`,
    byCodePoint: " COLLATE BINARY",
    // julianday keeps milliseconds exactly (as an integer count); rounding drops the float's noise.
    durationSeconds: (start, complete) => `(ROUND((julianday(${complete}) - julianday(${start})) * 86400000) / 1000.0)`,
    infinity: "9e999",
  },
};

const SQLITE_SCHEMA: SchemaScripts = {
  listTables: "SELECT name FROM sqlite_master WHERE type = 'table'",
  optunaDdl: OPTUNA_SQLITE_DDL,
  migration: (migration) => migration.sqlite,
};

/**
 * SQLite through better-sqlite3. Each transaction runs synchronously inside one
 * `db.transaction` (immediate for writes, deferred for snapshots), so a write is on disk
 * before its promise resolves and no other work interleaves with it; while another process
 * holds the lock, the transaction is retried with backoff. Read-only, it reads through a
 * `SqliteReader` and changes nothing: no journal mode, no pragma that persists, no schema.
 */
export class SqliteDialect implements SqlDialect {
  readonly url: string;
  /** Absolute path of the database file (or `:memory:`). */
  readonly path: string;
  readonly syntax = SQLITE_SYNTAX;
  readonly readOnly: boolean;
  private db: Database.Database;
  private readonly reader: SqliteReader | null = null;
  private readonly statements = new Map<string, Database.Statement>();
  private inTransaction: Database.Transaction<(body: () => unknown) => unknown>;
  private readonly retryTimeoutMs: number;
  private readonly jitter = new Rng();

  constructor(path: string, options: SqliteStorageOptions = {}) {
    checkOptionKeys("SqliteStorage", options, OPTION_KEYS);
    const { readOnly = false, synchronous = "normal", busyTimeoutMs = 10_000, retryTimeoutMs = 120_000 } = options;
    const mustExist = readOnly || (options.mustExist ?? false);
    if (synchronous !== "normal" && synchronous !== "full") {
      throw new ValueError(`SqliteStorage: synchronous must be "normal" or "full", got ${show(synchronous)}.`);
    }
    for (const [key, v] of [
      ["busyTimeoutMs", busyTimeoutMs],
      ["retryTimeoutMs", retryTimeoutMs],
    ] as const) {
      if (!Number.isFinite(v) || v < 0)
        throw new ValueError(`SqliteStorage: ${key} must be a number of milliseconds >= 0, got ${show(v)}.`);
    }
    const memory = path === ":memory:";
    if (memory && readOnly)
      throw new StorageError(`An in-memory SQLite database cannot be opened read-only: it starts empty, with nothing to read.`);
    this.path = memory ? path : resolve(path);
    this.url = `sqlite:${this.path}`;
    this.readOnly = readOnly;
    this.retryTimeoutMs = retryTimeoutMs;
    if (!memory) checkFile(this.path, mustExist);
    try {
      if (readOnly) this.reader = new SqliteReader(this.path, busyTimeoutMs);
      this.db = this.reader ? this.reader.current() : new Database(this.path, { fileMustExist: mustExist, timeout: busyTimeoutMs });
    } catch (error) {
      throw new StorageError(`Cannot open the SQLite database ${this.path}: ${(error as Error).message}.`);
    }
    try {
      // Check before changing anything, so a database tunebook refuses stays byte for byte as it was.
      const check = (state: SchemaState) => checkSchema(state, `The SQLite database ${this.path}`, `sqlite:///${this.path}`, mustExist);
      const needsWork = retrySyncValue(() => check(runSync(inspectSchema(SQLITE_SCHEMA), this.executeOnce)), retryTimeoutMs, this.path);
      if (readOnly) {
        this.inTransaction = this.db.transaction((body: () => unknown) => body());
        return;
      }
      retrySync(
        () => {
          if (!memory && this.db.pragma("journal_mode", { simple: true }) !== "wal") this.db.pragma("journal_mode = WAL");
        },
        retryTimeoutMs,
        this.path,
      );
      this.db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      // Fold the WAL back into the database every ~16 MB instead of SQLite's 4 MB: each
      // checkpoint syncs the file, and at 4 MB that costs more than the trials themselves.
      this.db.pragma("wal_autocheckpoint = 4000");
      // better-sqlite3's default, stated: tunebook's writes keep Optuna's foreign keys.
      this.db.pragma("foreign_keys = ON");
      if (needsWork) retrySync(() => this.migrate(check), retryTimeoutMs, this.path);
    } catch (error) {
      this.db.close();
      throw translateSqliteError(error, this.path, readOnly);
    }
    this.inTransaction = this.db.transaction((body: () => unknown) => body());
  }

  transaction<T>(kind: TransactionKind, work: () => Sql<T>): Promise<T> {
    if (this.reader) this.follow(this.reader);
    const begin = kind === "snapshot" ? this.inTransaction.deferred : this.inTransaction.immediate;
    return this.retry(() => begin(() => runSync(work(), this.execute)) as T);
  }

  isUniqueViolation(error: unknown): boolean {
    return error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_UNIQUE";
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    // The reader's connection is this.db; closing the reader too removes a copy it keeps on disk.
    this.reader?.close();
    this.statements.clear();
  }

  /** Reads through the reader's current connection (it reopens when the file changed under a copy). */
  private follow(reader: SqliteReader): void {
    if (!this.db.open) return;
    let current: Database.Database;
    try {
      current = reader.current();
    } catch (error) {
      throw translateSqliteError(error, this.path, true);
    }
    if (current === this.db) return;
    this.db = current;
    this.statements.clear();
    this.inTransaction = current.transaction((body: () => unknown) => body());
  }

  /** Runs a statement prepared once and kept for the next time. */
  private readonly execute = (statement: Statement): Row[] => {
    let prepared = this.statements.get(statement.sql);
    if (!prepared) {
      prepared = this.db.prepare(statement.sql);
      this.statements.set(statement.sql, prepared);
    }
    return rowsOf(prepared, statement);
  };

  /** Runs a statement needed once (opening, migrating). */
  private readonly executeOnce = (statement: Statement): Row[] => rowsOf(this.db.prepare(statement.sql), statement);

  /** Creates or migrates the schema in one immediate transaction. */
  private migrate(check: (state: SchemaState) => boolean): void {
    this.db.transaction(() => runSync(migrateSchema(SQLITE_SCHEMA, check), this.executeOnce)).immediate();
  }

  private async retry<T>(operation: () => T): Promise<T> {
    const deadline = Date.now() + this.retryTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return operation();
      } catch (error) {
        if (!isBusy(error)) throw translateSqliteError(error, this.path, this.readOnly);
        if (Date.now() >= deadline) throw busyError(this.path, this.retryTimeoutMs);
        await new Promise((done) => setTimeout(done, backoffMs(attempt, this.jitter)));
      }
    }
  }
}

function rowsOf(prepared: Database.Statement, { params, firstOnly }: Statement): Row[] {
  if (!prepared.reader) {
    prepared.run(...params);
    return [];
  }
  if (!firstOnly) return prepared.all(...params) as Row[];
  const row = prepared.get(...params) as Row | undefined;
  return row === undefined ? [] : [row];
}

/** Refuses, before SQLite touches anything, a path that cannot hold a database. */
function checkFile(path: string, mustExist: boolean): void {
  const dir = dirname(path);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new StorageError(
      `Cannot open the SQLite database ${path}: the directory ${dir} does not exist. Create it first (mkdir -p ${JSON.stringify(dir)}) or choose another path; tunebook does not create directories.`,
    );
  }
  if (!dirStat.isDirectory()) throw new StorageError(`Cannot open the SQLite database ${path}: ${dir} is not a directory.`);
  let fileStat: Stats;
  try {
    fileStat = statSync(path);
  } catch {
    if (mustExist)
      throw new StorageError(`The SQLite database ${path} does not exist (nothing was created). Check the path, or run a study first.`);
    return;
  }
  if (fileStat.isDirectory()) throw new StorageError(`${path} is a directory, not an SQLite database file; give the path of a .db file.`);
  if (fileStat.size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new StorageError(`Cannot read ${path}: ${(error as Error).message}.`);
  }
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) {
    throw new StorageError(
      `${path} is not an SQLite database (it does not start with the SQLite header); tunebook left it untouched. Give the path of a tunebook or Optuna database, or a new file.`,
    );
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}

function backoffMs(attempt: number, rng: Rng): number {
  return Math.min(250, 2 ** Math.min(attempt, 8)) * (0.5 + rng.random());
}

function busyError(path: string, waitedMs: number): StorageError {
  return new StorageError(
    `The SQLite database ${path} stayed locked by another process for more than ${Math.round(waitedMs / 1000)} s; nothing was written. Check for a process stuck inside a transaction.`,
  );
}

/** Retries at open time, where there is no event loop to yield to yet. */
function retrySyncValue<T>(operation: () => T, timeoutMs: number, path: string): T {
  const deadline = Date.now() + timeoutMs;
  const rng = new Rng();
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) throw busyError(path, timeoutMs);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, backoffMs(attempt, rng));
    }
  }
}

function retrySync(operation: () => void, timeoutMs: number, path: string): void {
  retrySyncValue(operation, timeoutMs, path);
}

/** User-caused SQLite failures become `StorageError`s naming the file; bugs pass through. */
export function translateSqliteError(error: unknown, path: string, readOnly = false): unknown {
  if (error instanceof TunebookError) return error;
  if (error instanceof Database.SqliteError) {
    const code = error.code;
    if (code === "SQLITE_NOTADB")
      return new StorageError(`${path} is not an SQLite database (${error.message}); tunebook left it untouched.`);
    if (code.startsWith("SQLITE_READONLY") && readOnly)
      return new StorageError(
        `The SQLite database ${path} was opened read-only and cannot be changed (${error.message}, ${code}).${code === "SQLITE_READONLY_ROLLBACK" ? " A writer stopped in the middle of a transaction: open it once with a writer (a study) to roll that back." : ""}`,
      );
    if (code.startsWith("SQLITE_READONLY"))
      return new StorageError(
        `The SQLite database ${path} is read-only (${error.message}); tunebook needs to write to it and to its directory.`,
      );
    if (code === "SQLITE_FULL") return new StorageError(`The disk holding ${path} is full; nothing was written.`);
    if (code.startsWith("SQLITE_CORRUPT")) return new StorageError(`The SQLite database ${path} is damaged (${error.message}).`);
    if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_PERM")) {
      return new StorageError(`Cannot use the SQLite database ${path}: ${error.message} (${code}).`);
    }
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new StorageError(`The storage ${path} is closed; open it again.`);
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (readOnly && (code === "ENOENT" || code === "EACCES" || code === "EPERM")) {
    return new StorageError(`Cannot read the SQLite database ${path}: ${(error as Error).message}.`);
  }
  return error;
}
