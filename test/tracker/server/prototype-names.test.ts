import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { DistributionJson, ParamValue, TrialRecord } from "../../../core/records.js";
import { STUDY_CHART_KINDS } from "../../../tracker/server/chart-specs.js";
import type {
  ApiError,
  ChartResponse,
  CompareResponse,
  RefineResponse,
  StudyResponse,
  TrialResponse,
  TrialsResponse,
} from "../../../tracker/server/types.js";
import { openStorage } from "../../../tracker/storage/open.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { cat, float, int } from "../charts/helpers.js";
import { get, serve } from "./serve.js";

/**
 * Parameters named like the properties every plain object inherits: the UI treats
 * them as the data they are, never as a lookup on Object.prototype.
 */
const INHERITED = ["constructor", "__proto__", "toString", "valueOf"] as const;

const DISTRIBUTIONS: Record<string, DistributionJson> = {
  x: float(-1, 1),
  constructor: float(0, 1),
  ["__proto__"]: int(1, 5),
  toString: cat("a", "b", "c"),
  valueOf: float(1e-3, 1, true),
};

/** Own keys only: `{ ["__proto__"]: v }` is an own property, as the storage returns it. */
function pick(params: Record<string, ParamValue>): { params: Record<string, ParamValue>; distributions: Record<string, DistributionJson> } {
  const distributions: Record<string, DistributionJson> = {};
  for (const name of Object.keys(params)) Object.defineProperty(distributions, name, { value: DISTRIBUTIONS[name], enumerable: true });
  return { params, distributions };
}

function paramsOf(i: number, all: boolean): Record<string, ParamValue> {
  const x = ((i * 7) % 19) / 9.5 - 1;
  const own: [string, ParamValue][] = [["x", x]];
  const which = all ? [0, 1, 2, 3] : [i % 5];
  if (which.includes(0)) own.push(["constructor", ((i * 5) % 11) / 10]);
  if (which.includes(1)) own.push(["__proto__", 1 + (i % 5)]);
  if (which.includes(2)) own.push(["toString", ["a", "b", "c"][i % 3]]);
  if (which.includes(3)) own.push(["valueOf", 10 ** -((i % 4) + 0.5)]);
  const params: Record<string, ParamValue> = {};
  for (const [name, value] of own) Object.defineProperty(params, name, { value, enumerable: true });
  return params;
}

let dir: string;
let storage: Storage;
let base: string;
let close: () => Promise<void>;
/** Trials with one of the names each, or none (every fifth). */
let mixed: number;
/** Trials with all four names. */
let full: number;

async function fill(studyId: number, n: number, all: boolean): Promise<void> {
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const params = paramsOf(i, all);
    const shift = Object.entries(params).find(([name]) => name === "constructor")?.[1] ?? 0;
    const value = (params.x as number) ** 2 + (shift as number);
    await storage.createTrial(studyId, {
      state: i === 7 ? "FAIL" : "COMPLETE",
      ...pick(params),
      value: i === 7 ? null : value,
      intermediateValues: { 0: value + 1, 1: value + 0.5 },
      userAttrs: { fold_scores: [value, value + 0.1, value - 0.1] },
      datetimeStart: new Date(start + i * 60_000),
      datetimeComplete: new Date(start + i * 60_000 + 5_000),
    });
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tunebook-proto-"));
  storage = openStorage(join(dir, "proto.db"));
  mixed = await storage.createStudy({ name: "mixed", direction: "minimize" });
  await fill(mixed, 30, false);
  full = await storage.createStudy({ name: "full", direction: "minimize" });
  await fill(full, 20, true);
  ({ base, close } = await serve(storage));
});

