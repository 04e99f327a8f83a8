import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createStudy, InMemoryStorage, loadStudy, setVerbosity, ValueError } from "../../index.js";
import { WORKER_OPTIONS_VARIABLE } from "../../tune/parallel.js";
import { closeStorages } from "../../tune/storage.js";
import { skipWithoutPostgres, testPostgres } from "../helpers/postgres.js";

setVerbosity("silent");
const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const workerMain = new URL("../../tune/worker-main.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-parallel-"));
const server = await testPostgres();
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  await closeStorages();
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The backends the coordination tests run on: a SQLite file, and PostgreSQL when it is there. */
const backends: { name: string; skip: string | false; url: (file: string) => Promise<string> }[] = [
  { name: "SQLite", skip: false, url: async (file) => `sqlite:${join(dir, file)}` },
  {
    name: "PostgreSQL",
    skip: skipWithoutPostgres(server),
    url: async () => {
      if (typeof server === "string") throw new Error(server);
      const schema = await server.freshSchema();
      cleanups.push(schema.drop);
      return schema.url;
    },
  },
];

describe("optimize with worker processes", () => {
  it("shares one budget exactly across processes, with unique trial numbers", async () => {
    const url = `sqlite:${join(dir, "workers.db")}`;
    const study = await createStudy({ storage: url, name: "cpu", sampler: "random", seed: 1 });
    const seen: number[] = [];
    const result = await study.optimize(
      { module: join(fixtures, "objectives.ts"), export: "cpuBound" },
      { workers: 3, nTrials: 24, callbacks: [(_s, t) => void seen.push(t.number)] },
    );
    assert.equal(result.trialsRun, 24);
    const trials = await study.trials();
    assert.equal(trials.length, 24);
    assert.deepEqual(
      trials.map((t) => t.number),
      [...Array(24).keys()],
    );
    assert.ok(trials.every((t) => t.state === "COMPLETE"));
    assert.ok(new Set(trials.map((t) => t.userAttrs.pid)).size >= 2, "trials ran in several processes");
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      [...Array(24).keys()],
    );
  });

  for (const backend of backends) {
    it(`evaluates every grid point exactly once with 4 workers (${backend.name})`, { skip: backend.skip }, async () => {
      const url = await backend.url("grid.db");
      const study = await createStudy({ storage: url, name: "grid" });
      const result = await study.optimize({ module: join(fixtures, "grid-objective.ts") }, { workers: 4 });
      assert.equal(result.stoppedBy, "exhausted");
      const trials = await study.trials();
      const points = trials.map((t) => `${t.params.a},${t.params.b}`);
      assert.equal(trials.length, 20);
      assert.equal(new Set(points).size, 20);
    });
  }

  it("keeps the storage password out of the worker processes' command lines", { skip: skipWithoutPostgres(server) }, async () => {
    const url = await backends[1].url("");
    const { username, password } = new URL(url);
    assert.ok(password, "the test role has a password");
    // The credentials as a URL carries them (the role's name alone shows in PostgreSQL's own process titles).
    const credentials = `${username}:${password}@`;
    const study = await createStudy({ storage: url, name: "secret" });
    const commandLines: string[] = [];
    await study.optimize(
      { module: join(fixtures, "objectives.ts") },
      {
        workers: 2,
        nTrials: 4,
        // Read while the workers run: every process's command line, as any user of the machine sees them.
        callbacks: [() => void commandLines.push(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }))],
      },
    );
    assert.ok(commandLines.length > 0);
    assert.ok(
      commandLines.some((lines) => lines.includes("worker-main")),
      "the workers were running when ps looked",
    );
    for (const lines of commandLines) assert.ok(!lines.includes(credentials), "a command line shows the password");
  });

  it("rejects what worker processes cannot share, before starting any", async () => {
    const memory = await createStudy({ storage: new InMemoryStorage() });
    await assert.rejects(
      memory.optimize({ module: join(fixtures, "objectives.ts") }, { workers: 2 }),
      (e: Error) => e instanceof ValueError && e.message.includes(":memory:"),
    );
    const study = await createStudy({ storage: `sqlite:${join(dir, "bad.db")}` });
    await assert.rejects(
      study.optimize((t) => t.suggestFloat("x", 0, 1), { workers: 2 }),
      (e: Error) => e instanceof ValueError && e.message.includes("module"),
    );
    await assert.rejects(
      study.optimize({ module: join(fixtures, "missing.ts") }, { workers: 2 }),
      (e: Error) => e instanceof ValueError && e.message.includes("missing.ts"),
    );
    await assert.rejects(
      study.optimize({ module: join(fixtures, "objectives.ts"), export: "nope" }, { workers: 2 }),
      (e: Error) => e instanceof ValueError && e.message.includes('"nope"') && e.message.includes('"cpuBound"'),
    );
  });
});

describe("a worker killed with SIGKILL mid-trial", () => {
  for (const backend of backends)
    it(`has its trial marked FAIL after the grace period and retried, the budget still exact (${backend.name})`, {
      skip: backend.skip,
    }, async () => {
      const url = await backend.url("kill.db");
      const name = "kill";
      const total = 16;
      await createStudy({ storage: url, name, sampler: "random" });
      const options = (seed: number) =>
        JSON.stringify({
          script: join(fixtures, "objectives.ts"),
          storage: url,
          study: name,
          totalTrials: total,
          sampler: "random",
          seed,
          heartbeatSeconds: 0.2,
          graceSeconds: 1,
          retryFailedTrials: 2,
        });
      // The victim's trials are long, so the kill lands inside one whatever the machine's load.
      const start = (seed: number, delayMs: number) => {
        const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
          stdio: ["ignore", "ignore", "pipe", "ipc"],
          env: { ...process.env, TUNEBOOK_TEST_DELAY_MS: String(delayMs), [WORKER_OPTIONS_VARIABLE]: options(seed) },
        });
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        return { child, exit, stderr: () => stderr };
      };
      const victim = start(1, 5000);

      // Wait until the victim is inside a trial, then kill it there. The survivor starts
      // after the kill, so its own trials outlast the grace period whatever the machine's
      // load (started first, it could spend the budget before the dead trial goes stale).
      const study = await loadStudy({ name, storage: url });
      let killed: number | undefined;
      for (let i = 0; i < 400 && killed === undefined; i++) {
        await new Promise((r) => setTimeout(r, 25));
        // The pid is set before x is suggested: wait for both, so the dead trial has a parameter to retry.
        const running = (await study.trials({ states: ["RUNNING"] })).find((t) => t.userAttrs.pid === victim.child.pid && "x" in t.params);
        if (running) {
          victim.child.kill("SIGKILL");
          killed = running.number;
        }
      }
      assert.notEqual(killed, undefined, "the victim never ran a trial");
      await victim.exit;
      const survivor = start(2, 200);
      assert.equal(await survivor.exit, 0, survivor.stderr());

      const trials = await study.trials();
      const dead = trials.find((t) => t.number === killed)!;
      assert.equal(dead.state, "FAIL");
      assert.match(dead.error!, /heartbeat/);
      const retry = trials.find((t) => t.systemAttrs["tunebook:retried_from"] === killed);
      assert.ok(retry, "the killed trial was retried");
      assert.equal(retry.params.x, dead.params.x);
      assert.equal(retry.state, "COMPLETE");
      assert.equal(trials.filter((t) => t.state === "COMPLETE").length, total);
      assert.equal(trials.filter((t) => t.state === "RUNNING" || t.state === "WAITING").length, 0);
      assert.equal(new Set(trials.map((t) => t.number)).size, trials.length);
    });
});
