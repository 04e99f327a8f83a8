import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { SuccessiveHalvingPruner } from "../../../tune/pruners/successive-halving.js";
import { trial, view } from "./helpers.js";

// minResource 1, η = 2: rungs end at steps 1, 2, 4, 8, …
const halving = () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });

test("at a rung, a trial goes on only if it is in the top 1/η of the values there", () => {
  // Values at step 1 of four earlier trials: 5, 3, 8, 1.
  const done = [5, 3, 8, 1].map((v, i) => trial(i, "COMPLETE", [9, v, v]));
  // With the trial, n = 5: the top ⌊5/2⌋ = 2 go on, i.e. values ≤ the 2nd smallest.
  const out = trial(4, "RUNNING", [9, 4]);
  assert.equal(halving().prune(view([...done, out]), out), true, "4 is not in {1, 3}");
  const kept = trial(4, "RUNNING", [9, 3]);
  assert.equal(halving().prune(view([...done, kept]), kept), false, "3 ties with the 2nd best");
  // For maximisation the top values go on.
  const high = trial(4, "RUNNING", [0, 5]);
  assert.equal(halving().prune(view([...done, high], "maximize"), high), false);
  const low = trial(4, "RUNNING", [0, 4]);
  assert.equal(halving().prune(view([...done, low], "maximize"), low), true);
});

test("before the first rung nothing is judged; while fewer than η trials reached a rung only the best goes on", () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 4 });
  const first = trial(0, "RUNNING", [100, 100]);
  assert.equal(pruner.prune(view([first]), first), false, "step 1 is before the rung at step 2");
  first.intermediateValues[2] = 100;
  assert.equal(pruner.prune(view([first]), first), false, "alone at the rung: the best");
  const done = trial(0, "COMPLETE", [100, 100, 100]);
  const second = trial(1, "RUNNING", [1, 1, 101]);
  assert.equal(pruner.prune(view([done, second]), second), true, "2 of 4 needed: must be the best");
  const better = trial(1, "RUNNING", [1, 1, 99]);
  assert.equal(pruner.prune(view([done, better]), better), false);
});

test("a trial judged at a rung is not judged there again", () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
  // Alone at the rung (step 1), the trial passed; then four better trials reached it,
  // and now the trial reports step 2.
  const current = trial(0, "RUNNING", [5, 5, 5]);
  const better = [1, 2, 3, 4].map((i) => trial(i, "RUNNING", [1, 1]));
  assert.equal(pruner.prune(view([...better, current]), current), false, "step 2 lies inside rung 1 (steps 1..4)");
  current.intermediateValues[4] = 5;
  assert.equal(pruner.prune(view([...better, current]), current), false, "rung 1 at step 4: only trials that reached step 4 compete");
  // A trial arriving at step 1 now, with the same value, is compared with all of them.
  const fresh = trial(5, "RUNNING", [5, 5]);
  assert.equal(pruner.prune(view([...better, current, fresh]), fresh), true);
});

test("another trial's rung value is its report at the first step at or after the rung", () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2 });
  // Trial 0 reported at steps 0 and 3 only: its value at the rung ending at step 2 is 1 (from step 3).
  const sparse = trial(0, "COMPLETE", { 0: 50, 3: 1 });
  const current = trial(1, "RUNNING", [50, 50, 2]);
  assert.equal(pruner.prune(view([sparse, current]), current), true, "2 loses to 1 with n = 2, η = 2");
  const early = trial(0, "COMPLETE", { 0: 50, 2: 3, 3: 1 });
  assert.equal(pruner.prune(view([early, current]), current), false, "2 beats 3 reported at step 2");
});

test("a report jumping over several rungs is judged at each, with its value", () => {
  const pruner = halving();
  // Others' values at steps 1, 2, 4 and 8.
  const done = [trial(0, "COMPLETE", { 1: 3, 2: 3, 4: 3, 8: 3 }), trial(1, "COMPLETE", { 1: 5, 2: 5, 4: 5, 8: 2 })];
  const jump = trial(2, "RUNNING", { 0: 9, 8: 2.5 });
  // Rung 1..3 (steps 1, 2, 4): 2.5 is the best of 3; rung at step 8: values 3, 2, 2.5 → top 1 is 2.
  assert.equal(pruner.prune(view([...done, jump]), jump), true);
  const best = trial(2, "RUNNING", { 0: 9, 8: 1.5 });
  assert.equal(pruner.prune(view([...done, best]), best), false);
});

