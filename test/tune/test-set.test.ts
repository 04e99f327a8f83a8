import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TunebookError, ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import { openStorage } from "../../tracker/storage/open.js";
import type { Storage } from "../../tracker/storage/storage.js";
import { createStudy, loadStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import type { StorageSpec } from "../../tune/storage.js";
import type { Study } from "../../tune/study.js";
import { registerTestSet, sealTestSet, TestSetLockedError } from "../../tune/test-set.js";
import { describeTestSet, type LockboxRecord, lockboxRecord, testSetUses } from "../../tune/test-set-record.js";
import { skipWithoutPostgres, testPostgres } from "../helpers/postgres.js";
import { TEST_SET_FINGERPRINT, testSetRows } from "./fixtures/test-set-rows.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-test-set-");
const server = await testPostgres();
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A maximised study whose trials 0, 1, 2 have values 0.5, 0.8, 0.7: trial 1 is best. */
async function tunedStudy(storage: StorageSpec = ":memory:", name?: string): Promise<Study> {
  const study = await createStudy({ storage, name, direction: "maximize", sampler: "random", seed: 0 });
  for (const value of [0.5, 0.8, 0.7]) await study.addTrial({ params: { c: value }, value });
  return study;
}

function sealed(fingerprint = TEST_SET_FINGERPRINT) {
  const rows = testSetRows();
  return sealTestSet(rows, rows.y.length, fingerprint);
}

async function recordOf(study: Study): Promise<LockboxRecord | null> {
  return lockboxRecord((await study.summary()).systemAttrs);
}

/** A callback that counts its calls and scores the share of 1s in y. */
function counting(): { calls: number; fn: (rows: { X: number[][]; y: number[] }, trial: TrialRecord) => number } {
  const spy = {
    calls: 0,
    fn: (rows: { X: number[][]; y: number[] }) => {
      spy.calls++;
      return rows.y.filter((v) => v === 1).length / rows.y.length;
    },
  };
  return spy;
}

