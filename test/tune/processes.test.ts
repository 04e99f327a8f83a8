import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createStudy, loadStudy, setVerbosity } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";

setVerbosity("silent");
const worker = new URL("./fixtures/worker.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-processes-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", worker, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out + err, exit };
}

describe("several processes on one SQLite file", () => {
  it("4 processes × 50 trials give exactly 200 COMPLETE trials numbered 0..199, with no lock error", async () => {
    const url = `sqlite:${join(dir, "shared.db")}`;
    await createStudy({ storage: url, name: "shared" });
    const workers = Array.from({ length: 4 }, () => startWorker([url, "shared", "50"]));
    const codes = await Promise.all(workers.map((w) => w.exit));
    for (const [i, w] of workers.entries()) assert.equal(codes[i], 0, `worker ${i} failed:\n${w.output()}`);
    for (const w of workers) assert.doesNotMatch(w.output(), /locked|SQLITE_BUSY/i);
    const trials = await (await loadStudy({ name: "shared", storage: url })).trials();
    assert.equal(trials.length, 200);
    assert.deepEqual(
      trials.map((t) => t.number),
      [...Array(200).keys()],
    );
    assert.ok(trials.every((t) => t.state === "COMPLETE" && typeof t.value === "number"));
  });
});

describe("a process killed with SIGKILL mid-study", () => {
  it("leaves every completed trial on disk, a consistent file, and a study that resumes", async () => {
    const path = join(dir, "crash.db");
    const url = `sqlite:${path}`;
    const run = startWorker([url, "crash", "1000", "20"]);
    // Kill it once at least 5 trials are reported done, in the middle of the next one.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker never reported 5 trials:\n${run.output()}`)), 60_000);
      void run.exit.then(() => reject(new Error(`worker exited before 5 trials:\n${run.output()}`)));
      run.child.stdout!.on("data", () => {
        if ((run.output().match(/^done /gm) ?? []).length >= 5) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    run.child.kill("SIGKILL");
    await run.exit;
    const reported = [...run.output().matchAll(/^done (\d+)$/gm)].map((m) => Number(m[1]));

    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();

    const study = await loadStudy({ name: "crash", storage: url });
    const trials = await study.trials();
    const complete = new Set(trials.filter((t) => t.state === "COMPLETE").map((t) => t.number));
    for (const n of reported) assert.ok(complete.has(n), `trial ${n} was reported done but is not COMPLETE on disk`);
    assert.ok(trials.every((t) => t.state === "COMPLETE" || t.state === "RUNNING"));
    assert.ok(trials.filter((t) => t.state === "RUNNING").length <= 1);

    const before = trials.length;
    await study.optimize((t) => t.suggestFloat("x", -5, 5) ** 2 + t.suggestInt("y", 0, 10), { nTrials: 3 });
    const resumed = await study.trials();
    assert.equal(resumed.length, before + 3);
    assert.deepEqual(
      resumed.map((t) => t.number),
      [...Array(before + 3).keys()],
    );
  });
});