after(async () => {
  await close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const own = (t: TrialRecord, name: string) => Object.hasOwn(t.params, name);

describe("parameters named like Object.prototype's properties", () => {
  test("the study lists each with the count of trials that set it", async () => {
    const trials = await storage.getAllTrials(mixed);
    const { status, body } = await get<StudyResponse>(base, `/api/studies/${mixed}`);
    assert.equal(status, 200);
    assert.deepEqual(body.params.map((p) => p.name).sort(), [...INHERITED, "x"].sort());
    for (const name of INHERITED) {
      assert.equal(body.params.find((p) => p.name === name)!.count, trials.filter((t) => own(t, name)).length, name);
    }
  });

  for (const kind of STUDY_CHART_KINDS) {
    test(`chart ${kind}: 200 with a spec, for trials with some, all or none of them`, async () => {
      for (const id of [mixed, full]) {
        const answer = await get<ChartResponse>(base, `/api/studies/${id}/charts/${kind}`);
        assert.equal(answer.status, 200, answer.text);
        assert.ok(answer.body.spec, answer.body.note);
      }
    });
  }

  test("parallel coordinates: an axis per parameter every trial has, named as stored", async () => {
    const axesOf = async (id: number) => {
      const { body } = await get<ChartResponse>(base, `/api/studies/${id}/charts/parallel`);
      return (body.spec as unknown as { datasets: { axes: { name: string }[] } }).datasets.axes.map((a) => a.name);
    };
    assert.deepEqual(await axesOf(mixed), ["x", "Objective value"]);
    assert.deepEqual(await axesOf(full), [...[...INHERITED].sort(), "x", "Objective value"]);
  });

  test("slice: each panel holds exactly the completed trials that set its parameter", async () => {
    const trials = (await storage.getAllTrials(mixed)).filter((t) => t.state === "COMPLETE");
    const { body } = await get<ChartResponse>(base, `/api/studies/${mixed}/charts/slice`);
    const rows = (body.spec as unknown as { data: { values: { param: string; number: number }[] } }).data.values;
    for (const name of INHERITED) {
      assert.deepEqual(
        rows.filter((r) => r.param === name).map((r) => r.number),
        trials.filter((t) => own(t, name)).map((t) => t.number),
        name,
      );
    }
  });

  /** Trials with the parameter by value (`order`), then the rest by number. */
  function expectedOrder(trials: readonly TrialRecord[], name: string, order: "asc" | "desc"): number[] {
    const sign = order === "asc" ? 1 : -1;
    const key = (t: TrialRecord) => t.params[name] as number | string;
    const withIt = trials
      .filter((t) => own(t, name))
      .sort((a, b) => {
        const [ka, kb] = [key(a), key(b)];
        if (ka === kb) return a.number - b.number;
        return (ka < kb ? -1 : 1) * sign;
      });
    return [...withIt, ...trials.filter((t) => !own(t, name))].map((t) => t.number);
  }

  for (const name of INHERITED) {
    for (const order of ["asc", "desc"] as const) {
      test(`the trials table sorts by ${name} (${order}): trials without it last`, async () => {
        const trials = await storage.getAllTrials(mixed);
        const expected = expectedOrder(trials, name, order);
        const { status, body, text } = await get<TrialsResponse>(
          base,
          `/api/studies/${mixed}/trials?sort=${encodeURIComponent(`param:${name}`)}&order=${order}&limit=1000`,
        );
        assert.equal(status, 200, text);
        assert.deepEqual(
          body.rows.map((r) => r.number),
          expected,
        );
        // Pages cut the same order.
        const page = await get<TrialsResponse>(
          base,
          `/api/studies/${mixed}/trials?sort=${encodeURIComponent(`param:${name}`)}&order=${order}&offset=4&limit=5`,
        );
        assert.equal(page.body.total, trials.length);
        assert.deepEqual(
          page.body.rows.map((r) => r.number),
          expected.slice(4, 9),
        );
      });
    }
  }

  for (const [name, min, max] of [
    ["constructor", 0.2, 0.8],
    ["__proto__", 2, 4],
    ["valueOf", 0.001, 0.05],
  ] as const) {
    test(`the trials table filters by a range of ${name}: only trials that set it, within it`, async () => {
      const trials = await storage.getAllTrials(mixed);
      const expected = trials.filter((t) => own(t, name) && (t.params[name] as number) >= min && (t.params[name] as number) <= max);
      assert.ok(expected.length > 0);
      const { status, body, text } = await get<TrialsResponse>(
        base,
        `/api/studies/${mixed}/trials?range=${encodeURIComponent(`${name}:${min}:${max}`)}&limit=2`,
      );
      assert.equal(status, 200, text);
      assert.equal(body.total, expected.length);
      assert.deepEqual(
        body.rows.map((r) => r.number),
        expected.slice(0, 2).map((t) => t.number),
      );
      for (const row of body.rows) assert.ok(Object.hasOwn(row.params, name));
    });
  }

  test("a range on the categorical toString is refused by name", async () => {
    const answer = await get<ApiError>(base, `/api/studies/${mixed}/trials?range=toString:0:1`);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.param, "range");
    assert.match(answer.body.error.message, /"toString" is categorical/);
  });

  test("sorting by one of them on a study without it is refused, naming it", async () => {
    const other = await storage.createStudy({ name: "plain", direction: "minimize" });
    await storage.createTrial(other, { state: "COMPLETE", value: 1, ...pick({ x: 0.5 }) });
    for (const name of INHERITED) {
      const answer = await get<ApiError>(base, `/api/studies/${other}/trials?sort=${encodeURIComponent(`param:${name}`)}`);
      assert.equal(answer.status, 400, name);
      assert.equal(answer.body.error.param, "sort");
      assert.ok(answer.body.error.message.includes(`param:${name}`), answer.body.error.message);
    }
    await storage.deleteStudy(other);
  });

  test("one trial's page, refine, compare and export keep them as own data", async () => {
    const trials = await storage.getAllTrials(mixed);
    const withProto = trials.find((t) => own(t, "__proto__") && t.state === "COMPLETE")!;
    const trial = await get<TrialResponse>(base, `/api/studies/${mixed}/trials/${withProto.number}`);
    assert.equal(trial.status, 200, trial.text);
    assert.ok(Object.hasOwn(trial.body.trial.params, "__proto__"));
    assert.deepEqual(Object.entries(trial.body.trial.params), Object.entries(withProto.params));

    const refine = await get<RefineResponse>(base, `/api/studies/${full}/refine`);
    assert.equal(refine.status, 200, refine.text);
    assert.deepEqual(refine.body.refined!.params.map((p) => p.name).sort(), [...INHERITED, "x"].sort());

    const compare = await get<CompareResponse>(base, `/api/compare?studies=${mixed},${full}`);
    assert.equal(compare.status, 200, compare.text);

    const exported = await get<TrialRecord[]>(base, `/api/studies/${mixed}/export?format=json`);
    assert.equal(exported.status, 200);
    assert.equal(exported.body.length, trials.length);
  });

  test("query keys named like them are unknown parameters (400 naming them)", async () => {
    for (const name of INHERITED) {
      const answer = await get<ApiError>(base, `/api/studies/${mixed}/trials?${encodeURIComponent(name)}=1`);
      assert.equal(answer.status, 400, `${name}: ${answer.text}`);
      assert.equal(answer.body.error.param, name);
    }
  });

  for (const path of [
    "/vendor/constructor.js",
    "/vendor/__proto__.js",
    "/vendor/toString.js",
    "/vendor/hasOwnProperty.js",
    "/static/constructor.js",
    "/static/__proto__.js",
    "/static/toString.js",
  ]) {
    test(`${path} is 404`, async () => {
      const answer = await get<ApiError>(base, path);
      assert.equal(answer.status, 404, answer.text);
      assert.match(answer.body.error.message, /No (vendor|static) file/);
    });
  }

  test("nothing stored changed", async () => {
    const before = await storage.getAllTrials(mixed);
    await get(base, `/api/studies/${mixed}/trials?sort=param:constructor`);
    await get(base, `/api/studies/${mixed}/charts/parallel`);
    assert.deepEqual(await storage.getAllTrials(mixed), before);
  });
});
