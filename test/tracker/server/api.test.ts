import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { isBetter, type TrialRecord } from "../../../core/records.js";
import { bundlesFor } from "../../../kernel/display/show.js";
import { VEGA_LITE_MIME } from "../../../kernel/display/vega.js";
import { type StudyChartKind, studyChart } from "../../../tracker/charts/study-charts.js";
import { IMPORTANCE_MAX_TRIALS } from "../../../tracker/charts/study-importance.js";
import { PAGE_SCRIPTS } from "../../../tracker/server/assets.js";
import { PAGE_MAX_POINTS, STUDY_CHART_KINDS } from "../../../tracker/server/chart-specs.js";
import type {
  ApiError,
  ChartResponse,
  CompareResponse,
  RefineResponse,
  StudiesResponse,
  StudyResponse,
  TrialResponse,
  TrialsResponse,
} from "../../../tracker/server/types.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy, loadStudy } from "../../../tune/create-study.js";
import type { Trial } from "../../../tune/trial.js";
import { buildFixture, type Fixture, XSS } from "./fixture.js";
import { get, serve } from "./serve.js";

let storage: InMemoryStorage;
let fx: Fixture;
let base: string;
let close: () => Promise<void>;

before(async () => {
  storage = new InMemoryStorage();
  fx = await buildFixture(storage);
  ({ base, close } = await serve(storage));
});
after(() => close());

function expectBadParam(answer: { status: number; body: unknown; text: string }, param: string): void {
  assert.equal(answer.status, 400, answer.text);
  const { error } = answer.body as ApiError;
  assert.equal(error.status, 400);
  assert.equal(error.param, param, error.message);
  assert.ok(error.message.length > 10);
}

/** Rows of inline data anywhere in a spec (layers, concatenations, datasets). */
function countDataPoints(spec: unknown): number {
  if (Array.isArray(spec)) return spec.reduce((n: number, item) => n + countDataPoints(item), 0);
  if (spec === null || typeof spec !== "object") return 0;
  let n = 0;
  for (const [key, value] of Object.entries(spec)) {
    if (key === "values" && Array.isArray(value)) n += value.length;
    else if (key === "datasets" && value && typeof value === "object")
      n += Object.values(value).reduce((m: number, rows) => m + (Array.isArray(rows) ? rows.length : 0), 0);
    else n += countDataPoints(value);
  }
  return n;
}

function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /\n\s+at |node_modules|\.ts:\d+/);
}

describe("GET /api/studies", () => {
  test("groups studies by experiment with sampler, counts and best value", async () => {
    const { status, body, headers } = await get<StudiesResponse>(base, "/api/studies");
    assert.equal(status, 200);
    assert.match(headers.get("content-type")!, /application\/json/);
    const iris = body.experiments.find((g) => g.experiment === "iris")!;
    assert.deepEqual(
      iris.studies.map((s) => s.name),
      ["knn-quadratic", "svm-quadratic"],
    );
    assert.equal(body.experiments.at(-1)!.experiment, null, "studies without an experiment come last");
    const main = iris.studies.find((s) => s.id === fx.main)!;
    assert.equal(main.sampler, "TPESampler");
    assert.equal(main.direction, "minimize");
    const trials = await storage.getAllTrials(fx.main);
    for (const state of ["COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"] as const) {
      assert.equal(main.counts[state], trials.filter((t) => t.state === state).length, state);
    }
    assert.equal(main.total, trials.length);
    const complete = trials.filter((t) => t.state === "COMPLETE");
    const best = complete.reduce((a, b) => (isBetter("minimize", b.value!, a.value!) ? b : a));
    assert.equal(main.bestValue, best.value);
    assert.equal(main.bestTrialNumber, best.number);
  });

  test("sends user strings as JSON data, never as HTML", async () => {
    const { body, headers } = await get<StudiesResponse>(base, "/api/studies");
    assert.equal(headers.get("x-content-type-options"), "nosniff");
    const group = body.experiments.find((g) => g.experiment === XSS.experiment)!;
    assert.equal(group.studies[0].name, XSS.flagName);
    assert.equal(group.studies[0].sampler, XSS.attr);
  });

  test("rejects unknown query parameters by name", async () => {
    expectBadParam(await get(base, "/api/studies?limit=3"), "limit");
  });
});