const mentions =
  (kind: new (...args: never[]) => Error, ...parts: string[]) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e}`);
    for (const part of parts) assert.ok(e.message.includes(part), `${JSON.stringify(e.message)} lacks ${JSON.stringify(part)}`);
    return true;
  };

describe("evaluateTest", () => {
  it("hands the rows over inside the callback, with the best trial, and records the look", async () => {
    const study = await tunedStudy();
    await registerTestSet(study, sealed());
    let seen: { rows: unknown; trial: TrialRecord } | undefined;
    const before = Date.now();
    const score = await study.evaluateTest((rows, trial) => {
      seen = { rows, trial };
      return { score: 0.75, model: "svm", folds: [1, 2] };
    });
    assert.equal(score, 0.75);
    assert.deepEqual(seen?.rows, testSetRows());
    assert.equal(seen?.trial.number, 1, "the best trial");
    const record = await recordOf(study);
    assert.equal(record?.looks.length, 1);
    const [look] = record!.looks;
    assert.deepEqual(
      { ...look, at: undefined },
      { at: undefined, trialNumber: 1, validation: 0.8, test: 0.75, details: { model: "svm", folds: [1, 2] } },
    );
    assert.ok(Date.parse(look.at) >= before - 1000 && Date.parse(look.at) <= Date.now() + 1000, look.at);
    assert.equal(record?.testRows, 4);
    assert.equal(record?.fingerprint, TEST_SET_FINGERPRINT);
  });

  it("refuses a second look unless asked again, and counts each one", async () => {
    const study = await tunedStudy();
    await registerTestSet(study, sealed());
    const spy = counting();
    assert.equal(await study.evaluateTest(spy.fn), 0.75);
    await assert.rejects(
      study.evaluateTest(spy.fn),
      mentions(TestSetLockedError, "already used 1 time ", "trial 1: test 0.75", "{ again: true }"),
    );
    assert.equal(spy.calls, 1, "the refused look saw nothing");
    assert.equal(await study.evaluateTest(spy.fn, { again: true }), 0.75);
    await assert.rejects(study.evaluateTest(spy.fn), mentions(TestSetLockedError, "already used 2 times"));
    await assert.rejects(study.evaluateTest(spy.fn, { again: false }), mentions(TestSetLockedError, "already used 2 times"));
    assert.equal(spy.calls, 2);
    const record = (await recordOf(study))!;
    assert.equal(record.looks.length, 2);
    assert.equal(testSetUses(record), "used 2 times");
    assert.match(describeTestSet(record), /^used 2 times \(4 rows; last: test 0\.75 for trial 1, validation 0\.8\)$/);
  });

  it("without a registered test set: refused, pointing to lockbox, with nothing recorded", async () => {
    const study = await tunedStudy();
    const spy = counting();
    await assert.rejects(
      study.evaluateTest(spy.fn),
      mentions(TestSetLockedError, "has no locked test set", "call lockbox(data, { study", "first"),
    );
    await assert.rejects(study.evaluateTest(spy.fn, { again: true }), mentions(TestSetLockedError, "call lockbox("));
    assert.equal(spy.calls, 0);
    assert.equal(await recordOf(study), null);
  });

  it("another Study object of the study must lock the same rows away itself", async () => {
    const storage = openStorage(`sqlite:${join(dir(), "other-object.db")}`);
    cleanups.push(() => storage.close());
    const study = await tunedStudy(storage, "other-object");
    await registerTestSet(study, sealed());
    const other = await loadStudy({ name: "other-object", storage });
    await assert.rejects(
      other.evaluateTest(counting().fn),
      mentions(TestSetLockedError, "has a locked test set of 4 rows", "none was registered with this Study object", "same data"),
    );
    await registerTestSet(other, sealed());
    assert.equal(await other.evaluateTest(counting().fn), 0.75);
  });

  it("a different split is refused at registration, naming both fingerprints; the record keeps the first", async () => {
    const study = await tunedStudy();
    await registerTestSet(study, sealed());
    await assert.rejects(
      registerTestSet(study, sealed("fedcba9876543210")),
      mentions(TestSetLockedError, TEST_SET_FINGERPRINT, "fedcba9876543210", "4 rows", "new study"),
    );
    assert.equal((await recordOf(study))?.fingerprint, TEST_SET_FINGERPRINT);
    await registerTestSet(study, sealed(), "lockbox");
  });

  it("scores the trial asked for; refuses trials that do not exist or did not complete", async () => {
    const study = await tunedStudy();
    await registerTestSet(study, sealed());
    const pruned = await study.addTrial({ params: { c: 0.1 }, state: "PRUNED" });
    const seen: number[] = [];
    await study.evaluateTest(
      (_, trial) => {
        seen.push(trial.number);
        return 0.6;
      },
      { trial: 2 },
    );
    assert.deepEqual(seen, [2]);
    assert.deepEqual(
      (await recordOf(study))?.looks.map((l) => [l.trialNumber, l.validation, l.test]),
      [[2, 0.7, 0.6]],
    );
    await assert.rejects(
      study.evaluateTest(() => 0, { again: true, trial: 99 }),
      mentions(ValueError, "no trial number 99"),
    );
    await assert.rejects(
      study.evaluateTest(() => 0, { again: true, trial: pruned.number }),
      mentions(ValueError, "PRUNED", "COMPLETE"),
    );
    assert.equal((await recordOf(study))?.looks.length, 1, "refused before the rows were handed over: not counted");
  });

  it("a callback that throws or returns no score still counts its look", async () => {
    const study = await tunedStudy();
    await registerTestSet(study, sealed());
    await assert.rejects(
      study.evaluateTest(() => {
        throw new Error("model diverged");
      }),
      /model diverged/,
    );
    await assert.rejects(
      study.evaluateTest(() => 0.5),
      mentions(TestSetLockedError, "already used 1 time", "no score"),
    );
    await assert.rejects(
      study.evaluateTest(() => Number.NaN, { again: true }),
      mentions(ValueError, "finite number or { score: number, ... }", "NaN", "{ again: true }"),
    );
    await assert.rejects(
      study.evaluateTest(() => ({ accuracy: 0.9 }) as never, { again: true }),
      mentions(ValueError, '{"accuracy":0.9}'),
    );
    const looks = (await recordOf(study))!.looks;
    assert.deepEqual(
      looks.map((l) => l.test),
      [null, null, null],
    );
    assert.match(looks[0].error!, /the callback threw: model diverged/);
    assert.match(looks[1].error!, /finite number/);
  });

  it("explains bad options, and a study without a best trial", async () => {
    const study = await tunedStudy();
    await registerTestSet(study, sealed());
    await assert.rejects(
      study.evaluateTest(() => 1, { agian: true } as never),
      mentions(ValueError, '"agian"', 'Did you mean "again"'),
    );
    await assert.rejects(
      study.evaluateTest(() => 1, { again: "yes" } as never),
      mentions(ValueError, "again must be true or false"),
    );
    await assert.rejects(
      study.evaluateTest(() => 1, { trial: -1 }),
      mentions(ValueError, "trial must be a trial number"),
    );
    await assert.rejects(study.evaluateTest("fit" as never), mentions(ValueError, "expected a function"));
    const empty = await createStudy({ storage: ":memory:" });
    await registerTestSet(empty, sealed());
    await assert.rejects(
      empty.evaluateTest(() => 1),
      mentions(TunebookError, "no COMPLETE trial yet", "Tune on the train rows first"),
    );
    const twoObjectives = await createStudy({ storage: ":memory:", directions: ["maximize", "minimize"] });
    await registerTestSet(twoObjectives, sealed());
    await twoObjectives.addTrial({ params: {}, values: [0.9, 3] });
    await assert.rejects(
      twoObjectives.evaluateTest(() => 1),
      mentions(ValueError, "2 objectives", "{ trial: n }"),
    );
    assert.equal(await twoObjectives.evaluateTest(() => 0.85, { trial: 0 }), 0.85);
    assert.deepEqual((await recordOf(twoObjectives))?.looks[0].validation, null);
    for (const s of [study, empty]) assert.deepEqual((await recordOf(s))?.looks, []);
  });
});

interface Backend {
  name: string;
  skip: string | false;
  /** A URL each "process" opens its own connection with. */
  url: () => Promise<string>;
}

const backends: Backend[] = [
  { name: "SQLite", skip: false, url: async () => `sqlite:${join(dir(), "restart.db")}` },
  {
    name: "PostgreSQL",
    skip: skipWithoutPostgres(server),
    url: async () => {
      if (typeof server === "string") throw new Error(server);
      const schema = await server.freshSchema();
      cleanups.push(() => schema.drop());
      return schema.url;
    },
  },
];

/** Runs `body` on a connection of its own, closed afterwards: one process's life. */
async function inProcess<T>(url: string, body: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = openStorage(url);
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

for (const backend of backends) {
  describe(`the count of looks survives a restart (${backend.name})`, { skip: backend.skip }, () => {
    it("a study reopened on a new connection refuses a second look until asked again", async () => {
      const url = await backend.url();
      await inProcess(url, async (storage) => {
        const study = await tunedStudy(storage, "restart");
        await registerTestSet(study, sealed());
        assert.equal(await study.evaluateTest(counting().fn), 0.75);
      });
      await inProcess(url, async (storage) => {
        const study = await loadStudy({ name: "restart", storage });
        const spy = counting();
        await assert.rejects(study.evaluateTest(spy.fn), mentions(TestSetLockedError, "already used 1 time", "{ again: true }"));
        await registerTestSet(study, sealed());
        await assert.rejects(study.evaluateTest(spy.fn), mentions(TestSetLockedError, "already used 1 time"));
        await assert.rejects(registerTestSet(study, sealed("ffffffffffffffff")), mentions(TestSetLockedError, "ffffffffffffffff"));
        assert.equal(spy.calls, 0);
        assert.equal(await study.evaluateTest(spy.fn, { again: true }), 0.75);
      });
      const record = await inProcess(url, async (storage) => recordOf(await loadStudy({ name: "restart", storage })));
      assert.deepEqual(
        record?.looks.map((l) => [l.trialNumber, l.validation, l.test]),
        [
          [1, 0.8, 0.75],
          [1, 0.8, 0.75],
        ],
      );

      if (backend.name !== "SQLite") return;
      // And from a child process, as a restarted notebook would.
      const child = (mode: string) => {
        const run = spawnSync(
          process.execPath,
          ["--import", "tsx", new URL("./fixtures/test-set-look.ts", import.meta.url).pathname, url, "restart", mode],
          { encoding: "utf8" },
        );
        assert.equal(run.status, 0, run.stderr);
        return JSON.parse(run.stdout) as { score?: number; refused?: string };
      };
      const refused = child("once");
      assert.match(refused.refused ?? "", /already used 2 times/);
      assert.deepEqual(child("again"), { score: 0.75 });
      const after = await inProcess(url, async (storage) => recordOf(await loadStudy({ name: "restart", storage })));
      assert.equal(after?.looks.length, 3);
    });
  });
}
