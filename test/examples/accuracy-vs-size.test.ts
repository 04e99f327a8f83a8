/** examples/accuracy-vs-size.ts run as a user runs it, on a tiny budget, and its pick checked against its storage. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { constraintValues, isFeasible } from "../../core/feasibility.js";
import type { TrialRecord } from "../../core/records.js";
import { openStorage } from "../../tracker/storage/open.js";
import { resolveSampler } from "../../tune/samplers/registry.js";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-example-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The example is written for the default sampler; until it serves several objectives, random stands in. */
const samplerArgs = resolveSampler("default").multiObjective ? [] : ["--sampler", "random"];

/** Brute force: the feasible COMPLETE trials that no other one beats on both objectives (accuracy up, size down). */
function front(trials: TrialRecord[]): number[] {
  const ok = trials.filter((t) => t.state === "COMPLETE" && isFeasible(t));
  const beats = (a: number[], b: number[]) => a[0] >= b[0] && a[1] <= b[1] && (a[0] > b[0] || a[1] < b[1]);
  return ok.filter((t) => !ok.some((o) => beats(o.values!, t.values!))).map((t) => t.number);
}

it("tunes a forest and an MLP for accuracy and size, picks the smallest within 0.05 of the best and tests it", async () => {
  const db = join(dir, "example.db");
  const limit = 50; // ms per 100 predictions: generous, so a busy machine still has feasible trials
  // From the package root, so tsx maps "tunebook" to the sources.
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "examples/accuracy-vs-size.ts",
      ...["--trials", "6", "--mlp-trials", "2", "--epochs", "4", "--seed", "3", "--predict-limit-ms", String(limit), "--tolerance", "0.05"],
      ...["--storage", `sqlite:${db}`, ...samplerArgs],
    ],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  const picks = [...run.stdout.matchAll(/Picked trial (\d+), the smallest within 0\.05/g)].map((m) => Number(m[1]));
  assert.equal(picks.length, 2, run.stdout);
  const tested = [...run.stdout.matchAll(/Retrained on all 1437 training rows: test accuracy (0\.\d+), (\d+) (nodes|parameters)/g)];
  assert.deepEqual(
    tested.map((m) => m[3]),
    ["nodes", "parameters"],
  );
  assert.ok(Number(tested[0][1]) > 0.85, `the forest scores ${tested[0][1]} on the test rows`);

  const storage = openStorage(`sqlite:${db}`, { readOnly: true, mustExist: true });
  try {
    for (const [name, trialCount, pick] of [
      ["digits-forest-size", 6, picks[0]],
      ["digits-mlp-size", 2, picks[1]],
    ] as const) {
      const id = await storage.getStudyIdByName(name);
      assert.deepEqual((await storage.getStudy(id)).directions, ["maximize", "minimize"], name);
      const trials = await storage.getAllTrials(id);
      assert.equal(trials.length, trialCount, name);
      assert.ok(
        trials.every((t) => t.state === "COMPLETE" && t.values!.length === 2 && Number.isInteger(t.values![1])),
        name,
      );
      const onFront = front(trials);
      assert.match(run.stdout, new RegExp(`${trialCount} trials, ${onFront.length} on the Pareto front`), name);
      // The pick: the smallest on the front within 0.05 of the front's best accuracy.
      const candidates = trials.filter((t) => onFront.includes(t.number));
      const best = Math.max(...candidates.map((t) => t.values![0]));
      const within = candidates.filter((t) => t.values![0] >= best - 0.05);
      if (name === "digits-forest-size") assert.ok(within.length >= 2, `a choice to make: ${within.length} candidate(s)`);
      const smallest = Math.min(...within.map((t) => t.values![1]));
      const picked = trials.find((t) => t.number === pick)!;
      assert.ok(within.includes(picked), `${name}: trial ${pick} is on the front, within 0.05 of ${best}`);
      assert.equal(picked.values![1], smallest, name);
    }
    // Every forest trial carries its prediction time as a constraint: time − limit, feasible when ≤ 0.
    for (const t of await storage.getAllTrials(await storage.getStudyIdByName("digits-forest-size"))) {
      assert.deepEqual(constraintValues(t), [(t.userAttrs.predict_ms as number) - limit]);
      assert.equal((t.userAttrs.fold_scores as number[]).length, 5);
    }
  } finally {
    await storage.close();
  }
});
