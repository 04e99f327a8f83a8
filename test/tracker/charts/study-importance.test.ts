import assert from "node:assert/strict";
import { test } from "node:test";
import type { TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { paramImportances } from "../../../tracker/analysis/importance.js";
import { IMPORTANCE_MAX_TRIALS, studyImportance } from "../../../tracker/charts/study-importance.js";
import { float, rec } from "./helpers.js";

const X = float(0, 1);
const Y = float(0, 1);

/** `n` COMPLETE trials of an objective that x moves ten times more than y. */
function trials(n: number, seed = 4): TrialRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = rng.random();
    const y = rng.random();
    return rec(i, "COMPLETE", 10 * x + y, { x: [X, x], y: [Y, y] });
  });
}

test("importance is fitted on at most IMPORTANCE_MAX_TRIALS completed trials, evenly spread, and says so", () => {
  const all = [...trials(IMPORTANCE_MAX_TRIALS + 200), rec(IMPORTANCE_MAX_TRIALS + 200, "PRUNED", null, { x: [X, 0.5], y: [Y, 0.5] })];
  const first = studyImportance(all);
  assert.ok(first.result);
  assert.equal(first.result.nTrials, IMPORTANCE_MAX_TRIALS);
  assert.equal(first.note, `Fitted on ${IMPORTANCE_MAX_TRIALS} of the ${IMPORTANCE_MAX_TRIALS + 200} completed trials, evenly spread.`);
  assert.deepEqual(
    first.result.importances.map((p) => p.name),
    ["x", "y"],
  );
  assert.deepEqual(studyImportance(all), first, "the same trials every time");
});

test("a study below the cap is fitted on all its completed trials, with nothing to note", () => {
  const all = trials(40);
  const importance = studyImportance(all);
  assert.deepEqual(importance, { result: paramImportances(all) });
});

test("parameters left out and warnings are noted", () => {
  const rng = new Rng(2);
  const all = trials(30).map((t, i) =>
    i % 2 ? { ...t, params: { ...t.params, extra: rng.random() }, distributions: { ...t.distributions, extra: X } } : t,
  );
  const skipped = studyImportance(all);
  assert.match(skipped.note ?? "", /^Not assessed: extra \(.+\)\.$/);
  const flat = studyImportance(trials(10).map((t) => ({ ...t, value: 1 })));
  assert.ok(flat.result);
  assert.equal(flat.note, flat.result.warning);
});

test("too few completed trials is a note saying why, not an error", () => {
  const importance = studyImportance([rec(0, "COMPLETE", 1, { x: [X, 0.2] }), rec(1, "FAIL", null, { x: [X, 0.4] })]);
  assert.equal(importance.result, null);
  assert.match(importance.note, /needs at least 2 COMPLETE trials with a finite value, got 1; run more trials first\.$/);
  assert.equal(studyImportance([]).result, null);
});

test("any other failure is a bug, and is thrown", () => {
  const broken = trials(5).map((t) => {
    const copy = { ...t };
    Object.defineProperty(copy, "params", {
      get() {
        throw new TypeError("unreadable params");
      },
    });
    return copy;
  });
  assert.throws(() => studyImportance(broken), /unreadable params/);
});
