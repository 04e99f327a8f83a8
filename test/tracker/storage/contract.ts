/**
 * The storage contract: one suite that every `Storage` passes, run on real databases
 * (memory, an SQLite file, a PostgreSQL schema) by the `*.test.ts` files beside it.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import fc from "fast-check";
import { DuplicatedStudyError, NotFoundError, TrialFinishedError, ValueError } from "../../../core/errors.js";
import {
  type DistributionJson,
  type JsonValue,
  type ParamValue,
  SYSTEM_ATTR,
  type TrialRecord,
  type TrialState,
} from "../../../core/records.js";
import { parseFilterField, parseTrialFilter } from "../../../core/trial-filter/index.js";
import type { Storage, TrialTemplate } from "../../../tracker/storage/storage.js";

export interface ContractOptions {
  /** A reason to skip the whole suite (e.g. no PostgreSQL server). */
  skip?: string | false;
  /** Runs of the property-based round trip. Default 40. */
  propertyRuns?: number;
}

const FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
const LOG_FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: 1e-5, high: 10, log: true, step: null } };
const STEP_FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: -1, high: 1, log: false, step: 0.25 } };
const INT: DistributionJson = { name: "IntDistribution", attributes: { low: 0, high: 10, log: false, step: 1 } };
const LOG_INT: DistributionJson = { name: "IntDistribution", attributes: { low: 1, high: 1024, log: true, step: 1 } };
const STEP_INT: DistributionJson = { name: "IntDistribution", attributes: { low: 0, high: 100, log: false, step: 5 } };
const CHOICES: DistributionJson = {
  name: "CategoricalDistribution",
  attributes: { choices: ["adam", null, true, false, 3, 0.5, "ünïcødé ✓"] },
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export function runStorageContract(name: string, makeStorage: () => Storage | Promise<Storage>, options: ContractOptions = {}): void {
  const { skip = false, propertyRuns = 40 } = options;

  describe(`Storage contract: ${name}`, { skip }, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });
    afterEach(async () => {
      await storage.close();
    });

    const study = (studyName = "study", direction: "minimize" | "maximize" = "minimize") =>
      storage.createStudy({ name: studyName, direction });
    const running = async (studyId: number): Promise<TrialRecord> => {
      const trial = await storage.createTrial(studyId);
      assert.ok(trial);
      return trial;
    };

    describe("studies", () => {
      test("create, find by name, get, list", async () => {
        const a = await storage.createStudy({ name: "alpha", direction: "minimize", experiment: "iris" });
        const b = await storage.createStudy({ name: "βeta 学習 🚀", direction: "maximize" });
        assert.notEqual(a, b);
        assert.equal(await storage.getStudyIdByName("alpha"), a);
        assert.equal(await storage.getStudyIdByName("βeta 学習 🚀"), b);
        const sa = await storage.getStudy(a);
        assert.equal(sa.name, "alpha");
        assert.equal(sa.direction, "minimize");
        assert.equal(sa.experiment, "iris");
        assert.equal(sa.systemAttrs[SYSTEM_ATTR.experiment], "iris");
        const sb = await storage.getStudy(b);
        assert.equal(sb.direction, "maximize");
        assert.equal(sb.experiment, null);
        assert.deepEqual(
          (await storage.listStudies()).map((s) => [s.studyId, s.name]).sort((x, y) => Number(x[0]) - Number(y[0])),
          [
            [a, "alpha"],
            [b, "βeta 学習 🚀"],
          ].sort((x, y) => Number(x[0]) - Number(y[0])),
        );
      });

      test("a duplicate name is a DuplicatedStudyError naming it", async () => {
        await study("twice");
        await assert.rejects(study("twice"), (e: Error) => e instanceof DuplicatedStudyError && e.message.includes('"twice"'));
      });

      test("an unknown name is a NotFoundError naming it and the known studies", async () => {
        await study("known-one");
        await assert.rejects(
          storage.getStudyIdByName("missing"),
          (e: Error) => e instanceof NotFoundError && e.message.includes('"missing"') && e.message.includes('"known-one"'),
        );
        await assert.rejects(storage.getStudy(987654), NotFoundError);
        await assert.rejects(storage.getAllTrials(987654), NotFoundError);
        await assert.rejects(storage.createTrial(987654), NotFoundError);
      });

      test("study attributes keep nested JSON; the experiment follows its system attribute", async () => {
        const id = await study();
        const nested: JsonValue = { layers: [64, 32, { dropout: 0.5 }], name: "naïve", ok: true, none: null, big: 1e300, tiny: -2.5e-300 };
        await storage.setStudyUserAttr(id, "config", nested);
        await storage.setStudyUserAttr(id, "config", { replaced: [1] });
        await storage.setStudyUserAttr(id, "note", "ünïcødé");
        await storage.setStudySystemAttr(id, SYSTEM_ATTR.experiment, "wine");
        await storage.setStudySystemAttr(id, "sampler", { name: "tpe", seed: 3 });
        const s = await storage.getStudy(id);
        assert.deepEqual(s.userAttrs, { config: { replaced: [1] }, note: "ünïcødé" });
        assert.deepEqual(s.systemAttrs, { [SYSTEM_ATTR.experiment]: "wine", sampler: { name: "tpe", seed: 3 } });
        assert.equal(s.experiment, "wine");
        await storage.setStudyUserAttr(id, "nested", nested);
        assert.deepEqual((await storage.getStudy(id)).userAttrs.nested, nested);
      });

      test("deleteStudy removes the study and its trials, and nothing else", async () => {
        const gone = await study("gone");
        const kept = await study("kept");
        const t = await running(gone);
        await storage.setTrialParam(t.trialId, "x", 0.5, FLOAT);
        await storage.createTrial(gone, {}, { claimOneOf: ["k"] });
        await running(kept);
        await storage.deleteStudy(gone);
        await assert.rejects(storage.getStudy(gone), NotFoundError);
        await assert.rejects(storage.getTrial(t.trialId), NotFoundError);
        await assert.rejects(storage.getStudyIdByName("gone"), NotFoundError);
        assert.deepEqual(
          (await storage.listStudies()).map((s) => s.name),
          ["kept"],
        );
        assert.equal(await storage.countTrials(kept), 1);
        // The name is free again, and numbering starts over.
        const again = await study("gone");
        assert.equal((await running(again)).number, 0);
        assert.deepEqual(await storage.claimedKeys(again), new Set());
      });
    });

    describe("trials", () => {
      test("numbers are 0-based and gap-free per study, also when created concurrently", async () => {
        const a = await study("a");
        const b = await study("b");
        const created = await Promise.all(Array.from({ length: 12 }, (_, i) => storage.createTrial(i % 3 === 0 ? b : a)));
        const numbers = (id: number) =>
          created
            .filter((t, i) => (i % 3 === 0 ? b : a) === id && t)
            .map((t) => t!.number)
            .sort((x, y) => x - y);
        assert.deepEqual(numbers(a), [0, 1, 2, 3, 4, 5, 6, 7]);
        assert.deepEqual(numbers(b), [0, 1, 2, 3]);
        assert.equal(new Set(created.map((t) => t!.trialId)).size, 12);
        assert.deepEqual(
          (await storage.getAllTrials(a)).map((t) => t.number),
          [0, 1, 2, 3, 4, 5, 6, 7],
        );
      });

      test("a new trial is RUNNING, started now, with nothing set", async () => {
        const id = await study();
        const before = Date.now();
        const t = await running(id);
        assert.equal(t.state, "RUNNING");
        assert.ok(t.datetimeStart && t.datetimeStart.getTime() >= before - 1 && t.datetimeStart.getTime() <= Date.now() + 1);
        assert.equal(t.datetimeComplete, null);
        assert.equal(t.value, null);
        assert.deepEqual([t.params, t.distributions, t.intermediateValues, t.userAttrs], [{}, {}, {}, {}]);
        assert.deepEqual(await storage.getTrial(t.trialId), t);
      });

      test("params of every kind round-trip, categorical null/boolean/number choices included", async () => {
        const id = await study();
        const t = await running(id);
        const set: [string, ParamValue, DistributionJson][] = [
          ["lr", 0.0031622776601683794, LOG_FLOAT],
          ["x", 0.123456789012345, FLOAT],
          ["q", -0.75, STEP_FLOAT],
          ["n", 7, INT],
          ["units", 256, LOG_INT],
          ["batch", 35, STEP_INT],
          ["opt", "adam", CHOICES],
          ["none", null, CHOICES],
          ["yes", true, CHOICES],
          ["no", false, CHOICES],
          ["three", 3, CHOICES],
          ["half", 0.5, CHOICES],
          ["uni", "ünïcødé ✓", CHOICES],
          ["パラメータ", 0.25, FLOAT],
        ];
        for (const [name, value, d] of set) await storage.setTrialParam(t.trialId, name, value, d);
        const got = await storage.getTrial(t.trialId);
        for (const [name, value, d] of set) {
          assert.deepEqual(got.params[name], value, name);
          assert.deepEqual(got.distributions[name], d, name);
        }
        assert.equal(Object.keys(got.params).length, set.length);
      });

      test("setting a param again keeps its distribution; another distribution is a ValueError naming the param", async () => {
        const id = await study();
        const t = await running(id);
        await storage.setTrialParam(t.trialId, "x", 0.5, FLOAT);
        await storage.setTrialParam(t.trialId, "x", 0.5, FLOAT);
        await assert.rejects(
          storage.setTrialParam(t.trialId, "x", 3, INT),
          (e: Error) => e instanceof ValueError && e.message.includes('"x"'),
        );
        assert.deepEqual((await storage.getTrial(t.trialId)).distributions.x, FLOAT);
      });

      test("intermediate values keep NaN and ±Infinity; a step can be overwritten", async () => {
        const id = await study();
        const t = await running(id);
        const values: Record<number, number> = { 0: 0.5, 1: NaN, 2: Infinity, 3: -Infinity, 10: -1e-300, 7: 1.7976931348623157e308 };
        for (const [step, v] of Object.entries(values)) await storage.setTrialIntermediateValue(t.trialId, Number(step), v);
        await storage.setTrialIntermediateValue(t.trialId, 0, 0.25);
        assert.deepEqual((await storage.getTrial(t.trialId)).intermediateValues, { ...values, 0: 0.25 });
      });

      test("user and system attributes keep nested JSON", async () => {
        const id = await study();
        const t = await running(id);
        const nested: JsonValue = {
          scores: [0.9, 0.8, [1, 2]],
          meta: { ключ: "значение", emoji: "🎯", quote: 'say "hi"\n' },
          empty: {},
          list: [],
        };
        await storage.setTrialUserAttr(t.trialId, "cv", nested);
        await storage.setTrialUserAttr(t.trialId, "n", 3);
        await storage.setTrialSystemAttr(t.trialId, "worker", { host: "a", pid: 1 });
        const got = await storage.getTrial(t.trialId);
        assert.deepEqual(got.userAttrs, { cv: nested, n: 3 });
        assert.deepEqual(got.systemAttrs, { worker: { host: "a", pid: 1 } });
      });

      test("finishing stores state, value and completion time; FAIL keeps its error", async () => {
        const id = await study();
        const ok = await running(id);
        const pruned = await running(id);
        const failed = await running(id);
        await storage.setTrialIntermediateValue(pruned.trialId, 3, 0.7);
        await storage.finishTrial(ok.trialId, "COMPLETE", [0.125]);
        await storage.finishTrial(pruned.trialId, "PRUNED", null);
        await storage.finishTrial(failed.trialId, "FAIL", null, "ValueError: bad ✗");
        const [a, b, c] = await storage.getAllTrials(id);
        assert.deepEqual([a.state, a.value, a.error], ["COMPLETE", 0.125, undefined]);
        assert.ok(a.datetimeComplete && a.datetimeStart && a.datetimeComplete >= a.datetimeStart);
        assert.deepEqual([b.state, b.value, b.intermediateValues], ["PRUNED", null, { 3: 0.7 }]);
        assert.deepEqual(
          [c.state, c.value, c.error, c.systemAttrs[SYSTEM_ATTR.failReason]],
          ["FAIL", null, "ValueError: bad ✗", "ValueError: bad ✗"],
        );
      });

      test("infinite values are kept", async () => {
        const id = await study();
        const a = await running(id);
        const b = await running(id);
        await storage.finishTrial(a.trialId, "COMPLETE", [Infinity]);
        await storage.finishTrial(b.trialId, "COMPLETE", [-Infinity]);
        assert.deepEqual(
          (await storage.getAllTrials(id)).map((t) => t.value),
          [Infinity, -Infinity],
        );
      });

      test("a finished trial is immutable (TrialFinishedError), but attributes may still be added", async () => {
        const id = await study();
        const t = await running(id);
        await storage.setTrialParam(t.trialId, "x", 0.5, FLOAT);
        await storage.finishTrial(t.trialId, "COMPLETE", [1]);
        await assert.rejects(storage.finishTrial(t.trialId, "FAIL", null, "late"), TrialFinishedError);
        await assert.rejects(storage.setTrialParam(t.trialId, "y", 0.5, FLOAT), TrialFinishedError);
        await assert.rejects(storage.setTrialParam(t.trialId, "x", 0.75, FLOAT), TrialFinishedError);
        await assert.rejects(storage.setTrialIntermediateValue(t.trialId, 0, 1), TrialFinishedError);
        await storage.setTrialUserAttr(t.trialId, "note", "added later");
        await storage.setTrialSystemAttr(t.trialId, "sys", 1);
        const got = await storage.getTrial(t.trialId);
        assert.deepEqual([got.state, got.value, got.params, got.intermediateValues], ["COMPLETE", 1, { x: 0.5 }, {}]);
        assert.equal(got.userAttrs.note, "added later");
        assert.equal(got.error, undefined);
      });

      test("unknown trial ids are NotFoundErrors", async () => {
        await study();
        await assert.rejects(storage.getTrial(424242), NotFoundError);
        await assert.rejects(storage.setTrialParam(424242, "x", 0.5, FLOAT), NotFoundError);
        await assert.rejects(storage.finishTrial(424242, "COMPLETE", [1]), NotFoundError);
        await assert.rejects(storage.setTrialUserAttr(424242, "k", 1), NotFoundError);
      });

      test("returned records are snapshots", async () => {
        const id = await study();
        const t = await running(id);
        await storage.setTrialParam(t.trialId, "c", "adam", CHOICES);
        await storage.setTrialUserAttr(t.trialId, "deep", { list: [1, 2] });
        const first = await storage.getTrial(t.trialId);
        first.params.c = "sgd";
        first.params.extra = 1;
        (first.userAttrs.deep as { list: number[] }).list.push(3);
        (first.distributions.c as { attributes: { choices: unknown[] } }).attributes.choices.push("sgd");
        first.intermediateValues[5] = 1;
        first.datetimeStart!.setFullYear(1999);
        first.state = "COMPLETE";
        const [again] = await storage.getAllTrials(id);
        assert.deepEqual(again.params, { c: "adam" });
        assert.deepEqual(again.userAttrs, { deep: { list: [1, 2] } });
        assert.deepEqual(again.distributions.c, CHOICES);
        assert.deepEqual(again.intermediateValues, {});
        assert.equal(again.state, "RUNNING");
        assert.notEqual(again.datetimeStart!.getFullYear(), 1999);
        const summary = await storage.getStudy(id);
        summary.userAttrs.x = 1;
        summary.counts.RUNNING = 99;
        assert.deepEqual((await storage.getStudy(id)).userAttrs, {});
        assert.equal((await storage.getStudy(id)).counts.RUNNING, 1);
      });

      test("a template creates a trial with every field set", async () => {
        const id = await study();
        const start = new Date(2024, 0, 2, 3, 4, 5, 678);
        const complete = new Date(2024, 0, 2, 3, 14, 5, 9);
        const template: TrialTemplate = {
          state: "COMPLETE",
          params: { lr: 0.01, n: 40, opt: null },
          distributions: { lr: LOG_FLOAT, n: STEP_INT, opt: CHOICES },
          value: -3.5,
          intermediateValues: { 0: 1, 1: NaN, 5: -Infinity },
          userAttrs: { source: "manual", folds: [0.5, 0.25] },
          systemAttrs: { origin: { by: "hand" } },
          datetimeStart: start,
          datetimeComplete: complete,
        };
        const created = await storage.createTrial(id, template);
        assert.ok(created);
        const got = await storage.getTrial(created.trialId);
        assert.deepEqual(got, created);
        assert.deepEqual(
          { ...got, trialId: 0 },
          {
            trialId: 0,
            number: 0,
            state: "COMPLETE",
            params: template.params,
            distributions: template.distributions,
            value: -3.5,
            values: [-3.5],
            intermediateValues: template.intermediateValues,
            userAttrs: template.userAttrs,
            systemAttrs: template.systemAttrs,
            datetimeStart: start,
            datetimeComplete: complete,
          },
        );
        const failed = await storage.createTrial(id, { state: "FAIL", error: "objective returned NaN" });
        assert.equal(failed!.error, "objective returned NaN");
        const back = await storage.getTrial(failed!.trialId);
        assert.equal(back.error, "objective returned NaN");
        assert.ok(back.datetimeComplete);
        await assert.rejects(storage.setTrialParam(back.trialId, "x", 0.5, FLOAT), TrialFinishedError);
      });

      test("getAllTrials filters by state and by fromTrialId; countTrials agrees", async () => {
        const id = await study();
        const other = await study("other");
        const trials: TrialRecord[] = [];
        for (let i = 0; i < 8; i++) {
          trials.push(await running(id));
          await running(other); // interleaved ids of another study
        }
        await storage.finishTrial(trials[0].trialId, "COMPLETE", [1]);
        await storage.finishTrial(trials[2].trialId, "PRUNED", null);
        await storage.finishTrial(trials[3].trialId, "FAIL", null, "x");
        await storage.finishTrial(trials[6].trialId, "COMPLETE", [2]);
        const numbers = (ts: TrialRecord[]) => ts.map((t) => t.number);
        assert.deepEqual(numbers(await storage.getAllTrials(id, { states: ["COMPLETE"] })), [0, 6]);
        assert.deepEqual(numbers(await storage.getAllTrials(id, { states: ["COMPLETE", "PRUNED"] })), [0, 2, 6]);
        assert.deepEqual(numbers(await storage.getAllTrials(id, { states: [] })), []);
        assert.deepEqual(numbers(await storage.getAllTrials(id, { fromTrialId: trials[5].trialId })), [5, 6, 7]);
        assert.deepEqual(numbers(await storage.getAllTrials(id, { fromTrialId: trials[5].trialId, states: ["RUNNING"] })), [5, 7]);
        assert.deepEqual(numbers(await storage.getAllTrials(id, { fromTrialId: trials[7].trialId + 1000 })), []);
        assert.equal(await storage.countTrials(id), 8);
        assert.equal(await storage.countTrials(id, ["RUNNING"]), 4);
        assert.equal(await storage.countTrials(id, ["FAIL", "PRUNED"]), 2);
        assert.equal(await storage.countTrials(id, []), 0);
        assert.equal(await storage.countTrials(other), 8);
      });

      test("trials fetched from an id on carry all their data", async () => {
        const id = await study();
        const first = await running(id);
        const second = await running(id);
        await storage.setTrialParam(second.trialId, "x", 0.5, FLOAT);
        await storage.setTrialIntermediateValue(second.trialId, 1, 0.1);
        await storage.setTrialUserAttr(second.trialId, "u", [1]);
        await storage.setTrialParam(first.trialId, "x", 0.25, FLOAT);
        const [got] = await storage.getAllTrials(id, { fromTrialId: second.trialId });
        assert.deepEqual(got, await storage.getTrial(second.trialId));
        assert.deepEqual([got.params, got.intermediateValues, got.userAttrs], [{ x: 0.5 }, { 1: 0.1 }, { u: [1] }]);
      });
    });

    describe("budget and queue", () => {
      test("createTrial with maxTrials stops at the budget; FAIL trials do not count", async () => {
        const id = await study();
        const made: (TrialRecord | null)[] = [];
        for (let i = 0; i < 5; i++) made.push(await storage.createTrial(id, {}, { maxTrials: 3 }));
        assert.deepEqual(
          made.map((t) => t?.number ?? null),
          [0, 1, 2, null, null],
        );
        await storage.finishTrial(made[1]!.trialId, "FAIL", null, "boom");
        const extra = await storage.createTrial(id, {}, { maxTrials: 3 });
        assert.equal(extra?.number, 3);
        assert.equal(await storage.createTrial(id, {}, { maxTrials: 3 }), null);
        assert.equal(await storage.countTrials(id), 4);
      });

      test("maxTrials holds under concurrent creation", async () => {
        const id = await study();
        const made = await Promise.all(Array.from({ length: 10 }, () => storage.createTrial(id, {}, { maxTrials: 4 })));
        assert.equal(made.filter((t) => t !== null).length, 4);
        assert.equal(await storage.countTrials(id), 4);
      });

      test("claimWaitingTrial hands out the oldest WAITING trial once", async () => {
        const id = await study();
        assert.equal(await storage.claimWaitingTrial(id), null);
        const w1 = await storage.createTrial(id, { state: "WAITING", systemAttrs: { [SYSTEM_ATTR.fixedParams]: { x: 0.5 } } });
        await running(id);
        const w2 = await storage.createTrial(id, { state: "WAITING", params: { x: 0.75 }, distributions: { x: FLOAT } });
        assert.equal(w1!.datetimeStart, null);
        const claims = await Promise.all([storage.claimWaitingTrial(id), storage.claimWaitingTrial(id), storage.claimWaitingTrial(id)]);
        const got = claims.filter((t): t is TrialRecord => t !== null);
        assert.deepEqual(
          got.map((t) => t.trialId).sort((a, b) => a - b),
          [w1!.trialId, w2!.trialId],
        );
        assert.equal(claims[0]!.trialId, w1!.trialId);
        for (const t of got) {
          assert.equal(t.state, "RUNNING");
          assert.ok(t.datetimeStart);
        }
        assert.deepEqual(claims[0]!.systemAttrs[SYSTEM_ATTR.fixedParams], { x: 0.5 });
        assert.deepEqual(got.find((t) => t.trialId === w2!.trialId)!.params, { x: 0.75 });
        assert.equal(await storage.claimWaitingTrial(id), null);
        assert.equal(await storage.countTrials(id, ["WAITING"]), 0);
      });

      test("claimOneOf claims the first free key with the new trial; none free → null", async () => {
        const id = await study();
        const other = await study("other");
        const a = await storage.createTrial(id, {}, { claimOneOf: ["grid:0", "grid:1"] });
        assert.equal(a?.claimedKey, "grid:0");
        const b = await storage.createTrial(id, {}, { claimOneOf: ["grid:0", "grid:1", "grid:2"] });
        assert.equal(b?.claimedKey, "grid:1");
        assert.equal(await storage.createTrial(id, {}, { claimOneOf: ["grid:0", "grid:1"] }), null);
        assert.equal(await storage.createTrial(id, {}, { claimOneOf: [] }), null);
        assert.equal(await storage.countTrials(id), 2, "a failed claim creates no trial");
        const elsewhere = await storage.createTrial(other, {}, { claimOneOf: ["grid:0"] });
        assert.equal(elsewhere?.claimedKey, "grid:0", "keys are per study");
        assert.deepEqual(await storage.claimedKeys(id), new Set(["grid:0", "grid:1"]));
        assert.deepEqual(await storage.claimedKeys(other), new Set(["grid:0"]));
        const plain = await storage.createTrial(id);
        assert.equal(plain?.claimedKey, undefined);
        assert.equal((await storage.getTrial(b!.trialId)).number, 1);
      });

      test("concurrent claims never hand one key to two trials", async () => {
        const id = await study();
        const keys = ["p0", "p1", "p2", "p3", "p4"];
        const made = await Promise.all(Array.from({ length: 8 }, () => storage.createTrial(id, {}, { claimOneOf: keys })));
        const claimed = made.filter((t) => t !== null).map((t) => t!.claimedKey);
        assert.deepEqual([...claimed].sort(), keys);
        assert.equal(made.filter((t) => t === null).length, 3);
        assert.equal(await storage.countTrials(id), 5);
      });

      test("maxTrials and claimOneOf together: the budget is checked first", async () => {
        const id = await study();
        assert.ok(await storage.createTrial(id, {}, { maxTrials: 1, claimOneOf: ["a", "b"] }));
        assert.equal(await storage.createTrial(id, {}, { maxTrials: 1, claimOneOf: ["a", "b"] }), null);
        assert.deepEqual(await storage.claimedKeys(id), new Set(["a"]));
      });
    });

    describe("heartbeats", () => {
      test("failStaleTrials fails RUNNING trials without a recent heartbeat, and only those", async () => {
        const id = await study();
        const other = await study("other");
        const silent = await running(id);
        const alive = await running(id);
        const done = await running(id);
        const elsewhere = await running(other);
        await storage.finishTrial(done.trialId, "COMPLETE", [1]);
        await sleep(800);
        await storage.recordHeartbeat(alive.trialId);
        const failed = await storage.failStaleTrials(id, 0.4);
        assert.deepEqual(
          failed.map((t) => t.trialId),
          [silent.trialId],
        );
        assert.equal(failed[0].state, "FAIL");
        assert.match(failed[0].error ?? "", /heartbeat/);
        const states = (await storage.getAllTrials(id)).map((t) => t.state);
        assert.deepEqual(states, ["FAIL", "RUNNING", "COMPLETE"]);
        assert.equal((await storage.getTrial(elsewhere.trialId)).state, "RUNNING");
        // A worker that comes back late cannot finish its trial.
        await assert.rejects(storage.finishTrial(silent.trialId, "COMPLETE", [1]), TrialFinishedError);
        assert.deepEqual(await storage.failStaleTrials(id, 60), []);
        // Heartbeats of finished trials are ignored.
        await storage.recordHeartbeat(done.trialId);
        assert.equal((await storage.getTrial(done.trialId)).state, "COMPLETE");
      });
    });

    describe("several objectives", () => {
      const DIRECTIONS = ["maximize", "minimize", "minimize"] as const;

      test("a study keeps one direction per objective, in order; its summary has no single best value", async () => {
        const id = await storage.createStudy({ name: "three", directions: DIRECTIONS });
        const t = await running(id);
        await storage.finishTrial(t.trialId, "COMPLETE", [0.9, 12, -Infinity]);
        const summary = await storage.getStudy(id);
        assert.deepEqual(summary.directions, DIRECTIONS);
        assert.equal(summary.direction, "maximize");
        assert.deepEqual([summary.bestValue, summary.bestTrialNumber, summary.counts.COMPLETE], [null, null, 1]);
      });

      test("a trial's values come back in objective order, from every read; value is null with several", async () => {
        const id = await storage.createStudy({ name: "three", directions: DIRECTIONS });
        const a = await running(id);
        await storage.finishTrial(a.trialId, "COMPLETE", [0.5, 3, 7]);
        const b = await storage.createTrial(id, { state: "COMPLETE", values: [0.25, Infinity, -1] });
        const pruned = await running(id);
        await storage.finishTrial(pruned.trialId, "PRUNED", null);
        assert.deepEqual(b!.values, [0.25, Infinity, -1]);
        const all = await storage.getAllTrials(id);
        assert.deepEqual(
          all.map((t) => [t.values, t.value]),
          [
            [[0.5, 3, 7], null],
            [[0.25, Infinity, -1], null],
            [null, null],
          ],
        );
        assert.deepEqual((await storage.getTrial(a.trialId)).values, [0.5, 3, 7]);
        assert.deepEqual(
          (await storage.getAllTrials(id, { fromTrialId: b!.trialId, states: ["COMPLETE"] })).map((t) => t.values),
          [[0.25, Infinity, -1]],
        );
        const one = await study("one");
        const single = await running(one);
        await storage.finishTrial(single.trialId, "COMPLETE", [2]);
        assert.deepEqual(await storage.getTrial(single.trialId).then((t) => [t.values, t.value]), [[2], 2]);
      });

      test("values that are not one per objective are refused, naming them and the directions; nothing is written", async () => {
        const id = await storage.createStudy({ name: "three", directions: DIRECTIONS });
        const t = await running(id);
        const refusal = (given: string) => (e: Error) =>
          e instanceof ValueError && e.message.includes(given) && e.message.includes("3 objectives (maximize, minimize, minimize)");
        await assert.rejects(storage.finishTrial(t.trialId, "COMPLETE", [1, 2]), refusal("2 values [1,2]"));
        await assert.rejects(storage.createTrial(id, { state: "COMPLETE", value: 1 }), refusal("1 value [1]"));
        await assert.rejects(storage.finishTrial(t.trialId, "COMPLETE", []), /non-empty array/);
        await assert.rejects(storage.finishTrial(t.trialId, "COMPLETE", [1, Number.NaN, 2]), /NaN/);
        await assert.rejects(storage.createTrial(id, { value: 1, values: [1, 2, 3] }), /not both/);
        const trials = await storage.getAllTrials(id);
        assert.deepEqual(
          trials.map((x) => [x.state, x.values]),
          [["RUNNING", null]],
        );
      });

      test("an infeasible trial (a constraint value > 0) is never a summary's best", async () => {
        const id = await study("constrained");
        const add = (value: number, constraints?: number[]) =>
          storage.createTrial(id, { state: "COMPLETE", value, systemAttrs: constraints ? { constraints } : {} });
        await add(1, [0.5, -1]);
        await add(0.5, [0, 1e-9]);
        await add(3);
        await add(2, [-1, 0]);
        assert.deepEqual(await storage.getStudy(id).then((s) => [s.bestValue, s.bestTrialNumber]), [2, 3]);
        const none = await study("all infeasible");
        await storage.createTrial(none, { state: "COMPLETE", value: 1, systemAttrs: { constraints: [1] } });
        const [listed] = (await storage.listStudies()).filter((s) => s.name === "all infeasible");
        assert.deepEqual([listed.bestValue, listed.bestTrialNumber], [null, null]);
      });

      test("directions are checked: exactly one of direction and directions, each minimize or maximize", async () => {
        await assert.rejects(storage.createStudy({ name: "a", directions: [] }), /non-empty array/);
        await assert.rejects(storage.createStudy({ name: "a", directions: ["maximize", "up" as "maximize"] }), /directions\[1\].*"up"/);
        await assert.rejects(storage.createStudy({ name: "a", direction: "minimize", directions: ["minimize"] }), /not both/);
        assert.deepEqual(await storage.listStudies(), []);
      });
    });

    describe("summaries", () => {
      for (const direction of ["minimize", "maximize"] as const) {
        test(`listStudies counts, best and times (${direction})`, async () => {
          const id = await study("s", direction);
          const empty = await study("empty", direction);
          const values = [3, -1, 7, -1, 5];
          const created: TrialRecord[] = [];
          for (const v of values) {
            const t = await running(id);
            created.push(t);
            await storage.finishTrial(t.trialId, "COMPLETE", [v]);
          }
          const pruned = await running(id);
          await storage.finishTrial(pruned.trialId, "PRUNED", [direction === "minimize" ? -100 : 100]);
          const failed = await running(id);
          await storage.finishTrial(failed.trialId, "FAIL", null, "x");
          const stillRunning = await running(id);
          await storage.createTrial(id, { state: "WAITING" });
          const s = (await storage.listStudies()).find((x) => x.studyId === id)!;
          assert.deepEqual(s.counts, { RUNNING: 1, COMPLETE: 5, PRUNED: 1, FAIL: 1, WAITING: 1 });
          assert.equal(s.bestValue, direction === "minimize" ? -1 : 7);
          assert.equal(s.bestTrialNumber, direction === "minimize" ? 1 : 2, "the first of equal best values wins");
          const all = await storage.getAllTrials(id);
          const times = all
            .flatMap((t) => [t.datetimeStart, t.datetimeComplete])
            .filter((d): d is Date => d !== null)
            .map((d) => d.getTime());
          assert.equal(s.datetimeStart?.getTime(), Math.min(...times));
          assert.equal(s.lastActivity?.getTime(), Math.max(...times));
          assert.ok(s.lastActivity!.getTime() >= (await storage.getTrial(stillRunning.trialId)).datetimeStart!.getTime());
          assert.deepEqual(await storage.getStudy(id), s);
          const e = await storage.getStudy(empty);
          assert.deepEqual([e.bestValue, e.bestTrialNumber, e.datetimeStart, e.lastActivity], [null, null, null, null]);
          assert.deepEqual(Object.values(e.counts), [0, 0, 0, 0, 0]);
        });

        test(`the best value honours infinities (${direction})`, async () => {
          const id = await study("inf", direction);
          for (const v of [1, -Infinity, Infinity, 2]) {
            const t = await running(id);
            await storage.finishTrial(t.trialId, "COMPLETE", [v]);
          }
          const s = await storage.getStudy(id);
          assert.equal(s.bestValue, direction === "minimize" ? -Infinity : Infinity);
          assert.equal(s.bestTrialNumber, direction === "minimize" ? 1 : 2);
        });
      }
    });

    describe("reads that never load every trial", () => {
      /** A study of `n` finished trials with param x = number and value `valueAt(number)`, plus one running trial. */
      const studyOf = async (n: number, valueAt: (number: number) => number): Promise<number> => {
        const id = await study(`reads${n}`);
        for (let number = 0; number < n; number++) {
          const t = await running(id);
          await storage.setTrialParam(t.trialId, "x", number, STEP_INT);
          await storage.finishTrial(t.trialId, "COMPLETE", [valueAt(number)]);
        }
        await running(id);
        return id;
      };

      test("queryTrials gives a filtered, sorted page and how many match", async () => {
        const id = await studyOf(12, (number) => (number * 7) % 12);
        const where = parseTrialFilter("params.x >= 3 and (value < 6 or state = RUNNING)");
        const all = await storage.getAllTrials(id);
        const expected = all
          .filter((t) => t.state === "COMPLETE" && (t.params.x as number) >= 3 && t.values![0] < 6)
          .sort((a, b) => b.values![0] - a.values![0]);
        const page = await storage.queryTrials(id, {
          where,
          orderBy: { field: parseFilterField("value"), direction: "desc" },
          limit: 2,
          offset: 1,
        });
        assert.equal(page.total, expected.length, "the running trial has no x, so the filter is unknown for it");
        assert.deepEqual(
          page.trials.map((t) => t.number),
          expected.slice(1, 3).map((t) => t.number),
        );
        const running = await storage.queryTrials(id, { states: ["RUNNING"] });
        assert.deepEqual([running.total, running.trials[0].number], [1, 12]);
        await assert.rejects(storage.queryTrials(id + 1000), NotFoundError);
        await assert.rejects(storage.queryTrials(id, { limit: -1 }), ValueError);
      });

      test("getTrialByNumber reads one trial, null for a number the study lacks", async () => {
        const id = await studyOf(3, (number) => number);
        const all = await storage.getAllTrials(id);
        assert.deepEqual(await storage.getTrialByNumber(id, 2), all[2]);
        assert.equal(await storage.getTrialByNumber(id, 99), null);
        await assert.rejects(storage.getTrialByNumber(id + 1000, 0), NotFoundError);
      });

      test("sampleTrials: all of a small study; of a larger one a bounded sample by number with the best and the running trial", async () => {
        const small = await studyOf(5, (number) => number);
        const smallSample = await storage.sampleTrials(small, 10);
        assert.deepEqual(smallSample, { total: 6, trials: await storage.getAllTrials(small) });

        const n = 60;
        const id = await studyOf(n, (number) => Math.abs(number - 37));
        const { total, trials } = await storage.sampleTrials(id, 10);
        assert.equal(total, n + 1);
        const numbers = trials.map((t) => t.number);
        assert.deepEqual(
          numbers,
          [...numbers].sort((a, b) => a - b),
          "ordered by number",
        );
        assert.ok(numbers.includes(37), "the best trial is in the sample");
        assert.ok(numbers.includes(n), "the running trial is in the sample");
        assert.ok(trials.length < total / 2, `a sample of ${trials.length} of ${total} trials`);
        const all = await storage.getAllTrials(id);
        for (const t of trials) assert.deepEqual(t, all[t.number], "sampled trials are whole");
        await assert.rejects(storage.sampleTrials(id, 3), ValueError);
      });

      test("sampleTrials of a constrained study holds its best feasible trial, though better values are infeasible", async () => {
        const id = await study("constrained-sample");
        for (let number = 0; number < 60; number++) {
          const t = await running(id);
          const value = Math.abs(number - 37);
          // Values under 5 (trials 33 to 41) break the constraint: the best feasible value is 5, first at trial 32.
          await storage.setTrialSystemAttr(t.trialId, SYSTEM_ATTR.constraints, [5 - value - 0.5]);
          await storage.finishTrial(t.trialId, "COMPLETE", [value]);
        }
        const { bestTrialNumber } = await storage.getStudy(id);
        assert.equal(bestTrialNumber, 32);
        const { trials } = await storage.sampleTrials(id, 10);
        assert.ok(
          trials.some((t) => t.number === 32),
          `the best feasible trial is in the sample of ${trials.map((t) => t.number).join(", ")}`,
        );
      });
    });

    describe("what the schema can hold (core/limits.ts), the same in every storage", () => {
      const NUL_NAME = "nul\u0000inside";
      const refusesNaming = (value: string | number, pattern?: RegExp) => (e: Error) => {
        assert.ok(e instanceof ValueError, `expected a ValueError, got ${e.name}: ${e.message}`);
        const shown = typeof value === "string" ? JSON.stringify(value).slice(0, 40) : String(value);
        assert.ok(e.message.includes(shown), `the message names ${shown}: ${e.message}`);
        if (pattern) assert.match(e.message, pattern);
        return true;
      };

      test("a NUL in a study name, parameter name, attribute key or claim key is a ValueError naming it; nothing is written", async () => {
        const id = await study("kept");
        const t = await running(id);
        await storage.setTrialParam(t.trialId, "x", 0.5, FLOAT);
        const before = [await storage.listStudies(), await storage.getAllTrials(id)];
        const refuses = refusesNaming(NUL_NAME, /NUL/);
        await assert.rejects(storage.createStudy({ name: NUL_NAME, direction: "minimize" }), refuses);
        await assert.rejects(storage.setTrialParam(t.trialId, NUL_NAME, 0.5, FLOAT), refuses);
        await assert.rejects(storage.setTrialUserAttr(t.trialId, NUL_NAME, 1), refuses);
        await assert.rejects(storage.setTrialSystemAttr(t.trialId, NUL_NAME, 1), refuses);
        await assert.rejects(storage.setStudyUserAttr(id, NUL_NAME, 1), refuses);
        await assert.rejects(storage.setStudySystemAttr(id, NUL_NAME, 1), refuses);
        await assert.rejects(storage.createTrial(id, { params: { [NUL_NAME]: 0.5 }, distributions: { [NUL_NAME]: FLOAT } }), refuses);
        await assert.rejects(storage.createTrial(id, { userAttrs: { [NUL_NAME]: 1 } }), refuses);
        await assert.rejects(storage.createTrial(id, { systemAttrs: { [NUL_NAME]: 1 } }), refuses);
        await assert.rejects(storage.createTrial(id, {}, { claimOneOf: [NUL_NAME] }), refuses);
        assert.deepEqual([await storage.listStudies(), await storage.getAllTrials(id)], before);
        await assert.rejects(
          storage.getStudyIdByName(NUL_NAME),
          (e: Error) => e instanceof NotFoundError && e.message.includes(JSON.stringify(NUL_NAME)) && e.message.includes('"kept"'),
        );
      });

      test("a NUL inside an attribute value, a categorical choice, an experiment or an error is kept", async () => {
        const id = await storage.createStudy({ name: "values", direction: "minimize", experiment: "exp\u0000eriment" });
        await storage.setStudyUserAttr(id, "note", { text: "a\u0000b", list: ["\u0000"] });
        const choices: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["plain", "with\u0000nul"] } };
        const t = await running(id);
        await storage.setTrialParam(t.trialId, "c", "with\u0000nul", choices);
        await storage.setTrialUserAttr(t.trialId, "u", "x\u0000y");
        await storage.finishTrial(t.trialId, "FAIL", null, "Error: \u0000 in the message");
        const got = await storage.getTrial(t.trialId);
        assert.deepEqual([got.params.c, got.userAttrs.u, got.error], ["with\u0000nul", "x\u0000y", "Error: \u0000 in the message"]);
        assert.deepEqual(got.distributions.c, choices);
        const s = await storage.getStudy(id);
        assert.deepEqual([s.experiment, s.userAttrs.note], ["exp\u0000eriment", { text: "a\u0000b", list: ["\u0000"] }]);
      });

      test("names and keys hold up to 512 characters, counted as the database counts them; longer is a ValueError", async () => {
        const longest = ["n".repeat(512), "🎯".repeat(512), `${"é".repeat(511)}x`];
        for (const name of longest) {
          const id = await study(name);
          assert.equal((await storage.getStudy(id)).name, name);
          const t = await running(id);
          await storage.setTrialParam(t.trialId, name, 0.5, FLOAT);
          await storage.setTrialUserAttr(t.trialId, name, 1);
          await storage.setStudyUserAttr(id, name, 2);
          const got = await storage.getTrial(t.trialId);
          assert.deepEqual([got.params[name], got.userAttrs[name]], [0.5, 1]);
          assert.equal((await storage.getStudy(id)).userAttrs[name], 2);
        }
        const id = await study("short");
        const t = await running(id);
        const before = [await storage.listStudies(), await storage.getAllTrials(id)];
        for (const name of ["n".repeat(513), "🎯".repeat(513)]) {
          const refuses = refusesNaming(name, /513 characters.*at most 512/);
          await assert.rejects(storage.createStudy({ name, direction: "minimize" }), refuses);
          await assert.rejects(storage.setTrialParam(t.trialId, name, 0.5, FLOAT), refuses);
          await assert.rejects(storage.setTrialUserAttr(t.trialId, name, 1), refuses);
          await assert.rejects(storage.setStudySystemAttr(id, name, 1), refuses);
          await assert.rejects(storage.createTrial(id, { userAttrs: { [name]: 1 } }), refuses);
        }
        assert.deepEqual([await storage.listStudies(), await storage.getAllTrials(id)], before);
      });

      test("a name with a lone surrogate (not Unicode text) is a ValueError, never stored altered", async () => {
        const id = await study();
        const t = await running(id);
        for (const name of ["half \ud83c of an emoji", "\udfaf"]) {
          const refuses = refusesNaming(name, /surrogate/);
          await assert.rejects(storage.createStudy({ name, direction: "minimize" }), refuses);
          await assert.rejects(storage.setTrialParam(t.trialId, name, 0.5, FLOAT), refuses);
          await assert.rejects(storage.setTrialUserAttr(t.trialId, name, 1), refuses);
        }
        assert.deepEqual(
          (await storage.listStudies()).map((s) => s.name),
          ["study"],
        );
        assert.deepEqual((await storage.getTrial(t.trialId)).params, {});
      });

      test("steps are 32-bit integers: both bounds are kept, anything else is a ValueError at once", async () => {
        const id = await study();
        const t = await running(id);
        await storage.setTrialIntermediateValue(t.trialId, 2147483647, 1);
        await storage.setTrialIntermediateValue(t.trialId, -2147483648, 2);
        const made = await storage.createTrial(id, { intermediateValues: { 2147483647: 3 } });
        assert.deepEqual((await storage.getTrial(t.trialId)).intermediateValues, { 2147483647: 1, "-2147483648": 2 });
        assert.deepEqual((await storage.getTrial(made!.trialId)).intermediateValues, { 2147483647: 3 });
        const before = await storage.getAllTrials(id);
        for (const step of [2147483648, -2147483649, 2 ** 53, 1.5, NaN, Infinity]) {
          const refuses = refusesNaming(step, /-2147483648 to 2147483647/);
          await assert.rejects(storage.setTrialIntermediateValue(t.trialId, step, 0), refuses);
          await assert.rejects(storage.createTrial(id, { intermediateValues: { [step]: 0 } }), refuses);
        }
        assert.deepEqual(await storage.getAllTrials(id), before);
      });

      test("a template's datetimes are valid dates in the years 1 to 9999 (what Optuna reads back)", async () => {
        const id = await study();
        const first = new Date(2000, 0, 1);
        first.setFullYear(1);
        const last = new Date(9999, 11, 31, 23, 59, 59, 999);
        const made = await storage.createTrial(id, { state: "COMPLETE", value: 1, datetimeStart: first, datetimeComplete: last });
        const got = await storage.getTrial(made!.trialId);
        assert.deepEqual([got.datetimeStart, got.datetimeComplete], [first, last]);
        const before = await storage.getAllTrials(id);
        const beyond = new Date(2000, 0, 1);
        beyond.setFullYear(10000);
        for (const date of [new Date(Number.NaN), beyond]) {
          const refuses = (e: Error) => e instanceof ValueError && /datetimeStart/.test(e.message) && /years 1 to 9999/.test(e.message);
          await assert.rejects(storage.createTrial(id, { datetimeStart: date }), refuses);
        }
        await assert.rejects(storage.createTrial(id, { datetimeComplete: "2024-01-01" as unknown as Date }), /datetimeComplete/);
        assert.deepEqual(await storage.getAllTrials(id), before);
        assert.ok((await storage.listStudies()).length > 0, "the study stays readable");
      });

      test("other bad arguments are refused alike, before anything is written", async () => {
        const id = await study();
        const t = await running(id);
        const before = await storage.getAllTrials(id);
        await assert.rejects(
          storage.setTrialParam(t.trialId, "c", "sgd", CHOICES),
          (e: Error) => e instanceof ValueError && /"sgd"/.test(e.message),
        );
        await assert.rejects(storage.setTrialParam(t.trialId, "x", "0.5" as unknown as number, FLOAT), ValueError);
        await assert.rejects(storage.setTrialIntermediateValue(t.trialId, 0, "1" as unknown as number), ValueError);
        await assert.rejects(
          storage.finishTrial(t.trialId, "COMPLETE", [Number.NaN]),
          (e: Error) => e instanceof ValueError && /NaN/.test(e.message),
        );
        await assert.rejects(
          storage.finishTrial(t.trialId, "DONE" as "COMPLETE", [1]),
          (e: Error) => e instanceof ValueError && /"DONE"/.test(e.message),
        );
        await assert.rejects(storage.createTrial(id, { state: "DONE" as "COMPLETE" }), /"DONE"/);
        await assert.rejects(
          storage.createTrial(id, { params: { x: 0.5 } }),
          (e: Error) => e instanceof ValueError && /"x"/.test(e.message),
        );
        await assert.rejects(storage.createTrial(id, { value: Number.NaN }), ValueError);
        await assert.rejects(storage.createTrial(id, {}, { maxTrials: -1 }), ValueError);
        await assert.rejects(storage.createStudy({ name: "up", direction: "upward" as "minimize" }), /"upward"/);
        await assert.rejects(storage.failStaleTrials(id, -1), ValueError);
        assert.deepEqual(await storage.getAllTrials(id), before);
        assert.deepEqual(
          (await storage.listStudies()).map((s) => s.name),
          ["study"],
        );
      });
    });

    test("property: any trial template round-trips through the storage", async () => {
      const id = await study("property");
      await fc.assert(
        fc.asyncProperty(templateArbitrary(), async (template) => {
          const created = await storage.createTrial(id, template);
          assert.ok(created);
          const got = await storage.getTrial(created.trialId);
          assert.deepStrictEqual(got, created);
          assert.equal(got.state, template.state);
          assert.deepStrictEqual(got.params, template.params);
          assert.deepStrictEqual(got.distributions, template.distributions);
          assert.deepStrictEqual(got.intermediateValues, template.intermediateValues);
          assert.deepStrictEqual(got.userAttrs, template.userAttrs);
          assert.deepStrictEqual(got.value, template.value);
          assert.deepStrictEqual(got.datetimeStart, template.datetimeStart);
          assert.deepStrictEqual(got.datetimeComplete, template.datetimeComplete);
        }),
        { numRuns: propertyRuns },
      );
    });
  });
}

