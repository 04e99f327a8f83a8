import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { StorageError } from "../../../core/errors.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { openStorage } from "../../../tracker/storage/open.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";

const dir = mkdtempSync(join(tmpdir(), "tunebook-open-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("openStorage", () => {
  test(":memory: is an in-memory storage, fresh each time", async () => {
    const a = openStorage(":memory:");
    assert.ok(a instanceof InMemoryStorage);
    await a.createStudy({ name: "s", direction: "minimize" });
    assert.deepEqual(await openStorage(":memory:").listStudies(), []);
  });

  test("sqlite:<path>, sqlite:///<path> (SQLAlchemy's rule) and bare .db/.sqlite/.sqlite3 paths", async () => {
    const abs = join(dir, "a.db");
    const cases: [string, string][] = [
      [`sqlite:${abs}`, abs],
      [`sqlite:///${abs}`, abs], // four slashes: absolute, as Optuna writes it
      [abs, abs],
      [join(dir, "b.sqlite"), join(dir, "b.sqlite")],
      [join(dir, "c.SQLITE3"), join(dir, "c.SQLITE3")],
      [`sqlite:${abs}?synchronous=full`, abs],
    ];
    for (const [url, path] of cases) {
      const storage = openStorage(url);
      assert.ok(storage instanceof SqliteStorage, url);
      assert.equal(storage.url, `sqlite:${path}`, url);
      await storage.close();
    }
    // Three slashes: relative to the working directory, as in SQLAlchemy.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const relative = openStorage("sqlite:///rel.db");
      assert.equal(relative.url, `sqlite:${resolve(dir, "rel.db")}`);
      await relative.close();
      const plain = openStorage("sqlite:plain.db");
      assert.equal(plain.url, `sqlite:${resolve(dir, "plain.db")}`);
      await plain.close();
    } finally {
      process.chdir(cwd);
    }
  });

  test("postgres:// and postgresql:// (with or without an Optuna driver name) open PostgreSQL lazily", async () => {
    for (const url of [
      "postgres://u:secret@127.0.0.1:1/db",
      "postgresql://u:secret@127.0.0.1:1/db",
      "postgresql+psycopg2://u:secret@127.0.0.1:1/db",
    ]) {
      const storage = openStorage(url);
      assert.ok(storage instanceof PostgresStorage, url);
      assert.ok(!storage.url.includes("secret"), `the password is hidden: ${storage.url}`);
      await storage.close();
    }
  });

  test("a Storage instance passes through unchanged", () => {
    const storage = new InMemoryStorage();
    assert.equal(openStorage(storage), storage);
  });

  test("the default is $TUNEBOOK_STORAGE, else ./tunebook.db", async () => {
    const saved = process.env.TUNEBOOK_STORAGE;
    const cwd = process.cwd();
    try {
      process.env.TUNEBOOK_STORAGE = `sqlite:${join(dir, "from-env.db")}`;
      const fromEnv = openStorage();
      assert.equal(fromEnv.url, `sqlite:${join(dir, "from-env.db")}`);
      await fromEnv.close();
      delete process.env.TUNEBOOK_STORAGE;
      process.chdir(dir);
      const byDefault = openStorage();
      assert.equal(byDefault.url, `sqlite:${resolve(dir, "tunebook.db")}`);
      await byDefault.close();
    } finally {
      process.chdir(cwd);
      if (saved === undefined) delete process.env.TUNEBOOK_STORAGE;
      else process.env.TUNEBOOK_STORAGE = saved;
    }
  });

  test("mustExist is passed on: a missing file is not created", () => {
    const path = join(dir, "missing.db");
    assert.throws(
      () => openStorage(path, { mustExist: true }),
      (e: Error) => e instanceof StorageError && e.message.includes(path),
    );
    assert.equal(existsSync(path), false);
  });

  test("an unknown form is a StorageError naming it and listing the accepted forms", () => {
    for (const bad of ["mysql://root@localhost/db", "results.csv", "sqlite://host/x.db", "", "sqlite:"]) {
      assert.throws(
        () => openStorage(bad),
        (e: Error) =>
          e instanceof StorageError &&
          e.message.includes(JSON.stringify(bad)) &&
          /:memory:/.test(e.message) &&
          /postgres:\/\//.test(e.message) &&
          /\.db/.test(e.message),
        bad,
      );
    }
  });

  test("bad URL options and openStorage options name the culprit", () => {
    assert.throws(
      () => openStorage(`sqlite:${join(dir, "x.db")}?synchronus=full`),
      (e: Error) => e instanceof StorageError && /"synchronus"/.test(e.message) && /"synchronous"/.test(e.message),
    );
    assert.throws(() => openStorage(`sqlite:${join(dir, "x.db")}?synchronous=sometimes`), /synchronous=sometimes/);
    assert.throws(() => openStorage(":memory:", { mustexist: true } as object), /"mustexist".*"mustExist"/);
  });
});