describe("GET /api/studies/:id", () => {
  test("describes the study and its parameters", async () => {
    const { status, body } = await get<StudyResponse>(base, `/api/studies/${fx.main}`);
    assert.equal(status, 200);
    assert.equal(body.study.name, "svm-quadratic");
    assert.equal(body.running, true);
    assert.deepEqual(
      body.params.map((p) => [p.name, p.kind, p.log]),
      [
        ["depth", "int", false],
        ["kind", "categorical", false],
        ["lr", "float", true],
        ["x", "float", false],
      ],
    );
    const withParams = (await storage.getAllTrials(fx.main)).filter((t) => "x" in t.params).length;
    assert.equal(body.params.find((p) => p.name === "x")!.count, withParams);
  });

  test("its version changes when a trial is added or reports, and only then", async () => {
    const storage2 = new InMemoryStorage();
    const f = await buildFixture(storage2, 10);
    const s = await serve(storage2);
    try {
      const v1 = (await get<StudyResponse>(s.base, `/api/studies/${f.main}`)).body.version;
      assert.equal((await get<StudyResponse>(s.base, `/api/studies/${f.main}`)).body.version, v1);
      const running = (await storage2.getAllTrials(f.main)).find((t) => t.state === "RUNNING")!;
      await storage2.setTrialIntermediateValue(running.trialId, 7, 1.5);
      const v2 = (await get<StudyResponse>(s.base, `/api/studies/${f.main}`)).body.version;
      assert.notEqual(v2, v1);
      await storage2.finishTrial(running.trialId, "COMPLETE", [0.25]);
      const after = await get<StudyResponse>(s.base, `/api/studies/${f.main}`);
      assert.notEqual(after.body.version, v2);
      assert.equal(after.body.study.counts.COMPLETE, (await storage2.getAllTrials(f.main, { states: ["COMPLETE"] })).length);
    } finally {
      await s.close();
    }
  });

  for (const [id, why] of [
    ["abc", "text"],
    ["1.5", "fraction"],
    ["-1", "negative"],
    ["99999999999999999999", "too large"],
    ["0x10", "hex"],
  ]) {
    test(`a malformed id (${why}) is 400 naming "id"`, async () => {
      expectBadParam(await get(base, `/api/studies/${id}`), "id");
    });
  }

  test("an unknown study is 404 JSON without a stack trace", async () => {
    const answer = await get<ApiError>(base, "/api/studies/4242");
    assert.equal(answer.status, 404);
    assert.match(answer.headers.get("content-type")!, /application\/json/);
    assert.match(answer.body.error.message, /4242/);
    assertNoStack(answer.text);
    for (const path of ["/trials", "/trials/0", "/charts/history", "/export", "/refine"]) {
      const sub = await get<ApiError>(base, `/api/studies/4242${path}`);
      assert.equal(sub.status, 404, path);
      assertNoStack(sub.text);
    }
  });
});

