/** The optimisation history of a study built with the engine: with constraints, the best-so-far line agrees with `study.best()`. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isFeasible } from "../../../core/feasibility.js";
import { historyData, historySpec } from "../../../tracker/charts/history.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { checkSpec, countMarks } from "./helpers.js";

setVerbosity("silent");

/** (x − 2)² over x in [0, 4]; with constraints, x > 1.5 is infeasible, so the lowest values, near x = 2, are out. */
async function quadraticStudy(constrained: boolean) {
  const study = await createStudy({
    storage: new InMemoryStorage(),
    direction: "minimize",
    sampler: "random",
    seed: 3,
    ...(constrained ? { constraints: (t: { params: Record<string, unknown> }) => [(t.params.x as number) - 1.5] } : {}),
  });
  await study.optimize((t) => (t.suggestFloat("x", 0, 4) - 2) ** 2, { nTrials: 60 });
  return study;
}

/** The legend's series: the colour scale's domain of the points layer. */
function series(spec: unknown): string[] {
  const layers = (spec as { layer: { encoding: { color?: { scale?: { domain?: string[] } } } }[] }).layer;
  return layers[0].encoding.color?.scale?.domain ?? [];
}

test("with constraints, the best line is the running best over feasible trials and ends at study.best()", async () => {
  const study = await quadraticStudy(true);
  const trials = await study.trials();
  const rows = historyData(trials, "minimize");
  // The running best over feasible trials, computed apart from bestSoFar.
  let running: number | null = null;
  const expected = trials.map((t) => {
    if (isFeasible(t) && (running === null || (t.value as number) < running)) running = t.value as number;
    return [t.number, running, isFeasible(t)];
  });
  assert.deepEqual(
    rows.map((r) => [r.number, r.best, r.feasible]),
    expected,
  );
  const best = await study.best();
  assert.equal(rows[rows.length - 1].best, best.value);
  // Some infeasible trial beats the study's best, so the old line would have gone past it.
  const infeasible = rows.filter((r) => !r.feasible);
  assert.ok(
    infeasible.length > 0 && infeasible.some((r) => r.value < (best.value as number)),
    "an infeasible trial is better than the best",
  );

  const spec = historySpec(rows, { direction: "minimize", study: study.name });
  assert.deepEqual(series(spec), ["Feasible trial", "Infeasible trial", "Best so far (minimize)"]);
  const svg = await checkSpec(spec);
  assert.match(svg, /Infeasible trial/);
  assert.equal(countMarks(svg, "point"), rows.length);
  assert.equal(countMarks(svg, "line mark"), 1);
});

test("without constraints, no infeasible series and the spec keeps its two series", async () => {
  const study = await quadraticStudy(false);
  const rows = historyData(await study.trials(), "minimize");
  assert.ok(rows.every((r) => r.feasible));
  assert.equal(rows[rows.length - 1].best, (await study.best()).value);
  const spec = historySpec(rows, { direction: "minimize", study: study.name });
  assert.deepEqual(series(spec), ["Each completed trial", "Best so far (minimize)"]);
  assert.ok(!JSON.stringify(spec).includes("nfeasible"), "nothing says infeasible");
  const svg = await checkSpec(spec);
  assert.doesNotMatch(svg, /nfeasible/);
});
