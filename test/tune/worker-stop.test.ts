import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createStudy, InMemoryStorage, loadStudy, setVerbosity } from "../../index.js";
import { WORKER_OPTIONS_VARIABLE, type WorkerMessage } from "../../tune/parallel.js";
import type { WorkerOptions } from "../../tune/worker.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-worker-stop-");
const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const workerMain = new URL("../../tune/worker-main.ts", import.meta.url).pathname;

describe("a stop requested before optimize starts", () => {
  it("is honoured by the next optimize, which then starts no trial", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    study.stop();
    const result = await study.optimize(() => 1, { nTrials: 5 });
    assert.deepEqual(result, { trialsRun: 0, stoppedBy: "stop" });
    assert.equal((await study.trials()).length, 0);
  });

  it("is spent by the optimize it stopped: the one after runs in full", async () => {
    const study = await createStudy({ storage: new InMemoryStorage() });
    study.stop();
    await study.optimize(() => 1, { nTrials: 5 });
    assert.deepEqual(await study.optimize(() => 1, { nTrials: 2 }), { trialsRun: 2, stoppedBy: "nTrials" });
    const stopped = await study.optimize(() => 1, { nTrials: 5, callbacks: [(s) => s.stop()] });
    assert.deepEqual(stopped, { trialsRun: 1, stoppedBy: "stop" });
    assert.deepEqual(await study.optimize(() => 1, { nTrials: 2 }), { trialsRun: 2, stoppedBy: "nTrials" });
  });

  it("reaches a worker process before its study exists, and the worker runs no trial", async () => {
    const storage = `sqlite:${join(dir(), "stopped.db")}`;
    await createStudy({ storage, name: "stopped" });
    const options: WorkerOptions = {
      script: join(fixtures, "objectives.ts"),
      storage,
      study: "stopped",
      totalTrials: 20,
      sampler: "random",
    };
    const child = fork(workerMain, [], {
      env: { ...process.env, [WORKER_OPTIONS_VARIABLE]: JSON.stringify(options) },
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const messages: WorkerMessage[] = [];
    child.on("message", (m: WorkerMessage) => messages.push(m));
    // Sent at once: the child is still loading, long before it opens the study.
    child.send({ stop: true });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 0);
    assert.deepEqual(
      messages.filter((m) => !("trial" in m)),
      [{ result: { trialsRun: 0, stoppedBy: "stop" } }],
    );
    assert.equal((await (await loadStudy({ storage, name: "stopped" })).trials()).length, 0);
  });

  it("with workers, stops the run before any worker starts", async () => {
    const storage = `sqlite:${join(dir(), "parent-stopped.db")}`;
    const study = await createStudy({ storage, name: "parent-stopped", sampler: "random" });
    study.stop();
    const result = await study.optimize({ module: join(fixtures, "objectives.ts") }, { workers: 2, nTrials: 10 });
    assert.deepEqual(result, { trialsRun: 0, stoppedBy: "stop" });
    assert.equal((await study.trials()).length, 0);
  });
});

describe("study.stop() from a callback of a run in worker processes", () => {
  it("reaches the workers, which start no more trials", async () => {
    const storage = `sqlite:${join(dir(), "callback-stop.db")}`;
    const study = await createStudy({ storage, name: "callback-stop", sampler: "random" });
    const result = await study.optimize(
      { module: join(fixtures, "objectives.ts") },
      { workers: 2, nTrials: 400, callbacks: [(s) => s.stop()] },
    );
    assert.equal(result.stoppedBy, "stop");
    assert.ok(result.trialsRun < 400, `the workers ran all ${result.trialsRun} trials`);
    const trials = await study.trials();
    assert.equal(trials.length, result.trialsRun);
    assert.ok(trials.every((t) => t.state === "COMPLETE"));
  });
});
