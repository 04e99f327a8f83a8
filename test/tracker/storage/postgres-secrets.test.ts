/**
 * A PostgreSQL URL carries a password: a storage shows it nowhere — not to JSON.stringify,
 * util.inspect, console.log or String(), not in `url`, not in any error message.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { StorageError } from "../../../core/errors.js";
import { openStorage } from "../../../tracker/storage/open.js";
import { PostgresStorage, redact } from "../../../tracker/storage/postgres.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, type TestPostgres, testPostgres } from "../../helpers/postgres.js";

const server = await testPostgres();
const SECRET = "Sup3r-s3cret-πw";

/** Every way a storage may be printed, deep and with hidden properties too. */
function printed(storage: Storage): string[] {
  return [
    JSON.stringify(storage),
    inspect(storage),
    inspect(storage, { depth: Infinity, showHidden: true, getters: true }),
    String(storage),
    `${storage.url}`,
  ];
}

/**
 * What printed text must not contain: the connection string, a password field, and each of
 * `secrets` (the password as written in the URL; on its own where it differs from the user name).
 */
function assertHidden(texts: readonly string[], connectionString: string, secrets: readonly string[]): void {
  for (const text of texts) {
    assert.ok(!text.includes(connectionString), `the connection string leaks: ${text}`);
    for (const secret of secrets) assert.ok(!text.includes(secret), `the password leaks (${secret}): ${text}`);
    assert.doesNotMatch(text, /password['"]?\s*[:=]\s*['"]?[^*'"\s]/i, `a password field leaks: ${text}`);
  }
}

const SECRETS = [SECRET, encodeURIComponent(SECRET)];

/** The URL of the test database with something changed. */
function variant(change: (url: URL) => void): string {
  const url = new URL((server as TestPostgres).url);
  change(url);
  return url.toString();
}

describe("the PostgreSQL password stays secret", { skip: skipWithoutPostgres(server) }, () => {
  test("JSON.stringify, util.inspect and String() of a storage never show it, before and after connecting", async () => {
    const { url, drop } = await (server as TestPostgres).freshSchema();
    // The test role's password is its name too: only its place after the name tells it.
    const secrets = [`:${new URL(url).password}@`];
    const storage = openStorage(url);
    try {
      assertHidden(printed(storage), url, secrets);
      await storage.listStudies();
      assertHidden(printed(storage), url, secrets);
      assert.match(storage.url, /:\*\*\*@127\.0\.0\.1:5432\//);
    } finally {
      await storage.close();
      await drop();
    }
  });

  test("a wrong password, a missing database, a refused port and a malformed URL: no message shows the password", async () => {
    const cases: [string, string, RegExp][] = [
      ["a wrong password", variant((u) => (u.password = SECRET)), /refused the login/],
      [
        "a missing database",
        variant((u) => {
          u.password = SECRET;
          u.pathname = "/no_such_database_here";
        }),
        /refused the login|no_such_database_here/,
      ],
      ["a refused port", `postgresql://someone:${encodeURIComponent(SECRET)}@127.0.0.1:1/db`, /connection refused/],
      ["a malformed URL", `postgresql://someone:${encodeURIComponent(SECRET)}@127.0.0.1:port/db`, /URL/],
      ["a password in the query", `postgresql://someone@127.0.0.1:1/db?password=${encodeURIComponent(SECRET)}`, /connection refused/],
    ];
    for (const [what, url, expected] of cases) {
      const storage = new PostgresStorage(url);
      await assert.rejects(storage.listStudies(), (e: Error) => {
        assert.ok(e instanceof StorageError, `${what}: expected a StorageError, got ${e.name}: ${e.message}`);
        assert.match(e.message, expected, what);
        assertHidden([e.message, inspect(e, { depth: Infinity }), JSON.stringify(e)], url, SECRETS);
        return true;
      });
      assertHidden(printed(storage), url, SECRETS);
      await storage.close();
    }
  });

  test("with its password a missing database is named as missing", async () => {
    const url = variant((u) => (u.pathname = "/no_such_database_here"));
    const storage = new PostgresStorage(url);
    await assert.rejects(
      storage.listStudies(),
      (e: Error) =>
        e instanceof StorageError &&
        /no_such_database_here/.test(e.message) &&
        /does not exist/.test(e.message) &&
        !e.message.includes(url),
    );
    await storage.close();
  });
});

describe("redact", () => {
  test("masks the password after the user name, and password query parameters; the rest stays", () => {
    assert.equal(redact("postgresql://tune:s3cret@db:5432/runs"), "postgresql://tune:***@db:5432/runs");
    assert.equal(redact("postgresql://tune:p@ss:w@rd@db/runs"), "postgresql://tune:***@db/runs");
    assert.equal(redact("postgres://:s3cret@db/runs"), "postgres://:***@db/runs");
    assert.equal(
      redact("postgresql://tune@db/runs?sslmode=require&password=s3cret&sslpassword=k3y"),
      "postgresql://tune@db/runs?sslmode=require&password=***&sslpassword=***",
    );
    assert.equal(redact("postgresql://tune@db:5432/runs"), "postgresql://tune@db:5432/runs");
    assert.equal(redact("postgresql://tune:s3cret@/runs?host=/var/run/postgresql"), "postgresql://tune:***@/runs?host=/var/run/postgresql");
  });
});
