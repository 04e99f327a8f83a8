import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";

/**
 * A large WAL file with no writer is read through a copy on disk, not in memory: nothing is
 * created beside the file, the copy goes when the reader closes, and the reader still
 * follows a writer that comes later.
 */

const dir = mkdtempSync(join(tmpdir(), "tunebook-large-reader-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function readerCopies(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith("tunebook-reader-"));
}

test("a WAL file above 64 MB is read through a temporary copy, removed on close", async () => {
  const path = join(dir, "large.db");
  const writer = new SqliteStorage(path);
  const id = await writer.createStudy({ name: "large", direction: "minimize" });
  const trial = (await writer.createTrial(id))!;
  await writer.close();
  // 70 MB of attributes, written straight into the file.
  const db = new Database(path);
  const insert = db.prepare(`INSERT INTO trial_user_attributes (trial_id, "key", value_json) VALUES (?, ?, ?)`);
  const blob = JSON.stringify("x".repeat(1 << 20));
  db.transaction(() => {
    for (let i = 0; i < 70; i++) insert.run(trial.trialId, `k${i}`, blob);
  })();
  db.close();
  assert.ok(statSync(path).size > 64 * 1024 * 1024);
  assert.deepEqual(readdirSync(dir), ["large.db"]);

  const before = new Set(readerCopies());
  const reader = new SqliteStorage(path, { readOnly: true });
  assert.equal((await reader.getStudy(id)).counts.RUNNING, 1);
  const copies = readerCopies().filter((name) => !before.has(name));
  assert.equal(copies.length, 1, "one copy on disk");
  assert.deepEqual(readdirSync(dir), ["large.db"], "nothing beside the file");

  // A writer comes (and goes): the reader sees its trial.
  const later = new SqliteStorage(path);
  await later.finishTrial(trial.trialId, "COMPLETE", [1]);
  await later.close();
  assert.equal((await reader.getStudy(id)).counts.COMPLETE, 1);

  await reader.close();
  assert.deepEqual(
    readerCopies().filter((name) => !before.has(name)),
    [],
    "the copy is removed on close",
  );
});
