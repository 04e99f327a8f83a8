import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DistributionJson } from "../../../core/records.js";
import { matchesTrialFilter, parseTrialFilter } from "../../../core/trial-filter/index.js";
import type { ApiError, TrialsResponse } from "../../../tracker/server/types.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { get, serve } from "./serve.js";

const X: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
const OPT: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["adam", "sgd"] } };

const storage = new InMemoryStorage();
let base: string;
let close: () => Promise<void>;
let studyId: number;

before(async () => {
  studyId = await storage.createStudy({ name: "s", direction: "minimize" });
  for (let i = 0; i < 30; i++) {
    await storage.createTrial(studyId, {
      state: i % 6 === 5 ? "FAIL" : "COMPLETE",
      params: { x: i / 30, opt: OPT.attributes.choices[i % 2] },
      distributions: { x: X, opt: OPT },
      value: i % 6 === 5 ? null : ((i * 7) % 30) / 30,
    });
  }
  ({ base, close } = await serve(storage));
});
after(() => close());

const where = (text: string) => encodeURIComponent(text);

describe("GET /api/studies/:id/trials?where=", () => {
  test("answers the filter with the other filters, sorted and paged", async () => {
    const filter = 'params.opt = "adam" or value < 0.2';
    const res = await get<TrialsResponse>(
      base,
      `/api/studies/${studyId}/trials?where=${where(filter)}&range=x:0.2:&sort=value&order=desc&limit=4&offset=1`,
    );
    assert.equal(res.status, 200, res.text);
    const parsed = parseTrialFilter(filter);
    const expected = (await storage.getAllTrials(studyId))
      .filter((t) => matchesTrialFilter(parsed, t) && (t.params.x as number) >= 0.2)
      .sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : b.value - a.value) || a.number - b.number);
    assert.equal(res.body.total, expected.length);
    assert.deepEqual(
      res.body.rows.map((r) => r.number),
      expected.slice(1, 5).map((t) => t.number),
    );
  });

  test("refuses a bad filter with its position", async () => {
    const res = await get<ApiError>(base, `/api/studies/${studyId}/trials?where=${where("params.x >> 1")}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.param, "where");
    assert.equal(res.body.error.position, 10);
    assert.equal(res.body.error.length, 1);
    assert.match(res.body.error.message, /^unexpected ">" at 11; expected a value/);
  });

  test("when nothing matches because the filter names an unknown parameter, a hint names the known ones", async () => {
    const typo = await get<TrialsResponse>(base, `/api/studies/${studyId}/trials?where=${where('params.op = "adam"')}`);
    assert.equal(typo.body.total, 0);
    assert.equal(
      typo.body.hint,
      'No trial has the parameter "op"; the study\'s parameters are opt, x. Did you mean params.opt for params.op?',
    );
    const none = await get<TrialsResponse>(base, `/api/studies/${studyId}/trials?where=${where("params.x > 2")}`);
    assert.equal(none.body.total, 0);
    assert.equal(none.body.hint, undefined, "no hint when the parameters exist");
  });

  test("an empty filter is no filter", async () => {
    const res = await get<TrialsResponse>(base, `/api/studies/${studyId}/trials?where=`);
    assert.equal(res.body.total, 30);
  });
});