describe("GET /api/studies/:id/trials", () => {
  let all: TrialRecord[];
  before(async () => {
    all = await storage.getAllTrials(fx.main);
  });

  test("pages through trials in number order by default", async () => {
    const first = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?limit=15`);
    assert.equal(first.status, 200);
    assert.equal(first.body.total, all.length);
    assert.deepEqual(
      first.body.rows.map((r) => r.number),
      all.slice(0, 15).map((t) => t.number),
    );
    const second = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?limit=15&offset=15`);
    assert.deepEqual(
      second.body.rows.map((r) => r.number),
      all.slice(15, 30).map((t) => t.number),
    );
    const beyond = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?offset=1000`);
    assert.deepEqual(beyond.body.rows, []);
    assert.deepEqual(first.body.params, ["depth", "kind", "lr", "x"]);
  });

  test("sorts by value either way, trials without a value last", async () => {
    for (const order of ["asc", "desc"] as const) {
      const { body } = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?sort=value&order=${order}&limit=1000`);
      const values = body.rows.map((r) => r.value);
      const firstNull = values.indexOf(null);
      assert.ok(firstNull > 0);
      assert.ok(
        values.slice(firstNull).every((v) => v === null),
        "nulls last",
      );
      const numbers = values.slice(0, firstNull) as number[];
      const expected = all
        .filter((t) => t.value !== null)
        .map((t) => t.value!)
        .sort((a, b) => (order === "asc" ? a - b : b - a));
      assert.deepEqual(numbers, expected);
    }
  });

  test("sorts by a parameter", async () => {
    const { body } = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?sort=param:lr&order=desc&limit=1000`);
    const lrs = body.rows.filter((r) => "lr" in r.params).map((r) => r.params.lr as number);
    assert.deepEqual(
      lrs,
      [...lrs].sort((a, b) => b - a),
    );
  });

  test("filters by state and by parameter ranges", async () => {
    const { body } = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?state=PRUNED,FAIL&limit=1000`);
    assert.equal(body.total, all.filter((t) => t.state === "PRUNED" || t.state === "FAIL").length);
    assert.ok(body.rows.every((r) => r.state === "PRUNED" || r.state === "FAIL"));
    const ranged = await get<TrialsResponse>(base, `/api/studies/${fx.main}/trials?state=COMPLETE&range=x:0:2.5&range=lr::0.01&limit=1000`);
    const expected = all.filter(
      (t) => t.state === "COMPLETE" && (t.params.x as number) >= 0 && (t.params.x as number) <= 2.5 && (t.params.lr as number) <= 0.01,
    );
    assert.deepEqual(
      ranged.body.rows.map((r) => r.number),
      expected.map((t) => t.number),
    );
  });

  const bad: [string, string][] = [
    ["state=DONE", "state"],
    ["range=x", "range"],
    ["range=x:a:1", "range"],
    ["range=x:3:1", "range"],
    ["range=nope:0:1", "range"],
    ["range=kind:0:1", "range"],
    ["sort=bogus", "sort"],
    ["sort=param:nope", "sort"],
    ["order=up", "order"],
    ["limit=0", "limit"],
    ["limit=5000", "limit"],
    ["limit=2.5", "limit"],
    ["limit=", "limit"],
    ["offset=-1", "offset"],
    ["limit=10&limit=20", "limit"],
    ["pge=2", "pge"],
  ];
  for (const [query, param] of bad) {
    test(`?${query} is 400 naming "${param}"`, async () => {
      expectBadParam(await get(base, `/api/studies/${fx.main}/trials?${query}`), param);
    });
  }
});

describe("GET /api/studies/:id/trials/:number", () => {
  test("gives params, intermediate values in step order and fold scores", async () => {
    const stored = (await storage.getAllTrials(fx.main)).find((t) => t.state === "COMPLETE")!;
    const { status, body } = await get<TrialResponse>(base, `/api/studies/${fx.main}/trials/${stored.number}`);
    assert.equal(status, 200);
    assert.equal(body.trial.number, stored.number);
    assert.deepEqual(body.trial.params, stored.params);
    assert.equal(body.trial.value, stored.value);
    assert.deepEqual(
      body.trial.intermediateValues.map((p) => p.step),
      Object.keys(stored.intermediateValues)
        .map(Number)
        .sort((a, b) => a - b),
    );
    assert.deepEqual(body.trial.foldScores, stored.userAttrs.fold_scores);
    assert.equal(body.trial.error, null);
    assert.equal(body.trialCount, (await storage.getAllTrials(fx.main)).length);
  });

  test("gives the error of a failed trial", async () => {
    const failed = (await storage.getAllTrials(fx.main)).find((t) => t.state === "FAIL")!;
    const { body } = await get<TrialResponse>(base, `/api/studies/${fx.main}/trials/${failed.number}`);
    assert.equal(body.trial.error, "ValueError: the model did not converge");
  });

  test("a malformed number is 400, an unknown one 404", async () => {
    expectBadParam(await get(base, `/api/studies/${fx.main}/trials/x1`), "number");
    const missing = await get<ApiError>(base, `/api/studies/${fx.main}/trials/100000`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /100000/);
    expectBadParam(await get(base, `/api/studies/${fx.main}/trials/0?x=1`), "x");
  });
});

