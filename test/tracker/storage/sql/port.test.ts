import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  placeholders,
  query,
  queryFirst,
  type Row,
  runAsync,
  runSync,
  type Sql,
  type Statement,
} from "../../../../tracker/storage/sql/port.js";

/** Two statements, the second using the first's rows; a failing statement is caught and reported. */
function* sample(): Sql<string> {
  const [first] = yield* query<{ n: number }>("SELECT n FROM a WHERE id = ?", [1]);
  const second = yield* queryFirst<{ name: string }>("SELECT name FROM b WHERE n = ?", [first.n]);
  try {
    yield* query("FAIL");
  } catch (error) {
    return `${second?.name} after ${(error as Error).message}`;
  }
  return "no failure";
}

/** A database of canned answers that records what it was asked. */
function fakeDatabase(): { seen: Statement[]; answer(statement: Statement): Row[] } {
  const seen: Statement[] = [];
  return {
    seen,
    answer(statement) {
      seen.push(statement);
      if (statement.sql === "FAIL") throw new Error("a failed statement");
      return statement.sql.startsWith("SELECT n FROM") ? [{ n: 7 }] : [{ name: "seven" }, { name: "ignored" }];
    },
  };
}

describe("the SQL port", () => {
  test("runSync runs the steps synchronously, feeding each statement's rows back", () => {
    const db = fakeDatabase();
    assert.equal(
      runSync(sample(), (s) => db.answer(s)),
      "seven after a failed statement",
    );
    assert.deepEqual(db.seen, [
      { sql: "SELECT n FROM a WHERE id = ?", params: [1] },
      { sql: "SELECT name FROM b WHERE n = ?", params: [7], firstOnly: true },
      { sql: "FAIL", params: [] },
    ]);
  });

  test("runAsync runs the same steps against a database that answers later", async () => {
    const db = fakeDatabase();
    const result = await runAsync(sample(), async (s) => {
      await new Promise((done) => setImmediate(done));
      return db.answer(s);
    });
    assert.equal(result, "seven after a failed statement");
    assert.equal(db.seen.length, 3);
  });

  test("a failure the steps do not catch reaches the caller, and no statement runs after it", async () => {
    function* unguarded(): Sql<void> {
      yield* query("FAIL");
      yield* query("SELECT n FROM a");
    }
    const db = fakeDatabase();
    assert.throws(() => runSync(unguarded(), (s) => db.answer(s)), /a failed statement/);
    await assert.rejects(
      runAsync(unguarded(), async (s) => db.answer(s)),
      /a failed statement/,
    );
    assert.deepEqual(
      db.seen.map((s) => s.sql),
      ["FAIL", "FAIL"],
    );
  });

  test("placeholders lists one ? per value", () => {
    assert.equal(placeholders(1), "?");
    assert.equal(placeholders(3), "?, ?, ?");
  });
});