/* ---- generators for the property test ---- */

/** Names without NUL (no SQL text column takes it); any other Unicode. */
const nameArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).filter((s) => !s.includes("\u0000"));
/** Finite doubles without -0 (SQLite stores REAL -0.0 as 0). */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const choiceArb: fc.Arbitrary<string | number | boolean | null> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 8 }),
  finite,
  fc.boolean(),
  fc.constant(null),
);
const jsonArb: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    finite,
    fc.string({ unit: "binary", maxLength: 10 }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: "grapheme", maxLength: 6 }), tie("value"), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

function paramArb(): fc.Arbitrary<[ParamValue, DistributionJson]> {
  const float = fc
    .tuple(finite, finite, fc.double({ min: 0, max: 1, noNaN: true }))
    .filter(([a, b]) => a !== b && Number.isFinite(b - a))
    .map(([a, b, u]): [ParamValue, DistributionJson] => {
      const [low, high] = a < b ? [a, b] : [b, a];
      const value = Math.min(high, low + (high - low) * u);
      return [Object.is(value, -0) ? 0 : value, { name: "FloatDistribution", attributes: { low, high, log: false, step: null } }];
    });
  const logFloat = fc
    .tuple(
      fc.double({ min: 1e-10, max: 1e10, noNaN: true }),
      fc.double({ min: 1, max: 1e6, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([low, factor, u]): [ParamValue, DistributionJson] => [
      low * factor ** u,
      { name: "FloatDistribution", attributes: { low, high: low * factor, log: true, step: null } },
    ]);
  const int = fc
    .tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 7 }), fc.nat())
    .map(([low, n, step, k]): [ParamValue, DistributionJson] => [
      low + step * (k % (n + 1)),
      { name: "IntDistribution", attributes: { low, high: low + step * n, log: false, step } },
    ]);
  const categorical = fc
    .uniqueArray(choiceArb, { minLength: 1, maxLength: 6, comparator: (a, b) => Object.is(a, b) })
    .chain((choices) =>
      fc
        .nat({ max: choices.length - 1 })
        .map((i): [ParamValue, DistributionJson] => [choices[i], { name: "CategoricalDistribution", attributes: { choices } }]),
    );
  return fc.oneof(float, logFloat, int, categorical);
}

const dateArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));

function templateArbitrary(): fc.Arbitrary<Required<Omit<TrialTemplate, "error" | "values">>> {
  return fc
    .record({
      state: fc.constantFrom<TrialState>("RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"),
      params: fc.dictionary(nameArb, paramArb(), { maxKeys: 4, noNullPrototype: true }),
      value: fc.option(fc.oneof(finite, fc.constant(Infinity), fc.constant(-Infinity)), { nil: null }),
      intermediateValues: fc.dictionary(
        fc.integer({ min: 0, max: 1_000_000 }).map(String),
        fc.oneof(finite, fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity)),
        { maxKeys: 5, noNullPrototype: true },
      ),
      userAttrs: fc.dictionary(nameArb, jsonArb, { maxKeys: 3, noNullPrototype: true }),
      systemAttrs: fc.dictionary(
        nameArb.filter((k) => k !== SYSTEM_ATTR.failReason),
        jsonArb,
        { maxKeys: 2, noNullPrototype: true },
      ),
      datetimeStart: fc.option(dateArb, { nil: null }),
      datetimeComplete: fc.option(dateArb, { nil: null }),
    })
    .map(({ params, intermediateValues, ...rest }) => ({
      ...rest,
      params: Object.fromEntries(Object.entries(params).map(([k, [v]]) => [k, v])),
      distributions: Object.fromEntries(Object.entries(params).map(([k, [, d]]) => [k, d])),
      intermediateValues: Object.fromEntries(Object.entries(intermediateValues).map(([k, v]) => [Number(k), v])),
    }));
}
