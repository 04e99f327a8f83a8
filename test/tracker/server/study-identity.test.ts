import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { DistributionJson } from "../../../core/records.js";
import { type RunningServer, startServer } from "../../../tracker/server/start.js";
import type { ChartResponse, StudyResponse, TrialResponse, TrialsResponse } from "../../../tracker/server/types.js";
import { openStorage } from "../../../tracker/storage/open.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { deleteStudy } from "../../../tune/create-study.js";
import { get } from "./serve.js";

/**
 * SQLite gives a new study the id after the largest one left, so deleting the last
 * study and creating another reuses its id (and its trials' ids). The UI must then
 * show the new study, whole: its name, its trials, its charts, never the old one's
 * or a mix.
 */
const X: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 100, log: false, step: null } };

let dir: string;
let writer: Storage;
let server: RunningServer;
let base: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tunebook-identity-"));
  const path = join(dir, "identity.db");
  writer = openStorage(path);
  await writer.createStudy({ name: "keeper", direction: "minimize" });
  server = await startServer({ storage: `sqlite:${path}`, port: 0, refreshIntervalMs: 0 });
  base = server.url.replace(/\/$/, "");
});

after(async () => {
  await server?.close();
  await writer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addTrials(studyId: number, values: readonly number[], at: number): Promise<void> {
  for (const [i, value] of values.entries()) {
    await writer.createTrial(studyId, {
      state: "COMPLETE",
      params: { x: value },
      distributions: { x: X },
      value,
      intermediateValues: { 0: value + 1 },
      datetimeStart: new Date(at + i * 1000),
      datetimeComplete: new Date(at + i * 1000 + 500),
    });
  }
}

interface Seen {
  name: string;
  version: string;
  numbers: number[];
  values: (number | null)[];
  historyValues: number[];
  firstTrialValue: number | null;
}

/** What the pages of one study read, endpoint by endpoint. */
async function look(id: number): Promise<Seen> {
  const study = await get<StudyResponse>(base, `/api/studies/${id}`);
  assert.equal(study.status, 200, study.text);
  const trials = await get<TrialsResponse>(base, `/api/studies/${id}/trials?limit=1000`);
  const history = await get<ChartResponse>(base, `/api/studies/${id}/charts/history`);
  const spec = history.body.spec as unknown as { data?: { values?: { value: number }[] } };
  const first = await get<TrialResponse>(base, `/api/studies/${id}/trials/0`);
  return {
    name: study.body.study.name,
    version: study.body.version,
    numbers: trials.body.rows.map((r) => r.number),
    values: trials.body.rows.map((r) => r.value),
    historyValues: (spec.data?.values ?? []).map((v) => v.value),
    firstTrialValue: first.status === 200 ? first.body.trial.value : null,
  };
}

/** Deletes the (last) study `old` and creates `name`, checking the id is reused. */
async function replace(old: { id: number; name: string }, name: string): Promise<number> {
  await deleteStudy({ name: old.name, storage: writer });
  const id = await writer.createStudy({ name, direction: "minimize" });
  assert.equal(id, old.id, "the new study got the deleted study's id (the case under test)");
  return id;
}

describe("a deleted study whose id a new study reuses", () => {
  test("the new study's trials reuse the old trials' ids: its name, trials and charts are shown", async () => {
    const oldId = await writer.createStudy({ name: "old-a", direction: "minimize" });
    await addTrials(oldId, [10, 20, 30], Date.UTC(2024, 0, 1));
    const before = await look(oldId);
    assert.equal(before.name, "old-a");
    assert.deepEqual(before.values, [10, 20, 30]);
    const oldTrialIds = (await writer.getAllTrials(oldId)).map((t) => t.trialId);

    const newId = await replace({ id: oldId, name: "old-a" }, "new-a");
    await addTrials(newId, [1, 2], Date.UTC(2024, 5, 1));
    const newTrialIds = (await writer.getAllTrials(newId)).map((t) => t.trialId);
    assert.deepEqual(newTrialIds, oldTrialIds.slice(0, 2), "the new trials reuse the old trials' ids");

    const after = await look(newId);
    assert.equal(after.name, "new-a");
    assert.deepEqual(after.numbers, [0, 1]);
    assert.deepEqual(after.values, [1, 2]);
    assert.deepEqual(after.historyValues, [1, 2]);
    assert.equal(after.firstTrialValue, 1);
    assert.notEqual(after.version, before.version);
    await deleteStudy({ name: "new-a", storage: writer });
  });

  test("the new study's trials get new ids: none of the old trials is mixed in", async () => {
    const keeper = await writer.getStudyIdByName("keeper");
    const oldId = await writer.createStudy({ name: "old-b", direction: "minimize" });
    await addTrials(oldId, [10, 20, 30], Date.UTC(2024, 0, 1));
    // A later trial of another study holds the largest trial id, so the new trials get fresh ids.
    await addTrials(keeper, [5], Date.UTC(2024, 0, 2));
    assert.deepEqual((await look(oldId)).values, [10, 20, 30]);
    const oldTrialIds = (await writer.getAllTrials(oldId)).map((t) => t.trialId);

    const newId = await replace({ id: oldId, name: "old-b" }, "new-b");
    await addTrials(newId, [7, 8, 9, 6], Date.UTC(2024, 5, 1));
    const newTrialIds = (await writer.getAllTrials(newId)).map((t) => t.trialId);
    assert.ok(Math.min(...newTrialIds) > Math.max(...oldTrialIds), "the new trials got ids no old trial had");

    const after = await look(newId);
    assert.equal(after.name, "new-b");
    assert.deepEqual(after.numbers, [0, 1, 2, 3]);
    assert.deepEqual(after.values, [7, 8, 9, 6]);
    assert.deepEqual(after.historyValues, [7, 8, 9, 6]);
    assert.equal(after.firstTrialValue, 7);
    await deleteStudy({ name: "new-b", storage: writer });
  });

  test("a new study with no trials yet: its name, and no trials", async () => {
    const oldId = await writer.createStudy({ name: "old-c", direction: "minimize" });
    await addTrials(oldId, [10, 20], Date.UTC(2024, 0, 1));
    assert.equal((await look(oldId)).name, "old-c");

    const newId = await replace({ id: oldId, name: "old-c" }, "new-c");
    const after = await look(newId);
    assert.equal(after.name, "new-c");
    assert.deepEqual(after.numbers, []);
    assert.deepEqual(after.historyValues, []);
    assert.equal(after.firstTrialValue, null, "trial 0 of the new study does not exist yet");
    await deleteStudy({ name: "new-c", storage: writer });
  });

  test("a study replaced by one of the same name: the new trials only", async () => {
    const oldId = await writer.createStudy({ name: "same", direction: "minimize" });
    await addTrials(oldId, [10, 20, 30], Date.UTC(2024, 0, 1));
    assert.deepEqual((await look(oldId)).values, [10, 20, 30]);

    const newId = await replace({ id: oldId, name: "same" }, "same");
    await addTrials(newId, [3, 4, 5], Date.UTC(2024, 5, 1));
    const after = await look(newId);
    assert.equal(after.name, "same");
    assert.deepEqual(after.values, [3, 4, 5]);
    assert.deepEqual(after.historyValues, [3, 4, 5]);
    assert.equal(after.firstTrialValue, 3);
    await deleteStudy({ name: "same", storage: writer });
  });

  test("a deleted study no one replaced is 404", async () => {
    const oldId = await writer.createStudy({ name: "gone", direction: "minimize" });
    await addTrials(oldId, [1], Date.UTC(2024, 0, 1));
    assert.equal((await look(oldId)).name, "gone");
    await deleteStudy({ name: "gone", storage: writer });
    for (const path of ["", "/trials", "/charts/history", "/trials/0"]) {
      assert.equal((await get(base, `/api/studies/${oldId}${path}`)).status, 404, path);
    }
  });
});
