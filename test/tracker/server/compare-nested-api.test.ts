import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { compareNested } from "../../../select/compare-nested.js";
import type { ApiError, CompareResponse } from "../../../tracker/server/types.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { buildFixture, type Fixture } from "./fixture.js";
import { buildNestedFixture, NESTED_EXPERIMENT, type NestedFixture } from "./nested-fixture.js";
import { get, serve } from "./serve.js";

/**
 * GET /api/compare over studies that are inner studies of nested cross-validation runs:
 * the runs they belong to, whole, compared by their outer scores beside the usual
 * comparison by best trial.
 */

let storage: InMemoryStorage;
let fx: Fixture;
let nested: NestedFixture;
let base: string;
let close: () => Promise<void>;

before(async () => {
  storage = new InMemoryStorage();
  fx = await buildFixture(storage);
  nested = await buildNestedFixture(storage);
  ({ base, close } = await serve(storage));
});
after(() => close());

const idOf = async (name: string) => storage.getStudyIdByName(name);

describe("GET /api/compare with nested runs", () => {
  test("studies of no nested run: no nested comparison", async () => {
    const { status, body } = await get<CompareResponse>(base, `/api/compare?studies=${fx.main},${fx.twin}`);
    assert.equal(status, 200);
    assert.equal(body.nested, null);
    assert.ok(body.test);
  });

  test("one inner study of each of two runs brings both runs, whole, ranked and tested as compareNested does", async () => {
    const ids = [await idOf("nb/outer-2"), await idOf("knn/outer-1")];
    const { status, body } = await get<CompareResponse>(base, `/api/compare?studies=${ids.join(",")}`);
    assert.equal(status, 200);
    assert.deepEqual(
      body.rows.map((r) => r.study.name),
      ["nb/outer-2", "knn/outer-1"],
      "the comparison by best trial stays as asked",
    );
    const n = body.nested!;
    assert.ok(n);
    const [best, other] = [nested.knn, nested.nb].sort((a, b) => b.mean - a.mean);
    assert.deepEqual(
      n.rows.map((r) => [r.name, r.mean, r.std, r.outerScores, r.excluded]),
      [best, other].map((r) => [r.name, r.mean, r.std, r.outerScores, undefined]),
    );
    for (const result of [best, other]) {
      const row = n.rows.find((r) => r.name === result.name)!;
      assert.deepEqual(row.stability, result.stability, "the chosen trials' distributions were read: floats on a log scale are floats");
      const studyIds = await Promise.all(result.chosen.map((c) => idOf(c.study)));
      assert.deepEqual(
        row.folds.map((f) => [f.study, f.studyId, f.params]),
        result.chosen.map((c, i) => [c.study, studyIds[i], c.params]),
      );
    }
    const expected = compareNested(best, other);
    assert.equal(n.tests.length, 1);
    assert.deepEqual(n.tests[0].tTest, expected.tTest);
    assert.deepEqual(n.tests[0].wilcoxon, expected.wilcoxon);
    assert.equal(n.tests[0].a.name, best.name);
    const chart = n.chart as {
      data: { values: { run: string; score: number }[] };
      layer: { encoding: { color: { scale: { domain: string[] } } } }[];
    };
    assert.deepEqual(
      chart.data.values.map((p) => [p.run, p.score]),
      [best, other].flatMap((r) => r.outerScores.map((s) => [r.name, s])),
    );
    assert.deepEqual(
      chart.layer[0].encoding.color.scale.domain,
      ["knn", "nb"],
      "a run keeps its colour: runs in the order they were logged",
    );
  });

  test("?experiment= takes every study of the experiment: all its runs, those on other folds set apart", async () => {
    const { status, body } = await get<CompareResponse>(base, `/api/compare?experiment=${NESTED_EXPERIMENT}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.rows, [], "20 studies are more than a comparison by best trial takes");
    assert.match(body.note!, /20 studies; tick at most 12/);
    const n = body.nested!;
    const ranked = [nested.knn, nested.tree, nested.nb].sort((a, b) => b.mean - a.mean).map((r) => r.name);
    assert.deepEqual(
      n.rows.map((r) => r.name),
      [...ranked, "nb-kfold"],
    );
    assert.match(n.rows[3].excluded!, /other outer folds/);
    assert.deepEqual(
      n.tests.map((t) => [t.a.name, t.b.name]),
      ranked.slice(1).map((name) => [ranked[0], name]),
    );
    assert.equal(n.nTest, 30);
    assert.equal(n.nTrain, 120);
    const drawn = (n.chart as { data: { values: { run: string }[] } }).data.values.map((p) => p.run);
    assert.deepEqual([...new Set(drawn)].sort(), [...ranked].sort(), "a run on other folds is not drawn on the same fold axis");
  });

  test("?experiment= of an experiment without nested runs compares its studies by best trial", async () => {
    const { body } = await get<CompareResponse>(base, "/api/compare?experiment=iris");
    assert.deepEqual(body.rows.map((r) => r.study.id).sort(), [fx.main, fx.twin].sort());
    assert.equal(body.nested, null);
    assert.ok(body.test);
  });

  test("bad experiment queries", async () => {
    const unknown = await get<ApiError>(base, "/api/compare?experiment=nowhere");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /No experiment named "nowhere"/);
    const both = await get<ApiError>(base, `/api/compare?experiment=iris&studies=${fx.main}`);
    assert.equal(both.status, 400);
    assert.equal(both.body.error.param, "experiment");
    const twice = await get<ApiError>(base, "/api/compare?experiment=iris&experiment=iris");
    assert.equal(twice.status, 400);
    assert.equal(twice.body.error.param, "experiment");
    const typo = await get<ApiError>(base, "/api/compare?experimnt=iris");
    assert.equal(typo.status, 400);
    assert.match(typo.body.error.message, /Did you mean "experiment"/);
  });
});
