/**
 * The port between the SQL storage and a database. The storage's logic is written once, as
 * generators that yield statements and receive their rows; each dialect runs that logic in
 * its own transactions: SQLite synchronously inside better-sqlite3's `db.transaction` (so no
 * await ever splits a transaction and nothing waits per row), PostgreSQL asynchronously on
 * a pooled connection.
 */

/** One statement with `?` placeholders; a dialect that numbers its placeholders renumbers them. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Only the first row is wanted: a dialect may stop reading after it. */
  readonly firstOnly?: boolean;
}

export type Row = Record<string, unknown>;

/** Storage logic: yields statements, receives the rows of each, and returns a `T`. */
export type Sql<T> = Generator<Statement, T, Row[]>;

/** Runs one statement; its rows (none for a write without RETURNING). */
export function* query<R = Row>(sql: string, params: readonly unknown[] = []): Sql<R[]> {
  return (yield { sql, params }) as unknown as R[];
}

/** Runs one statement; its first row, if any. */
export function* queryFirst<R = Row>(sql: string, params: readonly unknown[] = []): Sql<R | undefined> {
  const rows = yield { sql, params, firstOnly: true };
  return rows[0] as R | undefined;
}

/** `?, ?, ?` for a list of `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/** Runs `work` to its end, executing each statement synchronously; a failing statement throws inside `work`. */
export function runSync<T>(work: Sql<T>, execute: (statement: Statement) => Row[]): T {
  let step = work.next();
  while (!step.done) {
    let rows: Row[];
    try {
      rows = execute(step.value);
    } catch (error) {
      step = work.throw(error);
      continue;
    }
    step = work.next(rows);
  }
  return step.value;
}

/** `runSync` for a database that answers asynchronously. */
export async function runAsync<T>(work: Sql<T>, execute: (statement: Statement) => Promise<Row[]>): Promise<T> {
  let step = work.next();
  while (!step.done) {
    let rows: Row[];
    try {
      rows = await execute(step.value);
    } catch (error) {
      step = work.throw(error);
      continue;
    }
    step = work.next(rows);
  }
  return step.value;
}

/**
 * What a transaction is for, which decides how a dialect begins and commits it:
 * - `write`: changes that are durable when the promise resolves;
 * - `progress`: a running trial's progress (a param, a reported value, an attribute, a
 *   heartbeat); a dialect may commit it without waiting for the disk, since the durable
 *   commit that finishes the trial flushes every earlier commit too;
 * - `snapshot`: reads that see one consistent state of the database.
 */
export type TransactionKind = "write" | "progress" | "snapshot";

/** The SQL that differs between databases, as fragments of statements written once. */
export interface SqlSyntax {
  /**
   * Appended to a SELECT inside a write transaction: locks the selected rows of `alias`
   * against other writers until commit ("" where a write transaction already holds the
   * database's only write lock).
   */
  lockRows(alias: string): string;
  /** The same, skipping rows another transaction holds locked instead of waiting for them. */
  skipLockedRows(alias: string): string;
  /** The database's clock, as Optuna writes heartbeats with it: an expression for datetime text or a timestamp. */
  readonly clock: string;
  /**
   * How many keys one lookup of claimed keys asks about: a server answers many in one
   * round trip; SQLite answers in-process, cheapest one key at a time.
   */
  readonly keysPerLookup: number;
  /** A statement with one `?`, a table's name: one row if the current schema has that table, none otherwise. */
  readonly tableExists: string;
  /** What trial filters compile to (sql/trial-filter-sql.ts). */
  readonly filter: FilterSyntax;
}

/** The fragments of a compiled trial filter that differ between databases. */
export interface FilterSyntax {
  /** The text of a JSON string literal (a column's text starting with `"`), decoded. */
  jsonString(column: string): string;
  /** Appended to a text operand: compare by code point (UTF-8 bytes). */
  readonly byCodePoint: string;
  /** Seconds from `start` to `complete` (datetime columns), rounded to the millisecond; NULL if either is. */
  durationSeconds(start: string, complete: string): string;
  /** The float +Infinity. */
  readonly infinity: string;
}

/** A database the SQL storage runs on. */
export interface SqlDialect {
  /** Human-readable location, without secrets. */
  readonly url: string;
  readonly syntax: SqlSyntax;
  /**
   * Opened for reading only: the schema was neither created nor migrated (tunebook's own
   * tables may be missing), and the connection refuses writes.
   */
  readonly readOnly: boolean;
  /**
   * Runs `work` in a transaction of `kind` and commits before resolving. While the database
   * is busy or the transaction lost a race, it is rolled back and run again (so `work` must
   * start over from nothing); failures the user can fix become `StorageError`s.
   */
  transaction<T>(kind: TransactionKind, work: () => Sql<T>): Promise<T>;
  /** Whether a failed statement broke a unique constraint. */
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}
