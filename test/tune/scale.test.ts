// Many `tunebook worker` processes sharing one study through the database.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createStudy, loadStudy, setVerbosity } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";
import { skipWithoutPostgres, testPostgres } from "../helpers/postgres.js";

setVerbosity("silent");
const cli = new URL("../../cli/run.ts", import.meta.url).pathname;
const objective = new URL("./fixtures/objectives.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-scale-"));
const server = await testPostgres();
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  await closeStorages();
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function worker(url: string, study: string, trials: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", cli, "worker", objective, "--storage", url, "--study", study, "--trials", String(trials), "--sampler", "random"],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TUNEBOOK_TEST_DELAY_MS: "1" },
    },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

async function eightWorkers(url: string): Promise<void> {
  await createStudy({ storage: url, name: "eight", sampler: "random" });
  const runs = await Promise.all(Array.from({ length: 8 }, () => worker(url, "eight", 400)));
  for (const [i, run] of runs.entries()) {
    assert.equal(run.code, 0, `worker ${i}:\n${run.output}`);
    assert.doesNotMatch(run.output, /locked|SQLITE_BUSY|deadlock|could not serialize/i);
  }
  const trials = await (await loadStudy({ name: "eight", storage: url })).trials();
  assert.equal(trials.length, 400);
  assert.deepEqual(
    trials.map((t) => t.number).sort((a, b) => a - b),
    [...Array(400).keys()],
  );
  assert.ok(trials.every((t) => t.state === "COMPLETE"));
  assert.ok(new Set(trials.map((t) => t.userAttrs.pid)).size >= 4, "work was spread over the workers");
}

describe("8 worker processes, one budget of 400 trials", () => {
  it("on one SQLite file: exactly 400 trials, unique numbers, no lock error", async () => {
    await eightWorkers(`sqlite:${join(dir, "eight.db")}`);
  });

  const skip = skipWithoutPostgres(server);
  it("on PostgreSQL: exactly 400 trials, unique numbers", { skip }, async () => {
    if (typeof server === "string") return;
    const schema = await server.freshSchema();
    cleanups.push(schema.drop);
    await eightWorkers(schema.url);
  });
});
