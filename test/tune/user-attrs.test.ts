import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createStudy, InMemoryStorage, type JsonValue, type Storage, type Study, setVerbosity, ValueError } from "../../index.js";
import { openStorage } from "../../tracker/storage/open.js";
import { skipWithoutPostgres, testPostgres } from "../helpers/postgres.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-user-attrs-");
const server = await testPostgres();
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const backends: { name: string; skip: string | false; open: (file: string) => Promise<Storage> }[] = [
  { name: "memory", skip: false, open: async () => new InMemoryStorage() },
  { name: "SQLite", skip: false, open: async (file) => openStorage(`sqlite:${join(dir(), file)}`) },
  {
    name: "PostgreSQL",
    skip: skipWithoutPostgres(server),
    open: async () => {
      if (typeof server === "string") throw new Error(server);
      const schema = await server.freshSchema();
      const storage = openStorage(schema.url);
      cleanups.push(async () => {
        await storage.close();
        await schema.drop();
      });
      return storage;
    },
  },
];

/** Values JSON cannot hold, with what the refusal must name. */
const NOT_JSON: [string, unknown, string][] = [
  ["a BigInt", 10n, "BigInt"],
  ["a Map", new Map([["a", 1]]), "a Map"],
  ["a Set", new Set([1]), "a Set"],
  ["a RegExp", /x/, "a RegExp"],
  ["undefined", undefined, "undefined"],
  ["a Map nested in an object", { scaler: { state: new Map() } }, "a Map"],
];

const refusedNaming =
  (where: string, key: string, kind: string) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
    for (const part of [where, `"${key}"`, kind]) assert.ok(e.message.includes(part), `${JSON.stringify(e.message)} lacks ${part}`);
    return true;
  };

/** Every way to set a user attribute, each refusing `value` and leaving the stored attributes as they were. */
async function checkEverySetter(storage: Storage, study: Study, value: unknown, kind: string): Promise<void> {
  const studyAttrs = async () => (await storage.getStudy(study.studyId)).userAttrs;
  const trials = () => storage.getAllTrials(study.studyId);
  const before = { study: await studyAttrs(), trials: await trials() };
  const running = await study.ask();
  const withRunning = await trials();

  assert.throws(() => running.setUserAttr("bad", value as JsonValue), refusedNaming("trial.setUserAttr", "bad", kind));
  await assert.rejects(study.setUserAttr("bad", value as JsonValue), refusedNaming("study.setUserAttr", "bad", kind));
  await assert.rejects(
    study.addTrial({ params: {}, value: 1, userAttrs: { bad: value as JsonValue } }),
    refusedNaming("addTrial", "bad", kind),
  );
  await assert.rejects(study.enqueueTrial({}, { userAttrs: { bad: value as JsonValue } }), refusedNaming("enqueueTrial", "bad", kind));
  await assert.rejects(storage.setStudyUserAttr(study.studyId, "bad", value as JsonValue), refusedNaming("setStudyUserAttr", "bad", kind));
  await assert.rejects(
    storage.setTrialUserAttr(running.trialId, "bad", value as JsonValue),
    refusedNaming("setTrialUserAttr", "bad", kind),
  );

  await study.tell(running, 1);
  assert.deepEqual(await studyAttrs(), before.study);
  const after = await trials();
  assert.deepEqual(after.slice(0, -1), withRunning.slice(0, -1));
  assert.deepEqual(after.at(-1)!.userAttrs, {}, "the running trial got no attribute");
  assert.equal(after.length, before.trials.length + 1, "no trial was added or enqueued");
}

for (const backend of backends) {
  describe(`user attributes (${backend.name})`, { skip: backend.skip }, () => {
    for (const [name, value, kind] of NOT_JSON) {
      it(`every setter refuses ${name} by key and kind, and writes nothing`, async () => {
        const storage = await backend.open(`refuse-${name.replace(/\W+/g, "-")}.db`);
        const study = await createStudy({ storage, name: "attrs" });
        await checkEverySetter(storage, study, value, kind);
      });
    }

    it("every setter stores a Date as its ISO string and keeps NaN and ±Infinity, as Optuna does", async () => {
      const storage = await backend.open("same-rule.db");
      const study = await createStudy({ storage, name: "same" });
      const when = new Date("2024-05-01T12:00:00.000Z");
      const value = { when, scores: [0.5, NaN, Infinity, -Infinity] } as unknown as JsonValue;
      const expected = { when: "2024-05-01T12:00:00.000Z", scores: [0.5, NaN, Infinity, -Infinity] };

      await study.optimize(
        (t) => {
          t.setUserAttr("v", value);
          return 1;
        },
        { nTrials: 1 },
      );
      await study.setUserAttr("v", value);
      await storage.setStudyUserAttr(study.studyId, "direct", value);
      await study.addTrial({ params: {}, value: 1, userAttrs: { v: value } });
      await study.enqueueTrial({}, { userAttrs: { v: value } });
      const trial = await study.ask();
      await storage.setTrialUserAttr(trial.trialId, "direct", value);
      await study.tell(trial, 1);

      assert.deepEqual((await storage.getStudy(study.studyId)).userAttrs, { v: expected, direct: expected });
      const trials = await storage.getAllTrials(study.studyId);
      assert.deepEqual(
        trials.map((t) => t.userAttrs),
        [{ v: expected }, { v: expected }, { v: expected, direct: expected }],
      );
    });
  });
}