describe("GET /api/studies/:id/charts/:kind", () => {
  for (const kind of STUDY_CHART_KINDS) {
    test(`${kind}: a Vega-Lite spec of the study's data`, async () => {
      const { status, body } = await get<ChartResponse>(base, `/api/studies/${fx.main}/charts/${kind}`);
      assert.equal(status, 200);
      assert.equal(body.kind, kind);
      assert.ok(body.spec, body.note);
      assert.match(String(body.spec.$schema), /vega-lite/);
      assert.ok(JSON.stringify(body.spec).length > 200);
    });
  }

  test("the importance chart ranks the parameter the objective depends on most first", async () => {
    const { body } = await get<ChartResponse>(base, `/api/studies/${fx.main}/charts/importance`);
    const rows = (body.spec as unknown as { data: { values: { param: string }[] } }).data.values;
    assert.equal(rows[0].param, "x");
  });

  test("no chart ships more than a few thousand points, however large the study", async () => {
    const big = new InMemoryStorage();
    const f = await buildFixture(big, 6000);
    const s = await serve(big);
    try {
      for (const kind of STUDY_CHART_KINDS) {
        const { body } = await get<ChartResponse>(s.base, `/api/studies/${f.main}/charts/${kind}`);
        const points = countDataPoints(body.spec);
        assert.ok(points > 0 && points <= PAGE_MAX_POINTS, `${kind}: ${points} points`);
      }
    } finally {
      await s.close();
    }
  });

  test("an empty study gets charts that say there is nothing yet, not errors", async () => {
    for (const kind of STUDY_CHART_KINDS) {
      const { status, body } = await get<ChartResponse>(base, `/api/studies/${fx.empty}/charts/${kind}`);
      assert.equal(status, 200, kind);
      assert.ok(body.spec, kind);
    }
  });

  test("an unknown chart is 400 naming it", async () => {
    expectBadParam(await get(base, `/api/studies/${fx.main}/charts/pie`), "kind");
  });
});

describe("the Vega-Lite version of what the pages draw", () => {
  /** The page's vega-lite is version 6 (node_modules): a spec declaring v5 makes vega-embed log a warning. */
  const V6 = "https://vega.github.io/schema/vega-lite/v6.json";

  test("every spec the API sends declares Vega-Lite v6", async () => {
    const specs: [string, unknown][] = [];
    for (const id of [fx.main, fx.empty]) {
      for (const kind of STUDY_CHART_KINDS) {
        specs.push([`${kind} of ${id}`, (await get<ChartResponse>(base, `/api/studies/${id}/charts/${kind}`)).body.spec]);
      }
    }
    const compared = (await get<CompareResponse>(base, `/api/compare?studies=${fx.main},${fx.twin}`)).body;
    specs.push(["best so far", compared.bestSoFarChart], ["fold scores", compared.foldChart]);
    const complete = (await storage.getAllTrials(fx.main)).find((t) => t.state === "COMPLETE")!;
    specs.push(["trial", (await get<TrialResponse>(base, `/api/studies/${fx.main}/trials/${complete.number}`)).body.intermediateChart]);
    for (const [name, spec] of specs) assert.equal((spec as { $schema?: string }).$schema, V6, name);
  });
});

