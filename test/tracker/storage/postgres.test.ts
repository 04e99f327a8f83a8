import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { StorageError } from "../../../core/errors.js";
import { numberPlaceholders, PostgresDialect, PostgresStorage, translatePostgresError } from "../../../tracker/storage/postgres.js";
import { OPTUNA_ALEMBIC_HEAD, TUNEBOOK_SCHEMA_VERSION } from "../../../tracker/storage/schema.js";
import { skipWithoutPostgres, sqlRows as sql, testPostgres } from "../../helpers/postgres.js";

const server = await testPostgres();
const skip = skipWithoutPostgres(server);
const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
});

async function freshUrl(): Promise<string> {
  if (typeof server === "string") throw new Error(server);
  const { url, drop } = await server.freshSchema();
  drops.push(drop);
  return url;
}

async function rejectsWith(storage: PostgresStorage, patterns: RegExp[]): Promise<void> {
  await assert.rejects(storage.listStudies(), (e: Error) => {
    assert.ok(e instanceof StorageError, `expected a StorageError, got ${e.name}: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
  await storage.close();
}

describe("PostgreSQL storage", { skip }, () => {
  test("a server that is not there is a StorageError naming host and port, never the password", async () => {
    await rejectsWith(new PostgresStorage("postgresql://someone:s3cret@127.0.0.1:1/db"), [
      /127\.0\.0\.1:1/,
      /connection refused/,
      /^(?!.*s3cret)/s,
    ]);
  });

  test("a wrong password and a missing database are StorageErrors that say so", async () => {
    const url = new URL((server as { url: string }).url);
    url.password = "wrong-password";
    await rejectsWith(new PostgresStorage(url.toString()), [/refused the login/, /tunebook_test/, /^(?!.*wrong-password)/s]);
    const missing = new URL((server as { url: string }).url);
    missing.pathname = "/no_such_database_here";
    await rejectsWith(new PostgresStorage(missing.toString()), [/no_such_database_here/, /does not exist/]);
  });

  test("the schema is Optuna's: enum types, tables, version rows, plus our tables", async () => {
    const url = await freshUrl();
    const storage = new PostgresStorage(url);
    await storage.listStudies();
    await storage.close();
    assert.deepEqual(await sql(url, "SELECT version_info_id, schema_version, library_version FROM version_info"), [
      { version_info_id: 1, schema_version: 12, library_version: "3.1.0" },
    ]);
    assert.deepEqual(await sql(url, "SELECT version_num FROM alembic_version"), [{ version_num: OPTUNA_ALEMBIC_HEAD }]);
    assert.deepEqual(await sql(url, "SELECT version FROM tunebook_schema"), [{ version: TUNEBOOK_SCHEMA_VERSION }]);
  });

  test("mustExist: a database without tables is refused and left empty", async () => {
    const url = await freshUrl();
    await rejectsWith(new PostgresStorage(url, { mustExist: true }), [/no studies/]);
    assert.deepEqual(await sql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"), []);
  });

  test("a database of a newer tunebook, or an unknown Optuna revision, is refused and left as it was", async () => {
    const url = await freshUrl();
    await new PostgresStorage(url).listStudies();
    await sql(url, "UPDATE tunebook_schema SET version = 42");
    await rejectsWith(new PostgresStorage(url), [/newer tunebook/, /version 42/, /Upgrade tunebook/]);
    assert.deepEqual(await sql(url, "SELECT version FROM tunebook_schema"), [{ version: 42 }]);
    await sql(url, `UPDATE tunebook_schema SET version = ${TUNEBOOK_SCHEMA_VERSION}; UPDATE alembic_version SET version_num = 'v7.0.0.a'`);
    await rejectsWith(new PostgresStorage(url), [/"v7\.0\.0\.a"/, /does not know/]);
  });

  test("a database another application uses is refused, naming its tables", async () => {
    const url = await freshUrl();
    await sql(url, "CREATE TABLE invoices (id SERIAL PRIMARY KEY)");
    await rejectsWith(new PostgresStorage(url), [/another application/, /invoices/]);
  });

  test("workers opening a fresh database at once create the schema once", async () => {
    const url = await freshUrl();
    const storages = Array.from({ length: 6 }, () => new PostgresStorage(url, { poolSize: 1 }));
    const ids = await Promise.allSettled(storages.map((s, i) => s.createStudy({ name: `s${i}`, direction: "minimize" })));
    assert.deepEqual(
      ids.map((r) => r.status),
      Array(6).fill("fulfilled"),
    );
    await Promise.all(storages.map((s) => s.close()));
    assert.deepEqual(await sql(url, "SELECT COUNT(*)::int AS n FROM alembic_version"), [{ n: 1 }]);
  });
});

describe("the PostgreSQL dialect", () => {
  test("numbers ? placeholders in order, leaving quoted text alone", () => {
    assert.equal(
      numberPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b IN (?, ?) AND c = 'it''s ?' AND d = ?`),
      `SELECT '?', "a?" FROM t WHERE a = $1 AND b IN ($2, $3) AND c = 'it''s ?' AND d = $4`,
    );
    assert.equal(numberPlaceholders("SELECT 1"), "SELECT 1");
  });

  test("failures a user can fix become StorageErrors naming the server; bugs pass through", () => {
    const url = "postgresql://tune:***@db-host:5432/tunebook";
    const failure = (code: string) => Object.assign(new Error(`detail of ${code}`), { code });
    const cases: [string, RegExp][] = [
      ["ECONNREFUSED", /^Cannot connect to PostgreSQL at .*db-host:5432.*: connection refused\. Is the server running/],
      ["ENOTFOUND", /^Cannot connect to PostgreSQL at .*: unknown host \(detail of ENOTFOUND\)\.$/],
      ["28P01", /refused the login: detail of 28P01\. Check the user and password in the URL\.$/],
      ["3D000", /: detail of 3D000\. Create the database first/],
      ["42501", /permission denied \(detail of 42501\); the user needs rights to create and write tables\.$/],
      ["40001", /stayed too contended to finish a transaction within 3 s: detail of 40001\.$/],
      ["40P01", /stayed too contended/],
      ["57P01", /^Lost the connection to PostgreSQL at .*: detail of 57P01\.$/],
      ["ECONNRESET", /^Lost the connection/],
    ];
    for (const [code, message] of cases) {
      const error = translatePostgresError(failure(code), url, 3000) as Error;
      assert.ok(error instanceof StorageError, code);
      assert.match(error.message, message);
    }
    const unique = failure("23505");
    assert.equal(translatePostgresError(unique, url, 3000), unique, "a unique violation is the storage's to interpret");
    const bug = new TypeError("a bug");
    assert.equal(translatePostgresError(bug, url, 3000), bug);
  });

  test("a broken unique constraint is recognised by its SQLSTATE", () => {
    const dialect = new PostgresDialect("postgresql://nobody@127.0.0.1:1/none");
    assert.equal(dialect.isUniqueViolation(Object.assign(new Error("duplicate key"), { code: "23505" })), true);
    assert.equal(dialect.isUniqueViolation(Object.assign(new Error("deadlock"), { code: "40P01" })), false);
    assert.equal(dialect.isUniqueViolation(new Error("duplicate key")), false);
  });
});

