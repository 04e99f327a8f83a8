/**
 * Readers open storage read-only: `tunebook studies`, `trials`, `export`, `ui` and the UI
 * server leave a database exactly as they found it — no journal-mode change, no tunebook
 * tables, no side files — and work where they cannot write at all.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, chmodSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { StorageError } from "../../../core/errors.js";
import { STUDY_CHART_KINDS } from "../../../tracker/server/chart-specs.js";
import { startServer } from "../../../tracker/server/start.js";
import type { StudiesResponse } from "../../../tracker/server/types.js";
import { openStorage } from "../../../tracker/storage/open.js";
import { PostgresDialect } from "../../../tracker/storage/postgres.js";
import { OPTUNA_POSTGRES_DDL } from "../../../tracker/storage/schema.js";
import { query } from "../../../tracker/storage/sql/port.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, sqlRows, testPostgres } from "../../helpers/postgres.js";
import { optunaPeer, skipWithoutOptuna } from "./optuna-peer.js";

const server = await testPostgres();
const STUDY = "written by optuna";
const cli = new URL("../../../cli/run.ts", import.meta.url).pathname;
const root = join(tmpdir(), `tunebook-read-only-${process.pid}`);
mkdirSync(root, { recursive: true });
after(() => {
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) chmodSync(join(entry.parentPath, entry.name), 0o755);
  }
  rmSync(root, { recursive: true, force: true });
});

/** A folder of its own per case, so its listing shows every file a reader leaves behind. */
function folder(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
}

/**
 * Makes the database read-only (0444) in a read-only folder (0555). Tests run as root, whom
 * permissions do not stop: then only the read-only open mode keeps the file as it was, which
 * the snapshots check (bytes, times, and no -journal, -wal or -shm beside it).
 */
function lockDown(path: string): void {
  chmodSync(path, 0o444);
  chmodSync(dirname(path), 0o555);
  if (process.getuid?.() !== 0) assert.throws(() => accessSync(path, constants.W_OK), "permissions bite for this user");
}

/** Everything a reader could change: the folder's files, the database's bytes, its times and mode. */
function snapshot(path: string): { files: string[]; sha256: string; mtimeMs: number; mode: number } {
  const stat = statSync(path);
  return {
    files: readdirSync(join(path, "..")).sort(),
    sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
    mtimeMs: stat.mtimeMs,
    mode: stat.mode,
  };
}