describe("the chart endpoint and the notebook's show() draw the same charts", () => {
  /**
   * A spec as it leaves either side: JSON, without keys set to undefined or the ids Vega
   * tags rendered rows with, and without its `$schema` (the notebook labels its charts
   * with the v5 JupyterLab draws them with; test/kernel/display.test.ts checks both).
   */
  const asJson = (spec: unknown): unknown => {
    const { $schema: _schema, ...rest } = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
    return rest;
  };
  /** The charts `show(study)` draws, after the study's table. */
  const SHOWN: readonly StudyChartKind[] = ["history", "importance"];

  test("the same spec and note for the same study and chart, below the page's point cap", async () => {
    const shared = new InMemoryStorage();
    const study = await createStudy({ name: "agreed <b>", storage: shared, direction: "minimize", seed: 3 });
    const objective = (t: Trial) => (t.suggestFloat("x", -2, 2) - 1) ** 2 + 0.1 * t.suggestFloat("lr", 1e-4, 1, { log: true });
    await study.optimize(objective, { nTrials: 30 });
    const s = await serve(shared);
    try {
      const [, ...charts] = await bundlesFor(study);
      assert.equal(charts.length, SHOWN.length);
      for (const [i, kind] of SHOWN.entries()) {
        const { body } = await get<ChartResponse>(s.base, `/api/studies/${study.studyId}/charts/${kind}`);
        assert.deepEqual(asJson(body.spec), asJson(charts[i][VEGA_LITE_MIME]), kind);
        assert.equal(body.note, undefined, `${kind}: nothing to note on the page`);
        assert.doesNotMatch(charts[i]["text/plain"], /\n/, `${kind}: nothing to note in the notebook`);
      }
    } finally {
      await s.close();
    }
  });

  test("beyond the cap, both are the composer's chart: the server's with its point cap, the notebook's without", async () => {
    const big = new InMemoryStorage();
    const f = await buildFixture(big, 2500);
    const s = await serve(big);
    try {
      const [summary, trials] = await Promise.all([big.getStudy(f.main), big.getAllTrials(f.main)]);
      const [, history, importance] = await bundlesFor(await loadStudy({ name: summary.name, storage: big }));
      const server = async (kind: StudyChartKind) => (await get<ChartResponse>(s.base, `/api/studies/${f.main}/charts/${kind}`)).body;

      const capped = studyChart("history", summary, trials, { maxPoints: PAGE_MAX_POINTS }).spec;
      assert.deepEqual(asJson((await server("history")).spec), asJson(capped));
      assert.deepEqual(asJson(history[VEGA_LITE_MIME]), asJson(studyChart("history", summary, trials).spec));
      assert.notDeepEqual(asJson(capped), asJson(history[VEGA_LITE_MIME]), "the page's cap bites on this study");

      // Importance is not point-capped: one spec, one note (what it was fitted on), on both sides.
      const served = await server("importance");
      assert.deepEqual(asJson(served.spec), asJson(importance[VEGA_LITE_MIME]));
      assert.match(served.note ?? "", new RegExp(`^Fitted on ${IMPORTANCE_MAX_TRIALS} of the \\d+ completed trials, evenly spread\\.`));
      assert.ok(importance["text/plain"].endsWith(`\n${served.note}`), importance["text/plain"]);
    } finally {
      await s.close();
    }
  });

  test("a study too young for importance: the same reason on both sides", async () => {
    const shared = new InMemoryStorage();
    const study = await createStudy({ name: "young", storage: shared, seed: 1 });
    await study.optimize((t: Trial) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
    const s = await serve(shared);
    try {
      const { body } = await get<ChartResponse>(s.base, `/api/studies/${study.studyId}/charts/importance`);
      assert.match(body.note ?? "", /at least 2 COMPLETE trials with a finite value, got 1/);
      const [, , importance] = await bundlesFor(study);
      assert.equal(importance["text/plain"], `No importance chart for young: ${body.note}`);
    } finally {
      await s.close();
    }
  });
});

describe("GET /api/studies/:id/export", () => {
  test("CSV with one row per trial, as an attachment", async () => {
    const answer = await get(base, `/api/studies/${fx.main}/export?format=csv`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get("content-type")!, /text\/csv/);
    assert.match(answer.headers.get("content-disposition")!, /^attachment; filename="?svm-quadratic\.csv"?$/);
    const lines = answer.text.trimEnd().split("\n");
    assert.equal(lines.length, (await storage.getAllTrials(fx.main)).length + 1);
    assert.match(lines[0], /^number,state,value/);
  });

  test("JSON with the full records", async () => {
    const answer = await get<TrialRecord[]>(base, `/api/studies/${fx.main}/export?format=json`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.length, (await storage.getAllTrials(fx.main)).length);
    assert.deepEqual(answer.body[0].params, (await storage.getAllTrials(fx.main))[0].params);
  });

  test("the file name of a hostile study name is made safe", async () => {
    const answer = await get(base, `/api/studies/${fx.xss}/export`);
    const disposition = answer.headers.get("content-disposition")!;
    assert.match(disposition, /^attachment; filename="?[A-Za-z0-9._-]+\.csv"?$/);
    assert.ok(answer.text.includes(XSS.attr), "the data itself is exported unchanged");
  });

  test("an unknown format is 400 naming it", async () => {
    expectBadParam(await get(base, `/api/studies/${fx.main}/export?format=xml`), "format");
  });
});

describe("GET /api/compare", () => {
  test("rows in the order asked, fold-score summaries, and the paired tests between the best two", async () => {
    const { status, body } = await get<CompareResponse>(base, `/api/compare?studies=${fx.twin},${fx.main}`);
    assert.equal(status, 200);
    assert.equal(body.direction, "minimize");
    assert.deepEqual(
      body.rows.map((r) => r.study.id),
      [fx.twin, fx.main],
    );
    for (const row of body.rows) {
      const trials = await storage.getAllTrials(row.study.id);
      const best = trials.find((t) => t.number === row.study.bestTrialNumber)!;
      const scores = best.userAttrs.fold_scores as number[];
      assert.deepEqual(row.foldScores, scores);
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (scores.length - 1));
      assert.ok(Math.abs(row.mean! - mean) < 1e-12 && Math.abs(row.std! - std) < 1e-12);
    }
    const [first, second] = [...body.rows].sort((a, b) => a.study.bestValue! - b.study.bestValue!);
    assert.ok(body.test, body.note);
    assert.equal(body.test.a.name, first.study.name);
    assert.equal(body.test.b.name, second.study.name);
    assert.equal(body.test.a.n, 5);
    assert.ok(body.test.tTest.pValue >= 0 && body.test.tTest.pValue <= 1);
    assert.ok(body.test.wilcoxon.pValue >= 0 && body.test.wilcoxon.pValue <= 1);
  });

  test("studies of opposite directions are shown but not ranked", async () => {
    const { body } = await get<CompareResponse>(base, `/api/compare?studies=${fx.main},${fx.xss}`);
    assert.equal(body.direction, "mixed");
    assert.equal(body.test, null);
    assert.match(body.note!, /direction/);
  });

  test("no test when a best trial has no fold scores, saying which", async () => {
    const { body } = await get<CompareResponse>(base, `/api/compare?studies=${fx.main},${fx.alert}`);
    assert.equal(body.test, null);
    assert.match(body.note!, /fold scores/);
    assert.deepEqual(body.rows[1].foldScores, []);
    assert.equal(body.rows[1].mean, null);
  });

  test("bad and unknown ids", async () => {
    expectBadParam(await get(base, "/api/compare"), "studies");
    expectBadParam(await get(base, "/api/compare?studies=1,x"), "studies");
    expectBadParam(await get(base, `/api/compare?studies=${Array.from({ length: 13 }, (_, i) => i + 1).join(",")}`), "studies");
    expectBadParam(await get(base, `/api/compare?studies=${fx.main}&study=2`), "study");
    const missing = await get<ApiError>(base, `/api/compare?studies=${fx.main},4242`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /4242/);
  });
});

