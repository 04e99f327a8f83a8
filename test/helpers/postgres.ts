/**
 * A PostgreSQL server for tests: `$TUNEBOOK_TEST_POSTGRES_URL` if set, else Debian's local
 * cluster, started if it is down, with a password role and a database made for the tests.
 * Each test gets a fresh schema of that database, so runs never see each other's tables.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import pg from "pg";

export interface TestPostgres {
  /** URL of the test database. */
  url: string;
  /** A URL whose tables land in a new, empty schema; `drop()` removes the schema and everything in it. */
  freshSchema(): Promise<{ url: string; drop(): Promise<void> }>;
}

const ROLE = "tunebook_test";
const PASSWORD = "tunebook_test";
const DATABASE = "tunebook_test";
const LOCAL_URL = `postgresql://${ROLE}:${PASSWORD}@127.0.0.1:5432/${DATABASE}`;

let found: Promise<TestPostgres | string> | undefined;

/** The test server, or the reason there is none. */
export function testPostgres(): Promise<TestPostgres | string> {
  found ??= locate();
  return found;
}

/**
 * For `describe(..., { skip })`: false when PostgreSQL is available; otherwise a loud skip
 * reason, or, with TUNEBOOK_REQUIRE_ALL=1, a failing test in place of the skipped ones.
 */
export function skipWithoutPostgres(server: TestPostgres | string): string | false {
  if (typeof server !== "string") return false;
  const message = `PostgreSQL tests SKIPPED: ${server}`;
  if (process.env.TUNEBOOK_REQUIRE_ALL === "1") {
    test("PostgreSQL is available (TUNEBOOK_REQUIRE_ALL=1)", () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n${"!".repeat(72)}\n!! ${message}\n${"!".repeat(72)}\n`);
  }
  return message;
}

async function locate(): Promise<TestPostgres | string> {
  const given = process.env.TUNEBOOK_TEST_POSTGRES_URL;
  if (given) {
    const problem = await tryConnect(given);
    return problem === null ? server(given) : `cannot connect to $TUNEBOOK_TEST_POSTGRES_URL (${problem})`;
  }
  if ((await tryConnect(LOCAL_URL)) === null) return server(LOCAL_URL);
  if (!existsSync("/usr/bin/pg_ctlcluster"))
    return "PostgreSQL is not installed (no /usr/bin/pg_ctlcluster); install Debian's postgresql or set TUNEBOOK_TEST_POSTGRES_URL";
  try {
    startCluster();
    setUpRoleAndDatabase();
  } catch (error) {
    return `could not start or prepare the local PostgreSQL cluster: ${(error as Error).message.split("\n")[0]}`;
  }
  const problem = await tryConnect(LOCAL_URL);
  return problem === null ? server(LOCAL_URL) : `the local PostgreSQL cluster is up but ${LOCAL_URL} does not connect (${problem})`;
}

function server(url: string): TestPostgres {
  let counter = 0;
  return {
    url,
    async freshSchema() {
      const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
      await adminQuery(url, `CREATE SCHEMA ${schema}`);
      const separator = url.includes("?") ? "&" : "?";
      return {
        url: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        drop: () => adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      };
    },
  };
}

/** Runs SQL on its own connection, bypassing tunebook; its rows. */
export async function sqlRows<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params as unknown[])).rows;
  } finally {
    await client.end();
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  await sqlRows(url, sql);
}

async function tryConnect(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function startCluster(): void {
  const status = execFileSync("pg_lsclusters", ["--no-header"], { encoding: "utf8" });
  const line = status.split("\n").find((l) => /^15\s+main\s/.test(l)) ?? status.split("\n").find((l) => l.trim());
  if (!line) throw new Error("pg_lsclusters lists no cluster");
  const [version, cluster, , state] = line.trim().split(/\s+/);
  if (state === "online") return;
  try {
    execFileSync("pg_ctlcluster", [version, cluster, "start"], { stdio: "pipe" });
  } catch (error) {
    // Another test process may have started it meanwhile.
    const again = execFileSync("pg_lsclusters", ["--no-header", version, cluster], { encoding: "utf8" });
    if (!/online/.test(again)) throw error;
  }
}

/** As the postgres OS user (peer auth on the local socket): a password role and the test database. */
function setUpRoleAndDatabase(): void {
  const psql = (sql: string) =>
    execFileSync("runuser", ["-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-tAc", sql], {
      encoding: "utf8",
      stdio: "pipe",
    });
  psql(
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}'; ELSE ALTER ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'; END IF; END $$`,
  );
  if (psql(`SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`).trim() !== "1") {
    try {
      psql(`CREATE DATABASE ${DATABASE} OWNER ${ROLE}`);
    } catch (error) {
      if (!/already exists/.test(String((error as { stderr?: unknown }).stderr ?? error))) throw error;
    }
  }
}
