/**
 * Many processes on one database, coordinating only through it: unique gap-free numbers,
 * an exact shared budget, every claim given once, no lock error, nothing lost on SIGKILL.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { openStorage } from "../../../tracker/storage/open.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, testPostgres } from "../../helpers/postgres.js";

const WORKER = fileURLToPath(new URL("./child/worker.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tunebook-processes-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function worker(url: string, mode: string, arg: string, onLine?: (line: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, url, mode, arg], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      if (onLine) for (const line of text.split("\n").filter(Boolean)) onLine(line, () => child.kill("SIGKILL"));
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code, signal) => resolve({ code, signal, out, err }));
  });
}

async function runAll(url: string, processes: number, mode: string, arg: string): Promise<Run[]> {
  const runs = await Promise.all(Array.from({ length: processes }, () => worker(url, mode, arg)));
  runs.forEach((r, i) => {
    assert.equal(r.code, 0, `worker ${i} failed:\n${r.err}`);
    assert.doesNotMatch(r.err, /locked|busy|SQLITE_|deadlock|serializ/i, `worker ${i} reported:\n${r.err}`);
  });
  return runs;
}

async function studyTrials(url: string, name: string) {
  const storage: Storage = openStorage(url);
  try {
    return await storage.getAllTrials(await storage.getStudyIdByName(name));
  } finally {
    await storage.close();
  }
}

function sharedStorageSuite(label: string, url: () => Promise<string>, processes: number, skip: string | false = false): void {
  describe(`${processes} processes on one ${label} database`, { skip }, () => {
    test(`${processes} × 50 trials: exactly ${processes * 50}, numbered 0..${processes * 50 - 1}, all COMPLETE`, async () => {
      const shared = await url();
      await runAll(shared, processes, "trials", "50");
      const trials = await studyTrials(shared, "trials");
      assert.equal(trials.length, processes * 50);
      assert.deepEqual(
        trials.map((t) => t.number),
        [...Array(processes * 50).keys()],
      );
      for (const t of trials) {
        assert.equal(t.state, "COMPLETE");
        assert.equal(t.params.k, t.number, "each process's writes landed on its own trial");
        assert.equal(t.value, (t.params.x as number) + t.number);
      }
    });

    test("a shared budget is never overshot, and every grid key is claimed exactly once", async () => {
      const shared = await url();
      await runAll(shared, processes, "budget", "37");
      const budget = await studyTrials(shared, "budget");
      assert.deepEqual(
        budget.map((t) => t.number),
        [...Array(37).keys()],
      );
      const runs = await runAll(shared, processes, "claims", "45");
      const claimed = runs.flatMap((r) =>
        r.out
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(" ")[2]),
      );
      assert.deepEqual(claimed.sort(), Array.from({ length: 45 }, (_, i) => `point-${i}`).sort());
      assert.equal((await studyTrials(shared, "claims")).length, 45);
    });
  });
}

let sqliteFiles = 0;
sharedStorageSuite("SQLite", async () => `sqlite:${join(dir, `shared-${sqliteFiles++}.db`)}`, 4);

const server = await testPostgres();
const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
});
sharedStorageSuite(
  "PostgreSQL",
  async () => {
    if (typeof server === "string") throw new Error(server);
    const { url, drop } = await server.freshSchema();
    drops.push(drop);
    return url;
  },
  8,
  skipWithoutPostgres(server),
);

describe("a process killed with SIGKILL", () => {
  test("loses no finished trial; the file passes integrity_check; the study continues", async () => {
    const path = join(dir, "crash.db");
    const url = `sqlite:${path}`;
    const reported: number[] = [];
    const run = await worker(url, "forever", "", (line, kill) => {
      reported.push(Number(line.split(" ")[1]));
      if (reported.length === 40) kill();
    });
    assert.equal(run.signal, "SIGKILL");
    const db = new Database(path);
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();
    const storage = openStorage(url);
    const id = await storage.getStudyIdByName("forever");
    const trials = await storage.getAllTrials(id);
    const byNumber = new Map(trials.map((t) => [t.number, t]));
    for (const n of reported) assert.equal(byNumber.get(n)?.state, "COMPLETE", `trial ${n} was reported finished`);
    assert.deepEqual(
      trials.map((t) => t.number),
      [...Array(trials.length).keys()],
    );
    // The trial it was running when killed (if any) is failed once its grace runs out; numbering goes on.
    await new Promise((done) => setTimeout(done, 300));
    const failed = await storage.failStaleTrials(id, 0.2);
    assert.ok(failed.every((t) => t.number >= Math.max(...reported)));
    assert.equal(await storage.countTrials(id, ["RUNNING"]), 0);
    assert.equal((await storage.createTrial(id))?.number, trials.length);
    await storage.close();
  });
});
