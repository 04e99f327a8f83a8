import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createStudy, FloatDistribution, type Study, setVerbosity, ValueError } from "../../index.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-add-trial-");

/** A study on a fresh SQLite file, with one trial from optimize and one added by hand. */
async function studyOnDisk(name: string): Promise<Study> {
  const study = await createStudy({ storage: `sqlite:${join(dir(), `${name}.db`)}`, name, sampler: "random", seed: 1 });
  await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
  await study.addTrial({ params: { x: 0.5 }, value: 2 });
  return study;
}

/** `addTrial(bad)` throws a ValueError naming every one of `parts`, and the study's trials stay as they were. */
async function refused(study: Study, bad: unknown, ...parts: string[]): Promise<void> {
  const before = await study.trials();
  await assert.rejects(study.addTrial(bad as never), (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
    assert.ok(e.message.startsWith("addTrial"), e.message);
    for (const part of parts) assert.ok(e.message.includes(part), `${JSON.stringify(e.message)} lacks ${JSON.stringify(part)}`);
    return true;
  });
  assert.deepEqual(await study.trials(), before, "a refused addTrial leaves the trials as they were");
}

describe("addTrial refuses bad input before writing anything (SQLite)", () => {
  it("intermediate values: numbers at non-negative integer steps only", async () => {
    const study = await studyOnDisk("intermediate");
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: { 0: "abc" } }, "step 0", '"abc"', "number");
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: { 3: true } }, "step 3", "true");
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: { 1: { loss: 1 } } }, "step 1", '{"loss":1}');
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: { 1: null } }, "step 1", "null");
    for (const step of ["-1", "1.5", "abc", "01", "1e3"]) {
      await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: { [step]: 0.5 } }, `"${step}"`, "non-negative integer");
    }
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: { [2 ** 31]: 0.5 } }, "step", "2147483648", "32-bit");
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: 3 }, "intermediateValues", "3");
    await refused(study, { params: { x: 0.1 }, value: 1, intermediateValues: new Map([[0, 1]]) }, "intermediateValues");
  });

  it("value and state: a COMPLETE trial has a finite value, a FAIL trial none, a PRUNED one a finite value or none", async () => {
    const study = await studyOnDisk("values");
    await refused(study, { params: { x: 0.1 } }, "COMPLETE", "undefined");
    await refused(study, { params: { x: 0.1 }, value: "1" }, "COMPLETE", '"1"');
    await refused(study, { params: { x: 0.1 }, value: Infinity }, "COMPLETE", "Infinity");
    await refused(study, { params: { x: 0.1 }, value: 1, state: "FAIL" }, "FAIL", "1", "leave value out");
    await refused(study, { params: { x: 0.1 }, value: "abc", state: "PRUNED" }, "PRUNED", '"abc"');
    await refused(study, { params: { x: 0.1 }, value: NaN, state: "PRUNED" }, "PRUNED", "NaN");
    await refused(study, { params: { x: 0.1 }, value: 1, state: "RUNNING" }, '"RUNNING"');
    await refused(study, { params: { x: 0.1 }, value: 1, state: 3 }, "3");
  });

  it("params: JSON scalars, finite when numeric, inside their distributions", async () => {
    const study = await studyOnDisk("params");
    await refused(study, { value: 1 }, "params");
    await refused(study, { params: [1], value: 1 }, "params");
    await refused(study, { params: { x: { a: 1 } }, value: 1 }, '"x"');
    await refused(study, { params: { y: NaN }, value: 1 }, '"y"', "NaN", "finite");
    await refused(study, { params: { y: Infinity }, value: 1 }, '"y"', "Infinity", "finite");
    await refused(
      study,
      { params: { x: 2 }, value: 1, distributions: { x: new FloatDistribution(0, 1) } },
      '"x"',
      "2",
      "FloatDistribution(0, 1)",
    );
  });

  it("distributions: valid ones, one per given parameter", async () => {
    const study = await studyOnDisk("distributions");
    await refused(study, { params: { x: 0.1 }, value: 1, distributions: { x: 5 } }, '"x"', "5", "distribution");
    await refused(study, { params: { x: 0.1 }, value: 1, distributions: { x: null } }, '"x"', "null");
    await refused(study, { params: { x: 0.1 }, value: 1, distributions: "float" }, "distributions", '"float"');
    await refused(
      study,
      {
        params: { x: 0.1 },
        value: 1,
        distributions: { x: { name: "FloatDistribution", attributes: { low: 1, high: 0, log: false, step: null } } },
      },
      '"x"',
      "low (1) must not be greater than high (0)",
    );
    await refused(study, { params: { x: 0.1 }, value: 1, distributions: { x: { name: "Uniform", attributes: {} } } }, '"x"', '"Uniform"');
    await refused(study, { params: { x: 0.1 }, value: 1, distributions: { x: { name: "FloatDistribution" } } }, '"x"', "attributes");
    await refused(
      study,
      { params: { x: 0.1 }, value: 1, distributions: { x: new FloatDistribution(0, 1), y: new FloatDistribution(0, 1) } },
      '"y"',
      "no parameter",
    );
    await refused(
      study,
      { params: { x: 0.1 }, value: 1, distributions: { x: { toJson: () => ({}) } } },
      '"x"',
      "FloatDistribution, IntDistribution or CategoricalDistribution",
    );
  });

  it("user attributes: JSON values only, by the rule of every setter", async () => {
    const study = await studyOnDisk("attrs");
    await refused(study, { params: { x: 0.1 }, value: 1, userAttrs: { when: new Map() } }, '"when"', "a Map");
    await refused(study, { params: { x: 0.1 }, value: 1, userAttrs: { n: 5n } }, '"n"', "BigInt");
    await refused(study, { params: { x: 0.1 }, value: 1, userAttrs: { u: undefined } }, '"u"', "undefined");
    await refused(study, { params: { x: 0.1 }, value: 1, userAttrs: "notes" }, "userAttrs", '"notes"');
  });

  it("unknown keys and what is not an object", async () => {
    const study = await studyOnDisk("keys");
    await refused(study, { params: { x: 0.1 }, valeu: 1 }, '"valeu"', '"value"');
    await refused(study, null, "null");
    await refused(study, "trial", '"trial"');
  });

  it("records a valid trial with everything given, read back the same", async () => {
    const study = await studyOnDisk("valid");
    const when = new Date("2024-05-01T00:00:00.000Z");
    const added = await study.addTrial({
      params: { x: 0.25, kind: "a" },
      value: 0.5,
      distributions: {
        x: new FloatDistribution(0, 1),
        kind: { name: "CategoricalDistribution", attributes: { choices: ["a", "b"] } },
      },
      intermediateValues: { 0: 0.9, 1: NaN, 2: Infinity, 3: 0.5 },
      userAttrs: { when: when as never, folds: [0.5, 0.5] },
    });
    const stored = (await study.trials()).at(-1)!;
    assert.deepEqual(stored, added);
    assert.deepEqual(stored.intermediateValues, { 0: 0.9, 1: NaN, 2: Infinity, 3: 0.5 });
    assert.deepEqual(stored.userAttrs, { when: "2024-05-01T00:00:00.000Z", folds: [0.5, 0.5] });
    const pruned = await study.addTrial({ params: { x: 0.5 }, state: "PRUNED", intermediateValues: { 4: 0.75 } });
    assert.equal(pruned.value, null);
    const failed = await study.addTrial({ params: { x: 0.5 }, state: "FAIL" });
    assert.equal(failed.state, "FAIL");
  });
});
