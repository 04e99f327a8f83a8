import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { StudyDirection, TrialRecord, TrialState } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { studyChart as composeStudyChart, kindsFor } from "../../../tracker/charts/study-charts.js";
import { PAGE_MAX_POINTS, STUDY_CHART_KINDS } from "../../../tracker/server/chart-specs.js";
import type { ChartResponse, StudyResponse, TrialResponse } from "../../../tracker/server/types.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import { sampleStep, unfinishedCap } from "../../../tracker/storage/sample.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, testPostgres } from "../../helpers/postgres.js";
import { get, serve } from "./serve.js";

/**
 * Large studies are drawn from a sample the storage picks (`Storage.sampleTrials`): the
 * same trials on every storage, within the bound, with the best trial and the records; a
 * study under the bound is drawn exactly, as before.
 */

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), "tunebook-sample-"));
  dirs.push(dir);
  return join(dir, "sample.db");
}

/** A study of `n` trials: a noisy descent with ties, ±Infinity, pruned, failed, waiting and running ones. */
async function writeStudy(storage: Storage, n: number, directions: StudyDirection[], infinities = true): Promise<number> {
  const id = await storage.createStudy({ name: `sampled-${directions.join("-")}`, directions });
  const rng = new Rng(7);
  for (let i = 0; i < n; i++) {
    const r = rng.uniform(0, 1);
    const state: TrialState =
      r < 0.1 ? "PRUNED" : r < 0.15 ? "FAIL" : i >= n - 6 && r < 0.5 ? "RUNNING" : i >= n - 6 && r < 0.7 ? "WAITING" : "COMPLETE";
    const noisy = () => Math.round((10 / (1 + i / 50) + rng.normal()) * 4) / 4;
    const value = () => (!infinities ? noisy() : i === 37 ? -Infinity : i === 90 ? Infinity : noisy());
    await storage.createTrial(id, {
      state,
      params: { x: rng.uniform(0, 1), k: ["a", "b"][rng.integer(0, 1)] },
      distributions: {
        x: { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } },
        k: { name: "CategoricalDistribution", attributes: { choices: ["a", "b"] } },
      },
      values: state === "COMPLETE" ? directions.map(() => value()) : null,
      intermediateValues: state === "PRUNED" ? { 0: 1 } : {},
    });
  }
  return id;
}

/** The best trial by one objective, the first of equal values. */
function bestNumber(trials: readonly TrialRecord[], direction: StudyDirection, objective = 0): number {
  let best: TrialRecord | null = null;
  const sign = direction === "maximize" ? -1 : 1;
  for (const t of trials) {
    if (t.state !== "COMPLETE" || !t.values) continue;
    if (!best || sign * t.values[objective] < sign * best.values![objective]) best = t;
  }
  return best!.number;
}

async function checkSample(storage: Storage, directions: StudyDirection[]): Promise<number[]> {
  const n = 700;
  const limit = 60;
  const id = await writeStudy(storage, n, directions);
  const all = await storage.getAllTrials(id);
  const { total, trials } = await storage.sampleTrials(id, limit);
  assert.equal(total, n);
  const numbers = trials.map((t) => t.number);
  assert.deepEqual(
    numbers,
    [...new Set(numbers)].sort((a, b) => a - b),
    "ordered by number, no trial twice",
  );
  const k = sampleStep(n, limit);
  const regular = numbers.filter((x) => x % k === 0);
  assert.equal(regular.length, Math.ceil(n / k), "every k-th trial");
  assert.ok(regular.length <= limit);
  // The rest: a few records per objective, and the capped unfinished trials.
  assert.ok(numbers.length - regular.length <= directions.length * 12 + unfinishedCap(limit), `${numbers.length} trials in the sample`);
  for (const [i, d] of directions.entries()) assert.ok(numbers.includes(bestNumber(all, d, i)), `the best by objective ${i}`);
  const unfinished = all.filter((t) => t.state === "RUNNING" || t.state === "WAITING").map((t) => t.number);
  assert.ok(unfinished.length > 0);
  for (const u of unfinished.slice(-unfinishedCap(limit))) assert.ok(numbers.includes(u), `unfinished trial ${u}`);
  // Each sampled trial is the stored trial, whole.
  for (const t of trials) assert.deepEqual(t, all[t.number]);
  // Under the bound: every trial.
  assert.deepEqual((await storage.sampleTrials(id, n)).trials, all);
  return numbers;
}

/** The best so far along the sample equals the true one at every bucket's end. */
function checkBestSoFar(all: readonly TrialRecord[], sample: readonly TrialRecord[], k: number): void {
  const running = (trials: readonly TrialRecord[], upTo: number) => {
    let best = Infinity;
    for (const t of trials) if (t.number <= upTo && t.state === "COMPLETE" && t.values) best = Math.min(best, t.values[0]);
    return best;
  };
  for (let end = k - 1; end < all.length; end += k) assert.equal(running(sample, end), running(all, end), `best so far at ${end}`);
}

