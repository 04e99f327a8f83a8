/** The API on studies with several objectives and constraints, written through the engine into an SQLite file. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { TrialRecord } from "../../../core/records.js";
import { correctedTTest } from "../../../tracker/analysis/compare.js";
import { paretoSummary } from "../../../tracker/analysis/pareto-front.js";
import { kindsFor } from "../../../tracker/charts/study-charts.js";
import type {
  ApiError,
  ChartResponse,
  CompareResponse,
  StudiesResponse,
  StudyJson,
  StudyResponse,
  TrialResponse,
  TrialsResponse,
} from "../../../tracker/server/types.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import { paretoOptimalTrials } from "../../../tune/best-trials.js";
import { buildMultiObjectiveFixture, type MultiObjectiveFixture } from "./multi-objective-fixture.js";
import { get, serve } from "./serve.js";

let dir: string;
let storage: SqliteStorage;
let fx: MultiObjectiveFixture;
let base: string;
let close: () => Promise<void>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tunebook-mo-api-"));
  storage = new SqliteStorage(join(dir, "mo.db"));
  fx = await buildMultiObjectiveFixture(storage);
  ({ base, close } = await serve(storage));
});
after(async () => {
  await close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const trialsOf = (id: number): Promise<TrialRecord[]> => storage.getAllTrials(id);

function expectBadParam(answer: { status: number; body: unknown; text: string }, param: string, message: RegExp): void {
  assert.equal(answer.status, 400, answer.text);
  const { error } = answer.body as ApiError;
  assert.equal(error.param, param);
  assert.match(error.message, message);
}

describe("studies with several objectives: list and facts", () => {
  test("the list shows directions, objectives, the front's size and hypervolume instead of a best value", async () => {
    const { body } = await get<StudiesResponse>(base, "/api/studies");
    const all = body.experiments.flatMap((g) => g.studies);
    const zdt = all.find((s) => s.id === fx.zdt)!;
    assert.deepEqual(zdt.directions, ["maximize", "minimize"]);
    assert.deepEqual(zdt.objectives, ["accuracy (maximize)", "size (minimize)"]);
    assert.equal(zdt.bestValue, null);
    const expected = paretoSummary(await trialsOf(fx.zdt), ["maximize", "minimize"]);
    assert.deepEqual(zdt.pareto, expected);
    assert.deepEqual(
      zdt.pareto!.frontTrialNumbers,
      paretoOptimalTrials(await trialsOf(fx.zdt), ["maximize", "minimize"]).map((t) => t.number),
    );
    assert.ok(zdt.pareto!.hypervolume! > 0 && zdt.pareto!.infeasible > 0);
    const three = all.find((s) => s.id === fx.three)!;
    assert.deepEqual(three.objectives, ["Objective 0 (minimize)", "Objective 1 (minimize)", "Objective 2 (maximize)"]);
  });

  test("a study offers the charts kindsFor gives it, with which of them draw one objective", async () => {
    const { body } = await get<StudyResponse>(base, `/api/studies/${fx.zdt}`);
    assert.deepEqual(
      body.charts.map((c) => c.kind),
      kindsFor({ directions: ["maximize", "minimize"] }),
    );
    assert.deepEqual(
      body.charts.filter((c) => c.perObjective).map((c) => c.kind),
      ["history", "slice", "parallel", "contour", "edf"],
    );
    assert.equal(
      (body.study as StudyJson).pareto?.hypervolume,
      paretoSummary(await trialsOf(fx.zdt), ["maximize", "minimize"]).hypervolume,
    );
  });
});

describe("charts of a study with several objectives", () => {
  test("every chart it offers, for each objective, is a drawn spec", async () => {
    const { body: info } = await get<StudyResponse>(base, `/api/studies/${fx.three}`);
    for (const { kind, perObjective } of info.charts) {
      for (const objective of perObjective ? [0, 1, 2] : [0]) {
        const { status, body } = await get<ChartResponse>(base, `/api/studies/${fx.three}/charts/${kind}?objective=${objective}`);
        assert.equal(status, 200);
        assert.equal(body.objective, objective);
        assert.ok(body.spec, `${kind}: ${body.note}`);
        assert.doesNotMatch(JSON.stringify(body.spec), /No completed trials yet|needs a study with/, `${kind} ${objective}`);
      }
    }
  });

  test("the per-objective charts are titled with the objective; the hypervolume note names the reference point", async () => {
    const history = await get<ChartResponse>(base, `/api/studies/${fx.zdt}/charts/history?objective=1`);
    assert.match(JSON.stringify(history.body.spec), /"size \(minimize\)"/);
    const hv = await get<ChartResponse>(base, `/api/studies/${fx.zdt}/charts/hypervolume`);
    assert.match(hv.body.note ?? "", /Reference point: accuracy \(maximize\) .*, size \(minimize\) .* defaultReferencePoint/);
  });

  test("an objective past the study's is 400 naming the range", async () => {
    expectBadParam(await get(base, `/api/studies/${fx.zdt}/charts/history?objective=2`), "objective", /integer from 0 to 1/);
    expectBadParam(await get(base, `/api/studies/${fx.zdt}/charts/history?objective=x`), "objective", /integer/);
  });
});

describe("the trials table of a study with several objectives", () => {
  test("one column per objective, per constraint, and feasible", async () => {
    const { body } = await get<TrialsResponse>(base, `/api/studies/${fx.zdt}/trials?limit=1000`);
    assert.deepEqual(body.objectives, ["accuracy (maximize)", "size (minimize)"]);
    assert.deepEqual(body.constraints, ["constraints[0]", "budget"]);
    const trials = await trialsOf(fx.zdt);
    for (const row of body.rows) {
      const t = trials.find((u) => u.number === row.number)!;
      assert.deepEqual(row.values, t.values);
      assert.deepEqual(row.constraints, [(t.params.x3 as number) - 0.8, (t.params.x2 as number) - 0.9]);
      assert.equal(row.feasible, (t.params.x3 as number) <= 0.8 && (t.params.x2 as number) <= 0.9);
    }
  });

  test("sorted by an objective or a constraint, filtered by feasibility and by an objective's range", async () => {
    const byObjective = (await get<TrialsResponse>(base, `/api/studies/${fx.zdt}/trials?sort=objective:1&order=desc&limit=1000`)).body;
    const sizes = byObjective.rows.map((r) => r.values![1]);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
    );
    const byBudget = (await get<TrialsResponse>(base, `/api/studies/${fx.zdt}/trials?sort=constraint:1&limit=1000`)).body;
    const budgets = byBudget.rows.map((r) => r.constraints[1]!);
    assert.deepEqual(
      budgets,
      [...budgets].sort((a, b) => a - b),
    );
    const infeasible = (await get<TrialsResponse>(base, `/api/studies/${fx.zdt}/trials?feasible=false&limit=1000`)).body;
    assert.ok(infeasible.total > 0);
    assert.ok(infeasible.rows.every((r) => r.feasible === false));
    const accurate = (await get<TrialsResponse>(base, `/api/studies/${fx.zdt}/trials?objective=0:0.5:&limit=1000`)).body;
    const trials = await trialsOf(fx.zdt);
    assert.equal(accurate.total, trials.filter((t) => t.values !== null && t.values[0] >= 0.5).length);
    const sorted = (await get<TrialsResponse>(base, `/api/studies/${fx.zdt}/trials?sort=feasible&limit=1000`)).body;
    assert.equal(sorted.rows[0].feasible, false, "infeasible first in ascending order");
  });

  test("bad sorts and filters are 400 naming the key and what it takes", async () => {
    expectBadParam(await get(base, `/api/studies/${fx.zdt}/trials?sort=objective:2`), "sort", /objective:<0 to 1>, constraint:<0 to 1>/);
    expectBadParam(
      await get(base, `/api/studies/${fx.zdt}/trials?objective=5::1`),
      "objective",
      /index 5 is past the study's objectives \(it has 2/,
    );
    expectBadParam(await get(base, `/api/studies/${fx.three}/trials?constraint=0::1`), "constraint", /it has none/);
    expectBadParam(await get(base, `/api/studies/${fx.zdt}/trials?objective=0:2:1`), "objective", /minimum 2 is above the maximum 1/);
    expectBadParam(await get(base, `/api/studies/${fx.zdt}/trials?feasible=maybe`), "feasible", /true, false, any/);
  });

  test("one trial carries its values, constraints by name and feasibility", async () => {
    const { body } = await get<TrialResponse>(base, `/api/studies/${fx.zdt}/trials/0`);
    assert.deepEqual(body.trial.objectives, ["accuracy (maximize)", "size (minimize)"]);
    assert.deepEqual(body.trial.constraintLabels, ["constraints[0]", "budget"]);
    assert.equal(body.trial.values!.length, 2);
  });

  test("CSV export: values_0, values_1 and constraints, as Optuna's trials_dataframe names them", async () => {
    const answer = await get(base, `/api/studies/${fx.zdt}/export?format=csv`);
    const [header, first] = answer.text.split("\n");
    assert.match(header, /^number,state,values_0,values_1,constraints,datetime_start,/);
    const trials = await trialsOf(fx.zdt);
    const t = trials[0];
    assert.ok(
      first.startsWith(`0,COMPLETE,${t.values![0]},${t.values![1]},"${JSON.stringify(t.systemAttrs.constraints).replace(/"/g, '""')}"`),
      first,
    );
  });
});

describe("comparing studies with several objectives", () => {
  test("by hypervolume against one reference point; repeats over seeds paired in a test", async () => {
    const { status, body } = await get<CompareResponse>(base, `/api/compare?studies=${fx.repeats.join(",")}`);
    assert.equal(status, 200);
    const mo = body.multiObjective!;
    assert.ok(mo, body.note);
    assert.equal(mo.rows.length, 6);
    assert.deepEqual(
      mo.rows.map((r) => r.hypervolume),
      [...mo.rows.map((r) => r.hypervolume)].sort((a, b) => b - a),
    );
    assert.deepEqual(
      mo.groups.flatMap((g) => g.seeds),
      ["0", "1", "2", "0", "1", "2"],
    );
    assert.ok(mo.test, mo.noTestReason);
    const [a, b] = mo.groups;
    assert.equal(mo.test.tTest.pValue, correctedTTest(a.hypervolumes, b.hypervolumes, { testTrainRatio: 0 }).pValue);
    assert.equal(mo.referencePoint!.length, 2);
    assert.ok(mo.hypervolumeChart);
    assert.equal(body.bestSoFarChart, null);
  });

  test("studies without repeats: ranked, and no test saying why; different objectives: not ranked", async () => {
    const { body } = await get<CompareResponse>(base, `/api/compare?studies=${fx.zdt},${fx.repeats[0]}`);
    assert.equal(body.multiObjective!.test, null);
    assert.match(body.note!, /each repeated over the same seeds/);
    const mixed = (await get<CompareResponse>(base, `/api/compare?studies=${fx.zdt},${fx.three}`)).body;
    assert.equal(mixed.direction, "mixed");
    assert.equal(mixed.multiObjective, null);
    assert.match(mixed.note!, /same objectives and directions/);
  });
});

test("refine says why it is not offered for a study with several objectives", async () => {
  const { status, body } = await get<{ refined: unknown; note: string }>(base, `/api/studies/${fx.zdt}/refine`);
  assert.equal(status, 200);
  assert.equal(body.refined, null);
  assert.match(body.note, /this study has 2 \(accuracy \(maximize\), size \(minimize\)\), whose best trials are a Pareto front/);
});
