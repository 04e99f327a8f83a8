import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";

/**
 * A large WAL file with no writer is read through a copy on disk, not in memory: nothing is
 * created beside the file, the copy goes when the reader closes, and the reader still
 * follows a writer that comes later. Copies left by a reader killed with -9 are removed by
 * the next process that makes one.
 */

const dir = mkdtempSync(join(tmpdir(), "tunebook-large-reader-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** This process's copies (other processes may be making theirs meanwhile). */
function readerCopies(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`tunebook-reader-${process.pid}-`));
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

  // The copies of a reader killed with -9 (its pid gone) are removed; a live reader's are kept.
  const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
  const orphan = join(tmpdir(), `tunebook-reader-${dead}-orphan`);
  const live = join(tmpdir(), `tunebook-reader-${process.pid}-live`);
  for (const folder of [orphan, live]) {
    mkdirSync(folder);
    writeFileSync(join(folder, "copy.db"), "");
  }
  after(() => rmSync(live, { recursive: true, force: true }));

  const before = new Set(readerCopies());
  const reader = new SqliteStorage(path, { readOnly: true });
  assert.equal((await reader.getStudy(id)).counts.RUNNING, 1);
  const copies = readerCopies().filter((name) => !before.has(name));
  assert.equal(copies.length, 1, "one copy on disk");
  assert.equal(existsSync(orphan), false, "a dead reader's copy is removed");
  assert.equal(existsSync(live), true, "a live reader's copy is kept");
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