function tunebook(cwd: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], { encoding: "utf8", cwd });
  assert.equal(run.status, 0, `tunebook ${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

/** `tunebook ui` on the database: started, asked for its studies, stopped. */
async function tunebookUi(cwd: string, path: string): Promise<StudiesResponse> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), cli, "ui", "--storage", path, "--port", "0"], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((done) => child.on("exit", done));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        output += chunk;
        const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (found) resolve(found[1]);
      };
      child.stdout.on("data", look);
      child.stderr.on("data", look);
      void exited.then(() => reject(new Error(`tunebook ui exited before serving:\n${output}`)));
    });
    const response = await fetch(`${url}api/studies`);
    assert.equal(response.status, 200);
    return (await response.json()) as StudiesResponse;
  } finally {
    child.kill("SIGTERM");
    assert.equal(await exited, 0, output);
  }
}

/** Every read the CLI and the UI server make, on the database at `path` holding the Optuna study. */
async function readEverything(path: string): Promise<void> {
  const cwd = join(path, "..");
  const listed = JSON.parse(tunebook(cwd, "studies", "--storage", path, "--json"));
  assert.deepEqual(
    listed.map((s: { name: string }) => s.name),
    [STUDY],
  );
  assert.match(tunebook(cwd, "studies", "--storage", `sqlite:${path}`), /written by optuna/);
  assert.match(tunebook(cwd, "trials", STUDY, "--storage", path), /COMPLETE/);
  assert.match(tunebook(cwd, "export", STUDY, "--storage", path), /^number,state,value/);
  assert.equal(JSON.parse(tunebook(cwd, "export", STUDY, "--storage", path, "--format", "json")).length, 7);
  assert.deepEqual(
    (await tunebookUi(cwd, path)).experiments.flatMap((g) => g.studies.map((s) => s.name)),
    [STUDY],
  );
  await readThroughServer(`sqlite:${path}`);
}

/** The UI server's API, every page's data: studies, a study, its trials, one trial, export, refine, charts. */
async function readThroughServer(storage: string): Promise<void> {
  const server = await startServer({ storage, port: 0 });
  try {
    const get = async (path: string) => {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
      return response;
    };
    const studies = (await (await get("api/studies")).json()) as StudiesResponse;
    const id = studies.experiments[0].studies[0].id;
    for (const path of [
      `api/studies/${id}`,
      `api/studies/${id}/trials`,
      `api/studies/${id}/trials/0`,
      `api/studies/${id}/export?format=json`,
      `api/studies/${id}/refine`,
      `api/compare?studies=${id}`,
      ...STUDY_CHART_KINDS.map((kind) => `api/studies/${id}/charts/${kind}`),
    ])
      await get(path);
  } finally {
    await server.close();
  }
}

/** Every writer of the `Storage` interface, each refused by a read-only storage. */
function writers(storage: Storage, studyId: number, trialId: number): [string, () => Promise<unknown>][] {
  const x = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } } as const;
  return [
    ["createStudy", () => storage.createStudy({ name: "new", direction: "minimize" })],
    ["deleteStudy", () => storage.deleteStudy(studyId)],
    ["setStudyUserAttr", () => storage.setStudyUserAttr(studyId, "k", 1)],
    ["setStudySystemAttr", () => storage.setStudySystemAttr(studyId, "k", 1)],
    ["createTrial", () => storage.createTrial(studyId)],
    ["claimWaitingTrial", () => storage.claimWaitingTrial(studyId)],
    ["setTrialParam", () => storage.setTrialParam(trialId, "x", 0.5, x)],
    ["setTrialIntermediateValue", () => storage.setTrialIntermediateValue(trialId, 0, 1)],
    ["setTrialUserAttr", () => storage.setTrialUserAttr(trialId, "k", 1)],
    ["setTrialSystemAttr", () => storage.setTrialSystemAttr(trialId, "k", 1)],
    ["finishTrial", () => storage.finishTrial(trialId, "COMPLETE", [1])],
    ["recordHeartbeat", () => storage.recordHeartbeat(trialId)],
    ["failStaleTrials", () => storage.failStaleTrials(studyId, 0)],
  ];
}

async function assertWritersRefused(storage: Storage): Promise<void> {
  const [study] = await storage.listStudies();
  const [trial] = await storage.getAllTrials(study.studyId);
  for (const [name, write] of writers(storage, study.studyId, trial.trialId)) {
    await assert.rejects(write(), (e: Error) => {
      assert.ok(e instanceof StorageError, `${name}: expected a StorageError, got ${e.name}: ${e.message}`);
      assert.match(e.message, /opened read-only/, name);
      assert.ok(e.message.includes(name), `${name} is named: ${e.message}`);
      assert.ok(e.message.includes(storage.url), `the storage is named: ${e.message}`);
      return true;
    });
  }
}

const readOnly = (url: string) => openStorage(url, { readOnly: true, mustExist: true });

/** Runs `read` on a read-only storage of `url`, closed after. */
async function reading(url: string, read: (storage: Storage) => Promise<void>): Promise<void> {
  const storage = readOnly(url);
  try {
    await read(storage);
  } finally {
    await storage.close();
  }
}

describe("readers on an SQLite file Optuna wrote", { skip: skipWithoutOptuna() }, () => {
  test("studies, trials, export, ui and the UI server leave it byte for byte as it was, and add no file", async () => {
    const path = join(folder("optuna-file"), "optuna.db");
    optunaPeer("write", path, STUDY, 6);
    const before = snapshot(path);
    await readEverything(path);
    assert.deepEqual(snapshot(path), before);
  });

  test("a read-only storage reads everything, copes without tunebook's tables, and refuses every writer", async () => {
    const path = join(folder("optuna-only"), "optuna.db");
    optunaPeer("write", path, STUDY, 6);
    const before = snapshot(path);
    await reading(path, async (storage) => {
      const [study] = await storage.listStudies();
      assert.deepEqual(study.directions, ["minimize"]);
      assert.equal(await storage.getStudyIdByName(STUDY), study.studyId);
      assert.deepEqual(await storage.getStudy(study.studyId), study);
      assert.equal((await storage.getAllTrials(study.studyId)).length, 7);
      assert.equal(await storage.countTrials(study.studyId, ["COMPLETE"]), 4);
      assert.deepEqual(await storage.claimedKeys(study.studyId), new Set(), "no claims table yet: no claims");
      await assertWritersRefused(storage);
    });
    assert.deepEqual(snapshot(path), before);
  });

  test("in a read-only folder (0555), a read-only file (0444) serves every reader and nothing is written", async () => {
    const dir = folder("read-only-optuna");
    const path = join(dir, "optuna.db");
    optunaPeer("write", path, STUDY, 6);
    lockDown(path);
    const before = snapshot(path);
    await readEverything(path);
    assert.deepEqual(snapshot(path), before);
  });
});

describe("readers on a WAL database tunebook wrote", () => {
  async function tunebookDatabase(dir: string): Promise<string> {
    const path = join(dir, "tunebook.db");
    const writer = openStorage(path);
    const studyId = await writer.createStudy({ name: STUDY, direction: "maximize" });
    for (let i = 0; i < 7; i++) {
      const trial = (await writer.createTrial(studyId))!;
      await writer.setTrialParam(trial.trialId, "x", i / 10, {
        name: "FloatDistribution",
        attributes: { low: 0, high: 1, log: false, step: null },
      });
      await writer.finishTrial(trial.trialId, "COMPLETE", [i]);
    }
    await writer.close();
    assert.equal(readFileSync(path)[18], 2, "the file is in WAL mode");
    assert.deepEqual(readdirSync(dir), ["tunebook.db"], "the writer left no side files");
    return path;
  }

  test("in a read-only folder (0555), a read-only file (0444) serves every reader; no -wal or -shm is left behind", async () => {
    const dir = folder("read-only-wal");
    const path = await tunebookDatabase(dir);
    lockDown(path);
    // A WAL reader needs a -wal and -shm: root could create them, the read-only open mode must not.
    const before = snapshot(path);
    await readEverything(path);
    await reading(path, async (storage) => {
      assert.equal((await storage.listStudies()).length, 1);
      assert.deepEqual(readdirSync(dir), ["tunebook.db"], "no side file, even while the reader is open");
      await assertWritersRefused(storage);
    });
    assert.deepEqual(snapshot(path), before);
  });

  test("a reader opened while no writer runs sees what a writer adds later, whether it is still running or done", async () => {
    const dir = folder("wal-then-writer");
    const path = await tunebookDatabase(dir);
    await reading(path, async (reader) => {
      const names = async () => (await reader.listStudies()).map((s) => s.name);
      assert.deepEqual(await names(), [STUDY]);
      // A writer that comes and goes between two reads.
      const first = openStorage(path);
      await first.createStudy({ name: "second", direction: "minimize" });
      await first.close();
      assert.deepEqual(await names(), [STUDY, "second"]);
      // A writer that keeps running.
      const running = openStorage(path);
      await running.createStudy({ name: "third", direction: "minimize" });
      assert.deepEqual(await names(), [STUDY, "second", "third"]);
      await running.createStudy({ name: "fourth", direction: "minimize" });
      assert.deepEqual(await names(), [STUDY, "second", "third", "fourth"]);
      await running.close();
      assert.deepEqual(await names(), [STUDY, "second", "third", "fourth"]);
    });
  });
});

describe("read-only opening never creates a database", () => {
  test("a missing file or :memory: is a StorageError, and nothing is created", () => {
    const dir = folder("missing");
    for (const url of [join(dir, "missing.db"), `sqlite:${join(dir, "missing.db")}`]) {
      assert.throws(
        () => readOnly(url),
        (e: Error) => e instanceof StorageError && e.message.includes(join(dir, "missing.db")),
      );
    }
    assert.throws(
      () => readOnly(":memory:"),
      (e: Error) => e instanceof StorageError && /":memory:"/.test(e.message) && /nothing to read/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  test("readOnly is a known option; misspelled, it is named", () => {
    assert.throws(() => openStorage(":memory:", { readonly: true } as object), /"readonly".*"readOnly"/);
  });
});

describe("readers on PostgreSQL", { skip: skipWithoutPostgres(server) }, () => {
  let url: string;
  let drop: () => Promise<void>;
  const sql = <T extends Record<string, unknown>>(text: string) => sqlRows<T>(url, text);
  const tables = async () =>
    (
      await sql<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
      )
    ).map((r) => r.name);

  before(async () => {
    if (typeof server === "string") throw new Error(server);
    ({ url, drop } = await server.freshSchema());
  });
  after(async () => drop?.());

  test("a database without tables is refused and left empty", async () => {
    const storage = readOnly(url);
    await assert.rejects(storage.listStudies(), (e: Error) => e instanceof StorageError && /no studies/.test(e.message));
    await storage.close();
    assert.deepEqual(await tables(), []);
  });

  test("on Optuna's tables alone, readers read, create no table, and every writer is refused", async () => {
    // The tables and rows Optuna 3.1 writes, by hand: exactly its tables, none of ours (optuna-interop.test.ts runs Optuna itself).
    for (const statement of OPTUNA_POSTGRES_DDL) await sql(statement);
    await sql(`INSERT INTO studies (study_name) VALUES ('${STUDY}')`);
    await sql(`INSERT INTO study_directions (direction, study_id, objective) VALUES ('MINIMIZE', 1, 0)`);
    await sql(`INSERT INTO trials (number, study_id, state, datetime_start) VALUES (0, 1, 'RUNNING', LOCALTIMESTAMP)`);
    const optunaTables = await tables();
    await reading(url, async (storage) => {
      const [study] = await storage.listStudies();
      assert.equal(study.name, STUDY);
      assert.equal((await storage.getAllTrials(study.studyId)).length, 1);
      assert.deepEqual(await storage.claimedKeys(study.studyId), new Set());
      await assertWritersRefused(storage);
    });
    await readThroughServer(url);
    assert.deepEqual(await tables(), optunaTables, "no tunebook table was created");
    assert.deepEqual(await sql("SELECT study_id, key FROM study_system_attributes"), []);
    assert.deepEqual(await sql("SELECT state FROM trials"), [{ state: "RUNNING" }]);
  });

  test("the connection itself is read-only: a write that reaches the server is refused by it", async () => {
    const dialect = new PostgresDialect(url, { readOnly: true });
    try {
      await assert.rejects(
        dialect.transaction("write", () => query("INSERT INTO studies (study_name) VALUES ('sneaked in')")),
        (e: Error) => e instanceof StorageError && /read-only/.test(e.message) && !/tunebook_test@/.test(e.message),
      );
    } finally {
      await dialect.close();
    }
    assert.deepEqual(await sql("SELECT study_name FROM studies"), [{ study_name: STUDY }]);
  });
});