describe("GET /api/studies/:id/refine", () => {
  test("a narrowed space with code for every parameter", async () => {
    const { status, body } = await get<RefineResponse>(base, `/api/studies/${fx.main}/refine?quantile=0.3`);
    assert.equal(status, 200);
    assert.ok(body.refined);
    assert.deepEqual(body.refined.params.map((p) => p.name).sort(), ["depth", "kind", "lr", "x"]);
    const complete = (await storage.getAllTrials(fx.main)).filter((t) => t.state === "COMPLETE");
    assert.equal(body.refined.nComplete, complete.length);
    assert.equal(body.refined.nTop, Math.ceil(0.3 * complete.length));
    assert.match(body.refined.code, /trial\.suggestFloat\("lr", [^)]*log: true/);
    const x = body.refined.params.find((p) => p.name === "x")!.refined;
    assert.ok(x.name === "FloatDistribution" && x.attributes.low >= -5 && x.attributes.high <= 5);
  });

  test("an empty study has nothing to refine, and says so", async () => {
    const { status, body } = await get<RefineResponse>(base, `/api/studies/${fx.empty}/refine`);
    assert.equal(status, 200);
    assert.equal(body.refined, null);
    assert.match(body.note!, /COMPLETE/);
  });

  for (const [query, param] of [
    ["quantile=0", "quantile"],
    ["quantile=abc", "quantile"],
    ["margin=-1", "margin"],
    ["minTrials=0", "minTrials"],
    ["top=0.1", "top"],
  ]) {
    test(`?${query} is 400 naming "${param}"`, async () => {
      expectBadParam(await get(base, `/api/studies/${fx.main}/refine?${query}`), param);
    });
  }
});

