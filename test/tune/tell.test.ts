import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createStudy, loadStudy, setVerbosity, TrialFinishedError, ValueError } from "../../index.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-tell-");

const valueError =
  (...parts: string[]) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
    for (const part of parts) assert.ok(e.message.includes(part), `${JSON.stringify(e.message)} lacks ${JSON.stringify(part)}`);
    return true;
  };

describe("tell refuses a trial of another study, and writes nothing", () => {
  it("a Trial asked from study B, told to study A (one SQLite file)", async () => {
    const storage = `sqlite:${join(dir(), "two-studies.db")}`;
    const a = await createStudy({ storage, name: "study-a" });
    const b = await createStudy({ storage, name: "study-b" });
    const ofA = await a.ask();
    const ofB = await b.ask();
    ofB.suggestFloat("x", 0, 1);
    const before = { a: await a.trials(), b: await b.trials() };

    await assert.rejects(a.tell(ofB, 0.5), valueError('"study-a"', '"study-b"', "trial 0", 'call tell on study "study-b"'));
    await assert.rejects(a.tell(ofB, { state: "FAIL" }), valueError('"study-a"', '"study-b"'));
    assert.deepEqual({ a: await a.trials(), b: await b.trials() }, before);
    assert.equal(ofB.state, "RUNNING");

    // Each study still finishes its own trial.
    await b.tell(ofB, 0.25);
    await a.tell(ofA, 0.75);
    assert.equal((await b.trials())[0].value, 0.25);
    assert.equal((await a.trials())[0].value, 0.75);
  });

  it("a Trial of the same study asked through another Study object is finished by its owner", async () => {
    const storage = `sqlite:${join(dir(), "same-study.db")}`;
    const first = await createStudy({ storage, name: "shared" });
    const second = await loadStudy({ storage, name: "shared" });
    const trial = await first.ask();
    const record = await second.tell(trial, 3);
    assert.equal(record.state, "COMPLETE");
    assert.equal(record.value, 3);
    await assert.rejects(first.tell(trial, 4), TrialFinishedError);
  });

  it("a trial number the study does not have, a malformed one, or one of a WAITING trial", async () => {
    const storage = `sqlite:${join(dir(), "numbers.db")}`;
    const a = await createStudy({ storage, name: "numbers-a" });
    const b = await createStudy({ storage, name: "numbers-b" });
    for (let i = 0; i < 3; i++) await b.ask();
    await a.ask();
    await a.enqueueTrial({ x: 1 });
    const before = { a: await a.trials(), b: await b.trials() };

    await assert.rejects(a.tell(2, 0.5), valueError('"numbers-a"', "no trial number 2"));
    for (const bad of [-1, 0.5, NaN]) await assert.rejects(a.tell(bad, 0.5), valueError("tell", String(bad)));
    await assert.rejects(a.tell("0" as never, 0.5), valueError("tell", '"0"'));
    await assert.rejects(a.tell({ number: 0 } as never, 0.5), valueError("tell", '{"number":0}'));
    await assert.rejects(a.tell(1, 0.5), valueError('"numbers-a"', "trial 1", "WAITING"));
    assert.deepEqual({ a: await a.trials(), b: await b.trials() }, before);
  });
});

describe("tell refuses a malformed result, and writes nothing", () => {
  it("PRUNED with a value that is not a finite number, FAIL with a value, unknown keys", async () => {
    const storage = `sqlite:${join(dir(), "results.db")}`;
    const study = await createStudy({ storage, name: "results" });
    const trial = await study.ask();
    trial.report(0.5, 0);
    await trial.flush();
    const before = await study.trials();
    const cases: [unknown, string[]][] = [
      [{ state: "PRUNED", value: "abc" }, ["PRUNED", '"abc"']],
      [{ state: "PRUNED", value: NaN }, ["PRUNED", "NaN"]],
      [{ state: "FAIL", value: 1 }, ["FAIL", "1", "leave value out"]],
      [{ state: "FAIL", error: 42 }, ["error", "42"]],
      [{ state: "COMPLETE", valeu: 1 }, ['"valeu"', '"value"']],
    ];
    for (const [result, parts] of cases) await assert.rejects(study.tell(trial, result as never), valueError("tell", ...parts));
    assert.deepEqual(await study.trials(), before);
    assert.equal(trial.state, "RUNNING");
    assert.equal((await study.tell(trial, { state: "PRUNED" })).value, 0.5);
  });
});