test("NaN at a rung prunes; a NaN before the first rung does not", () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 3, reductionFactor: 2 });
  const early = trial(0, "RUNNING", [NaN]);
  assert.equal(pruner.prune(view([early]), early), false);
  const atRung = trial(0, "RUNNING", [1, 1, 1, NaN]);
  assert.equal(pruner.prune(view([atRung]), atRung), true);
  // Others' NaN at a rung do not compete (they stopped there).
  const others = [trial(1, "PRUNED", [1, 1, 1, NaN]), trial(2, "PRUNED", [1, 1, 1, NaN])];
  const current = trial(3, "RUNNING", [1, 1, 1, 7]);
  assert.equal(pruner.prune(view([...others, current]), current), false, "alone at the rung");
});

test("minEarlyStoppingRate moves the first rung to minResource·η^s", () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 2 });
  assert.equal(pruner.rungStep(0), 9);
  assert.equal(pruner.rungStep(1), 27);
  const best = trial(
    0,
    "COMPLETE",
    Array.from({ length: 30 }, () => 0),
  );
  const current = trial(
    1,
    "RUNNING",
    Array.from({ length: 9 }, () => 1),
  );
  assert.equal(pruner.prune(view([best, current]), current), false, "step 8 is before the rung at 9");
  current.intermediateValues[9] = 1;
  assert.equal(pruner.prune(view([best, current]), current), true);
});

test("bootstrapCount: a trial is pruned while no more than that many trials reached the rung", () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 2 });
  const first = trial(0, "RUNNING", [0, 0]);
  assert.equal(pruner.prune(view([first]), first), true, "1 ≤ 2");
  const second = trial(1, "RUNNING", [0, 0]);
  assert.equal(pruner.prune(view([trial(0, "PRUNED", [0, 0]), second]), second), true, "2 ≤ 2");
  const third = trial(2, "RUNNING", [0, 0]);
  assert.equal(pruner.prune(view([trial(0, "PRUNED", [0, 1]), trial(1, "PRUNED", [0, 2]), third]), third), false, "3 > 2, and the best");
});

test('minResource "auto": estimated once from the first COMPLETE trials (last step / 100, at least 1)', () => {
  const pruner = new SuccessiveHalvingPruner({ reductionFactor: 2 });
  const running = trial(0, "RUNNING", [5, 5, 5]);
  assert.equal(pruner.prune(view([running]), running), false);
  assert.equal(pruner.minResource, null, "nothing COMPLETE yet");
  const long = trial(0, "COMPLETE", Object.fromEntries(Array.from({ length: 251 }, (_, k) => [k, 1])));
  const current = trial(1, "RUNNING", [5, 5]);
  assert.equal(pruner.prune(view([long, current]), current), false, "step 1 < the rung at 2");
  assert.equal(pruner.minResource, 2, "⌊250 / 100⌋");
  current.intermediateValues[2] = 5;
  // Trials that ran before the estimate count at the rungs they reached (here trial 0 with 1).
  assert.equal(pruner.prune(view([long, current]), current), true);
  // The estimate stays put as longer trials complete.
  const longer = trial(2, "COMPLETE", Object.fromEntries(Array.from({ length: 901 }, (_, k) => [k, 1])));
  pruner.prune(view([long, longer, current]), current);
  assert.equal(pruner.minResource, 2);
});

test("bad options are rejected where the pruner is built", () => {
  assert.throws(
    () => new SuccessiveHalvingPruner({ minResource: 0 }),
    (e: Error) => e instanceof ValueError && /minResource/.test(e.message) && /0/.test(e.message),
  );
  assert.throws(() => new SuccessiveHalvingPruner({ minResource: "fast" as never }), /"fast"/);
  assert.throws(() => new SuccessiveHalvingPruner({ minResource: 1.5 }), /1\.5/);
  assert.throws(() => new SuccessiveHalvingPruner({ reductionFactor: 1 }), /reductionFactor.*≥ 2/);
  assert.throws(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 }), /minEarlyStoppingRate/);
  assert.throws(() => new SuccessiveHalvingPruner({ bootstrapCount: 2 }), /needs a numeric minResource/);
  assert.throws(() => new SuccessiveHalvingPruner({ reductionFactr: 3 } as never), /Did you mean "reductionFactor"/);
});
