// What the database cannot hold is refused where the objective gives it (core/limits.ts),
// not when the trial's queued writes land at its end: the trial goes on and completes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ValueError } from "../../core/errors.js";
import { createStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import { closeStorages } from "../../tune/storage.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-trial-limits-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});
let files = 0;
const storage = () => `sqlite:${join(dir, `limits-${files++}.db`)}`;

const refusesNaming = (value: unknown, where: string, pattern: RegExp) => (e: Error) => {
  assert.ok(e instanceof ValueError, `expected a ValueError, got ${e.name}: ${e.message}`);
  assert.ok(e.message.includes(where), `${e.message} names ${where}`);
  assert.ok(e.message.includes(JSON.stringify(value).slice(0, 40)), `${e.message} names ${JSON.stringify(value)}`);
  assert.match(e.message, pattern);
  return true;
};

describe("the schema's limits, checked where the objective gives a value", () => {
  test("trial.report refuses a step beyond 32 bits at once; the trial goes on and completes", async () => {
    const study = await createStudy({ storage: storage(), name: "steps" });
    const trial = await study.ask();
    assert.throws(() => trial.report(0.5, 2 ** 31), refusesNaming(2 ** 31, "trial.report", /-2147483648 to 2147483647/));
    trial.report(0.25, 2 ** 31 - 1);
    const done = await study.tell(trial, 1);
    assert.equal(done.state, "COMPLETE");
    assert.deepEqual((await study.storage.getTrial(trial.trialId)).intermediateValues, { [2 ** 31 - 1]: 0.25 });
  });

  test("setUserAttr and suggest* refuse a key or name the database cannot hold, at once", async () => {
    const study = await createStudy({ storage: storage(), name: "names" });
    const trial = await study.ask();
    for (const [bad, pattern] of [
      ["with\u0000nul", /NUL/],
      ["k".repeat(513), /513 characters/],
      ["lone \ud800", /surrogate/],
    ] as const) {
      assert.throws(() => trial.setUserAttr(bad, 1), refusesNaming(bad, "trial.setUserAttr", pattern));
      assert.throws(() => trial.suggestFloat(bad, 0, 1), refusesNaming(bad, "parameter name", pattern));
    }
    trial.setUserAttr("🎯".repeat(512), "fits");
    const x = trial.suggestFloat("x", 0, 1);
    await study.tell(trial, x);
    const stored = await study.storage.getTrial(trial.trialId);
    assert.deepEqual([stored.state, Object.keys(stored.params), Object.keys(stored.userAttrs)], ["COMPLETE", ["x"], ["🎯".repeat(512)]]);
  });

  test("createStudy refuses a name the database cannot hold, creating nothing", async () => {
    const url = storage();
    await createStudy({ storage: url, name: "first" });
    for (const [bad, pattern] of [
      ["with\u0000nul", /NUL/],
      ["s".repeat(513), /513 characters/],
    ] as const) {
      await assert.rejects(createStudy({ storage: url, name: bad }), refusesNaming(bad, "createStudy", pattern));
      await assert.rejects(createStudy({ storage: url, name: bad, loadIfExists: true }), refusesNaming(bad, "createStudy", pattern));
    }
    const study = await createStudy({ storage: url, name: "🎯".repeat(512) });
    assert.deepEqual(
      (await study.storage.listStudies()).map((s) => s.name),
      ["first", "🎯".repeat(512)],
    );
  });
});