const PYTHON_SCHEMA = fileURLToPath(new URL("./fixtures/optuna_pg_schema.py", import.meta.url));
let optunaSchema: { tables: Record<string, Record<string, { type: string; nullable: boolean }>>; enums: Record<string, string[]> } | null =
  null;
try {
  optunaSchema = JSON.parse(execFileSync("/usr/bin/python3", [PYTHON_SCHEMA], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
} catch {
  optunaSchema = null;
}

describe("PostgreSQL schema against Optuna 3.1's models", {
  skip: skip || (optunaSchema === null && "Optuna 3.1 (python3) is not available to compile its models"),
}, () => {
  test("every table, column type, nullability and enum label matches what Optuna's SQLAlchemy creates", async () => {
    const url = await freshUrl();
    const storage = new PostgresStorage(url);
    await storage.listStudies();
    await storage.close();
    // SQLAlchemy's type names, as PostgreSQL's format_type prints them.
    const pgName = (t: string) =>
      t
        .replace(/^VARCHAR\((\d+)\)$/, "character varying($1)")
        .replace(/^FLOAT\(53\)$/, "double precision")
        .replace(/^TIMESTAMP WITHOUT TIME ZONE$/, "timestamp without time zone")
        .replace(/^(INTEGER|TEXT)$/, (m) => m.toLowerCase());
    const columns = await sql<{ table_name: string; column_name: string; type: string; nullable: boolean }>(
      url,
      `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname NOT LIKE 'tunebook_%'`,
    );
    const ours: Record<string, Record<string, { type: string; nullable: boolean }>> = {};
    for (const c of columns) {
      ours[c.table_name] ??= {};
      ours[c.table_name][c.column_name] = { type: c.type, nullable: c.nullable };
    }
    const expected = Object.fromEntries(
      Object.entries(optunaSchema!.tables).map(([table, cols]) => [
        table,
        Object.fromEntries(Object.entries(cols).map(([name, c]) => [name, { type: pgName(c.type), nullable: c.nullable }])),
      ]),
    );
    expected.alembic_version = { version_num: { type: "character varying(32)", nullable: false } };
    assert.deepEqual(ours, expected);
    const labels = await sql<{ typname: string; labels: string[] }>(
      url,
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() GROUP BY t.typname`,
    );
    assert.deepEqual(Object.fromEntries(labels.map((l) => [l.typname, l.labels])), optunaSchema!.enums);
  });
});