describe("pages and static files", () => {
  const pages = () => [
    "/",
    `/studies/${fx.main}`,
    `/studies/${fx.main}/trials`,
    `/studies/${fx.main}/trials/3`,
    `/studies/${fx.main}/refine`,
    `/compare?studies=${fx.main},${fx.twin}`,
  ];

  test("every page is a data-free HTML shell with its script", async () => {
    for (const path of pages()) {
      const answer = await get(base, path);
      assert.equal(answer.status, 200, path);
      assert.match(answer.headers.get("content-type")!, /text\/html/);
      assert.match(answer.text, /<script type="module" src="\/static\/[a-z]+\.js"><\/script>/);
      assert.doesNotMatch(answer.text, /<script>|svm-quadratic/);
    }
    const xssPage = await get(base, `/studies/${fx.xss}`);
    assert.ok(!xssPage.text.includes("onerror"), "no user string reaches the HTML");
  });

  test("a page with a malformed id is 400", async () => {
    expectBadParam(await get(base, "/studies/abc"), "id");
    expectBadParam(await get(base, `/studies/${fx.main}/trials/abc`), "number");
  });

  test("every page script is served as JavaScript; nothing else is", async () => {
    for (const name of PAGE_SCRIPTS) {
      const answer = await get(base, `/static/${name}.js`);
      assert.equal(answer.status, 200, name);
      assert.match(answer.headers.get("content-type")!, /javascript/);
      assert.doesNotMatch(answer.text, /\binterface\s+\w+\s*\{|: HTMLElement\b/, "type annotations are stripped");
    }
    assert.match((await get(base, "/static/style.css")).headers.get("content-type")!, /text\/css/);
    for (const path of [
      "/static/app.js",
      "/static/..%2Fapp.ts",
      "/static/common.ts",
      "/vendor/vega-nope.js",
      "/vendor/..%2F..%2Fpackage.json",
      "/nowhere",
    ]) {
      const answer = await get<ApiError>(base, path);
      assert.equal(answer.status, 404, path);
      assertNoStack(answer.text);
    }
  });

  test("vega, vega-lite and vega-embed come from node_modules", async () => {
    for (const name of ["vega", "vega-lite", "vega-embed"]) {
      const answer = await get(base, `/vendor/${name}.js`);
      assert.equal(answer.status, 200, name);
      assert.match(answer.headers.get("content-type")!, /javascript/);
      const { version } = JSON.parse(readFileSync(new URL(`../../../node_modules/${name}/package.json`, import.meta.url), "utf8"));
      assert.equal(answer.headers.get("x-package-version"), version);
      assert.ok(answer.text.length > 50_000, `${name} is the full bundle`);
    }
  });
});

describe("safety", () => {
  test("every response carries the Content-Security-Policy and no-sniff headers", async () => {
    for (const path of ["/", "/api/studies", "/api/studies/4242", "/static/common.js"]) {
      const { headers } = await get(base, path);
      const csp = headers.get("content-security-policy")!;
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/, path);
      assert.equal(headers.get("x-content-type-options"), "nosniff");
      assert.equal(headers.get("x-powered-by"), null);
    }
  });

  test("read-only: every method but GET and HEAD is 405, and nothing changes", async () => {
    const before = JSON.stringify(await storage.listStudies());
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const path of ["/api/studies", `/api/studies/${fx.main}`, `/api/studies/${fx.main}/trials`, "/"]) {
        const answer = await get<ApiError>(base, path, {
          method,
          body: method === "OPTIONS" ? undefined : "{}",
          headers: { "content-type": "application/json" },
        });
        assert.equal(answer.status, 405, `${method} ${path}`);
        assert.equal(answer.headers.get("allow"), "GET, HEAD");
        assert.equal(answer.body.error.status, 405);
      }
    }
    const head = await fetch(`${base}/api/studies`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(JSON.stringify(await storage.listStudies()), before);
  });

  test("an internal failure is a 500 that tells nothing of the internals", async () => {
    const broken = new InMemoryStorage();
    broken.listStudies = async () => {
      throw new Error("secret detail /home/someone/db");
    };
    const s = await serve(broken);
    const originalError = console.error;
    console.error = () => {};
    try {
      const answer = await get<ApiError>(s.base, "/api/studies");
      assert.equal(answer.status, 500);
      assert.doesNotMatch(answer.text, /secret|home/);
      assertNoStack(answer.text);
    } finally {
      console.error = originalError;
      await s.close();
    }
  });

  test("with allowedHosts, other Host headers are refused (DNS rebinding)", async () => {
    const s = await serve(storage, { allowedHosts: ["127.0.0.1:1"] });
    try {
      const port = new URL(s.base).port;
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path: "/api/studies", headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          });
          req.on("error", reject);
          req.end();
        });
      assert.equal(await status("evil.example:80"), 421);
      assert.equal(await status("127.0.0.1:1"), 200);
    } finally {
      await s.close();
    }
  });
});
