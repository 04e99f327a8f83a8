import type { Pool, PoolClient } from "pg";
import { checkOptionKeys, StorageError, show, TunebookError, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { checkSchema, OPTUNA_POSTGRES_DDL, type SchemaState } from "./schema.js";
import { inspectSchema, migrateSchema, type SchemaScripts } from "./sql/migrate.js";
import { type Row, runAsync, type Sql, type SqlDialect, type SqlSyntax, type Statement, type TransactionKind } from "./sql/port.js";
import { SqlStorage } from "./sql/storage.js";

export interface PostgresStorageOptions {
  /** Refuse to create the tables if the database has none (for readers such as the UI). Default `false`. */
  mustExist?: boolean;
  /**
   * Open for reading only (for readers such as the UI): no schema is created or migrated,
   * every session is read-only (`default_transaction_read_only`), and every write throws
   * a `StorageError`. Implies `mustExist`. Default `false`.
   */
  readOnly?: boolean;
  /** Connections kept open to the server. Default 4. */
  poolSize?: number;
  /** How long a transaction that lost a race (deadlock, serialization failure) is retried, in ms. Default 120000. */
  retryTimeoutMs?: number;
}

const OPTION_KEYS = ["mustExist", "readOnly", "poolSize", "retryTimeoutMs"] as const;
/** Serialises schema creation and migration between processes (any fixed 64-bit key). */
const SCHEMA_LOCK_KEY = 7_531_902_468;
const RETRYABLE = new Set(["40001", "40P01", "55P03"]);
/** SQLSTATE of a write in a read-only transaction. */
const READ_ONLY_TRANSACTION = "25006";
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

/**
 * Storage in a PostgreSQL database, with Optuna's schema (enum types included), for
 * studies shared by many machines. Workers coordinate only through the database: trial
 * numbers come from a row lock on the study, claims from unique keys.
 */
export class PostgresStorage extends SqlStorage {
  constructor(url: string, options: PostgresStorageOptions = {}) {
    super(new PostgresDialect(url, options));
  }
}

/** PostgreSQL's side of the statements the SQL storage shares. */
export const POSTGRES_SYNTAX: SqlSyntax = {
  // NO KEY: rows that only reference the locked one (a trial's params, a study's trials) can still be inserted.
  lockRows: (alias) => ` FOR NO KEY UPDATE OF ${alias}`,
  skipLockedRows: (alias) => ` FOR UPDATE OF ${alias} SKIP LOCKED`,
  clock: "LOCALTIMESTAMP",
  // A grid's keys in one round trip, well within PostgreSQL's limit of 65535 parameters.
  keysPerLookup: 1000,
  tableExists: "SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
  filter: {
    jsonString: (column) => `(CAST(${column} AS JSON) #>> '{}')`,
    byCodePoint: ' COLLATE "C"',
    durationSeconds: (start, complete) => `(CAST(ROUND(EXTRACT(EPOCH FROM (${complete} - ${start})) * 1000) AS DOUBLE PRECISION) / 1000)`,
    infinity: "CAST('Infinity' AS DOUBLE PRECISION)",
  },
};

const POSTGRES_SCHEMA: SchemaScripts = {
  listTables: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
  optunaDdl: OPTUNA_POSTGRES_DDL,
  migration: (migration) => migration.postgres,
};

/** How each kind of transaction begins; all run at READ COMMITTED unless said otherwise. */
const BEGIN: Record<TransactionKind, string> = {
  write: "BEGIN",
  // Committed without waiting for the WAL flush: a server crash may lose the last fraction of
  // a second of a running trial's progress, never a finished trial.
  progress: "BEGIN; SET LOCAL synchronous_commit TO OFF",
  snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};

/**
 * PostgreSQL through a `pg` pool, opened on first use (creating or migrating the schema
 * then). A transaction that loses a deadlock or serialization race is retried with backoff.
 *
 * The connection string holds the password: it lives in private fields (`#`), which
 * `JSON.stringify`, `util.inspect` and `console.log` never show, as does the pool built
 * from it; every message and `url` show the URL with the password masked.
 */
export class PostgresDialect implements SqlDialect {
  /** The URL without its password. */
  readonly url: string;
  readonly syntax = POSTGRES_SYNTAX;
  readonly readOnly: boolean;
  readonly #connectionString: string;
  private readonly mustExist: boolean;
  private readonly poolSize: number;
  private readonly retryTimeoutMs: number;
  private readonly jitter = new Rng();
  #pool: Promise<Pool> | null = null;
  private closed = false;

  constructor(url: string, options: PostgresStorageOptions = {}) {
    checkOptionKeys("PostgresStorage", options, OPTION_KEYS);
    const { readOnly = false, poolSize = 4, retryTimeoutMs = 120_000 } = options;
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new ValueError(`PostgresStorage: poolSize must be an integer >= 1, got ${show(poolSize)}.`);
    if (!Number.isFinite(retryTimeoutMs) || retryTimeoutMs < 0)
      throw new ValueError(`PostgresStorage: retryTimeoutMs must be >= 0, got ${show(retryTimeoutMs)}.`);
    this.#connectionString = url;
    this.url = redact(url);
    this.readOnly = readOnly;
    this.mustExist = readOnly || (options.mustExist ?? false);
    this.poolSize = poolSize;
    this.retryTimeoutMs = retryTimeoutMs;
  }

  transaction<T>(kind: TransactionKind, work: () => Sql<T>): Promise<T> {
    return this.withClient(BEGIN[kind], (execute) => runAsync(work(), execute));
  }

  isUniqueViolation(error: unknown): boolean {
    return pgCode(error) === "23505";
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.#pool;
    this.#pool = null;
    if (pending) await pending.then((pool) => pool.end()).catch(() => undefined);
  }

  private pool(): Promise<Pool> {
    if (this.closed) return Promise.reject(new StorageError(`The storage ${this.url} is closed; open it again.`));
    if (!this.#pool) {
      const pool = this.connect();
      this.#pool = pool;
      // A failed connection is not kept: the next call tries again.
      pool.catch(() => (this.#pool = null));
    }
    return this.#pool;
  }

  private async connect(): Promise<Pool> {
    const pg = (await import("pg")).default;
    const pool = new pg.Pool({
      connectionString: this.#connectionString,
      max: this.poolSize,
      // Every session of a reader refuses writes itself, set before the pool hands it out.
      onConnect: this.readOnly ? (client) => client.query("SET SESSION default_transaction_read_only = on") : undefined,
      // Per-pool parsers (pg's global ones stay untouched): timestamps as Optuna's text, COUNT(*) as a number.
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") => {
          if (oid === TIMESTAMP_OID) return (text: string) => text;
          if (oid === INT8_OID) return (text: string) => Number(text);
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on("error", () => undefined);
    try {
      await this.prepareSchema(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw translatePostgresError(error, this.url, this.retryTimeoutMs);
    }
    return pool;
  }

  /** Creates or migrates the schema under an advisory lock, so concurrent workers do it once; a reader only checks it. */
  private async prepareSchema(pool: Pool): Promise<void> {
    const client = await pool.connect();
    const execute = executeOn(client);
    const check = (state: SchemaState) => checkSchema(state, `The PostgreSQL database ${this.url}`, this.url, this.mustExist);
    try {
      if (!check(await runAsync(inspectSchema(POSTGRES_SCHEMA), execute)) || this.readOnly) return;
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK_KEY]);
        await runAsync(migrateSchema(POSTGRES_SCHEMA, check), execute);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** Runs `work` in a transaction begun with `begin`, retrying it when it loses a deadlock or serialization race. */
  private async withClient<T>(begin: string, work: (execute: (statement: Statement) => Promise<Row[]>) => Promise<T>): Promise<T> {
    const pool = await this.pool();
    const deadline = Date.now() + this.retryTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translatePostgresError(error, this.url, this.retryTimeoutMs);
      }
      try {
        await client.query(begin);
        const result = await work(executeOn(client));
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        let broken = false;
        await client.query("ROLLBACK").catch(() => (broken = true));
        client.release(broken);
        if (!RETRYABLE.has(pgCode(error) ?? "") || Date.now() >= deadline)
          throw translatePostgresError(error, this.url, this.retryTimeoutMs);
        await new Promise((done) => setTimeout(done, Math.min(250, 2 ** Math.min(attempt, 8)) * (0.5 + this.jitter.random())));
      }
    }
  }
}

/** Runs statements on one connection, their `?` placeholders numbered. */
function executeOn(client: PoolClient): (statement: Statement) => Promise<Row[]> {
  return async (statement) => (await client.query(numberPlaceholders(statement.sql), statement.params as unknown[])).rows;
}

/** `?` placeholders as PostgreSQL numbers them (`$1`, `$2`, ...); a `?` inside quotes stays. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === "?" ? `$${++n}` : match));
}

/** Connection and permission failures become `StorageError`s naming the server; bugs pass through. */
export function translatePostgresError(error: unknown, url: string, retryTimeoutMs: number): unknown {
  if (error instanceof TunebookError) return error;
  const code = pgCode(error);
  const message = (error as Error)?.message ?? String(error);
  const where = `PostgreSQL at ${url}`;
  switch (code) {
    case "ECONNREFUSED":
      return new StorageError(`Cannot connect to ${where}: connection refused. Is the server running and listening there?`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new StorageError(`Cannot connect to ${where}: unknown host (${message}).`);
    case "28P01":
    case "28000":
      return new StorageError(`${where} refused the login: ${message}. Check the user and password in the URL.`);
    case "3D000":
      return new StorageError(`${where}: ${message}. Create the database first (e.g. createdb <name>) or fix the URL.`);
    case "42501":
      return new StorageError(`${where}: permission denied (${message}); the user needs rights to create and write tables.`);
    case READ_ONLY_TRANSACTION:
      return new StorageError(`${where} was opened read-only and cannot be changed (${message}).`);
    case "ERR_INVALID_URL":
      return new StorageError(
        `Cannot read the PostgreSQL URL ${url}: ${message}. Write it as postgresql://user:password@host:5432/database.`,
      );
    case "40001":
    case "40P01":
    case "55P03":
      return new StorageError(
        `${where} stayed too contended to finish a transaction within ${Math.round(retryTimeoutMs / 1000)} s: ${message}.`,
      );
  }
  if (code === "57P01" || code === "57P03" || code === "08006" || code === "08001" || code === "ECONNRESET") {
    return new StorageError(`Lost the connection to ${where}: ${message}.`);
  }
  return error;
}

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The URL with its passwords masked, for messages and `storage.url`: the one after the user
 * name, and any query parameter that carries one (`password`, `sslpassword`).
 */
export function redact(url: string): string {
  // The user information ends at the last "@" before the path, as pg reads it.
  const masked = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^/?#]*@/i, "$1:***@");
  return masked.replace(/([?&][^=&#]*password=)[^&#]*/gi, "$1***");
}