describe("sampleTrials picks the same trials on every storage", () => {
  const picked: Record<string, number[][]> = {};
  for (const [name, open] of [
    ["memory", () => new InMemoryStorage()],
    ["SQLite", () => new SqliteStorage(sqlitePath())],
  ] as const) {
    it(`${name}: bounded, ordered, with the best, the records and the running ones`, async () => {
      const storage: Storage = open();
      try {
        picked[name] = [await checkSample(storage, ["minimize"]), await checkSample(storage, ["maximize", "minimize"])];
        const id = (await storage.listStudies())[0].studyId;
        checkBestSoFar(await storage.getAllTrials(id), (await storage.sampleTrials(id, 60)).trials, sampleStep(700, 60));
      } finally {
        await storage.close();
      }
    });
  }
  it("memory and SQLite agree", () => assert.deepEqual(picked.SQLite, picked.memory));
});

const server = await testPostgres();
describe("sampleTrials on PostgreSQL", { skip: skipWithoutPostgres(server) }, () => {
  it("picks what memory picks", async () => {
    if (typeof server === "string") throw new Error(server);
    const { url, drop } = await server.freshSchema();
    const storage = new PostgresStorage(url);
    const memory = new InMemoryStorage();
    try {
      assert.deepEqual(await checkSample(storage, ["maximize", "minimize"]), await checkSample(memory, ["maximize", "minimize"]));
    } finally {
      await storage.close();
      await drop();
    }
  });
});

describe("the server draws a large study from its sample", () => {
  it("charts say what they were drawn from, hold the best trial, and stay within the bound", async () => {
    const storage = new SqliteStorage(sqlitePath());
    const id = await writeStudy(storage, 400, ["minimize"], false);
    const all = await storage.getAllTrials(id);
    const app = await serve(storage, { exactTrials: 100, sampleTrials: 50 });
    try {
      const summary = await get<StudyResponse>(app.base, `/api/studies/${id}`);
      assert.equal(summary.status, 200);
      const sample = (await storage.sampleTrials(id, 50)).trials;
      for (const kind of kindsFor(await storage.getStudy(id), sample)) {
        const chart = await get<ChartResponse>(app.base, `/api/studies/${id}/charts/${kind}`);
        assert.equal(chart.status, 200, kind);
        if (kind === "convergence" || kind === "curves") continue;
        assert.match(chart.body.note ?? "", new RegExp(`from ${sample.length} of 400 trials`), kind);
        assert.deepEqual((chart.body.spec as { title: { subtitle: string } }).title.subtitle, `from ${sample.length} of 400 trials`);
      }
      const history = await get<ChartResponse>(app.base, `/api/studies/${id}/charts/history`);
      const numbers = trialNumbersIn(history.body.spec);
      assert.ok(numbers.has(bestNumber(all, "minimize")), "the best trial is drawn");
      assert.ok(numbers.size <= sample.length, `${numbers.size} trials drawn`);
      // One trial, and its count, come from the storage, not from the sample.
      const notSampled = all.find((t) => !sample.some((s) => s.number === t.number))!;
      const trial = await get<TrialResponse>(app.base, `/api/studies/${id}/trials/${notSampled.number}`);
      assert.equal(trial.status, 200);
      assert.equal(trial.body.trial.number, notSampled.number);
      assert.equal(trial.body.trialCount, 400);
      assert.equal((await get(app.base, `/api/studies/${id}/trials/400`)).status, 404);
    } finally {
      await app.close();
      await storage.close();
    }
  });

  it("below the bound, every chart is the exact one", async () => {
    const storage = new SqliteStorage(sqlitePath());
    const id = await writeStudy(storage, 150, ["minimize"]);
    // Only finished trials: a running one's timeline bar ends at "now".
    const app = await serve(storage, { exactTrials: 150, sampleTrials: 50 });
    try {
      const summary = await storage.getStudy(id);
      const all = await storage.getAllTrials(id);
      for (const kind of STUDY_CHART_KINDS) {
        if (kind === "timeline") continue;
        const chart = await get<ChartResponse>(app.base, `/api/studies/${id}/charts/${kind}`);
        const exact = composeStudyChart(kind, summary, all, { maxPoints: PAGE_MAX_POINTS });
        assert.deepEqual(chart.body.spec, JSON.parse(JSON.stringify(exact.spec)), kind);
        assert.doesNotMatch(chart.body.note ?? "", /trials: every k-th/, kind);
      }
    } finally {
      await app.close();
      await storage.close();
    }
  });
});

/** Every `number` field of the chart's data rows. */
function trialNumbersIn(spec: unknown): Set<number> {
  const found = new Set<number>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if ((key === "number" || key === "trial") && typeof value === "number") found.add(value);
        else walk(value);
      }
    }
  };
  walk(spec);
  return found;
}
