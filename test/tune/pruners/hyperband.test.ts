import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { crc32 } from "../../../tune/pruners/crc32.js";
import { countBrackets, HyperbandPruner } from "../../../tune/pruners/hyperband.js";
import { trial, view } from "./helpers.js";

test("CRC-32 matches the standard check values", () => {
  assert.equal(crc32(""), 0);
  assert.equal(crc32("123456789"), 0xcbf43926);
  assert.equal(crc32("The quick brown fox jumps over the lazy dog"), 0x414fa339);
  // UTF-8 bytes, as Python's binascii.crc32("é".encode()).
  assert.equal(crc32("é"), 0x0e048d3e);
});

test("⌊log_η(max/min)⌋ + 1 brackets, exact at powers of η", () => {
  assert.equal(countBrackets(1, 27, 3), 4);
  assert.equal(countBrackets(1, 26, 3), 3);
  assert.equal(countBrackets(1, 81, 3), 5);
  assert.equal(countBrackets(1, 243, 3), 6);
  assert.equal(countBrackets(2, 40, 2), 5);
  assert.equal(countBrackets(3, 3, 2), 1);
  assert.equal(countBrackets(5, 4, 3), 0);
});

function hyperband27() {
  const pruner = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
  const current = trial(0, "RUNNING", []);
  pruner.prune(view([current]), current);
  return pruner;
}

test("trials spread over brackets in proportion to Hyperband's budgets", () => {
  const pruner = hyperband27();
  assert.equal(pruner.nBrackets, 4);
  // Budgets ⌈n·η^s/(s+1)⌉ for s = 3, 2, 1, 0: 27, 12, 6, 4 out of 49.
  const counts = [0, 0, 0, 0];
  const total = 4900;
  for (let n = 0; n < total; n++) counts[pruner.bracketOf("spread", n)!]++;
  [27, 12, 6, 4].forEach((budget, b) => {
    const expected = (total * budget) / 49;
    assert.ok(Math.abs(counts[b] - expected) < 0.15 * expected, `bracket ${b}: ${counts[b]} vs ${expected}`);
  });
  // The same study name and number always land in the same bracket.
  assert.equal(pruner.bracketOf("spread", 17), hyperband27().bracketOf("spread", 17));
});

/** Trial numbers of study `name` that fall in bracket `b` (or not). */
function numbersIn(pruner: HyperbandPruner, name: string, b: number, count: number, inside = true): number[] {
  const found: number[] = [];
  for (let n = 0; found.length < count; n++) if ((pruner.bracketOf(name, n) === b) === inside) found.push(n);
  return found;
}

test("a trial competes only with trials of its own bracket", () => {
  const pruner = hyperband27();
  const [currentNumber] = numbersIn(pruner, "iso", 0, 1);
  // Far better trials, all in other brackets: the trial is alone in its bracket's rung.
  const strangers = numbersIn(pruner, "iso", 0, 6, false).map((n) =>
    trial(
      n,
      "COMPLETE",
      Array.from({ length: 27 }, () => 0),
    ),
  );
  const current = trial(currentNumber, "RUNNING", [5, 5]);
  assert.equal(pruner.prune(view([...strangers, current], "minimize", "iso"), current), false);
  // The same trials in its bracket beat it.
  const rivals = numbersIn(pruner, "iso", 0, 7)
    .slice(1)
    .map((n) =>
      trial(
        n,
        "COMPLETE",
        Array.from({ length: 27 }, () => 0),
      ),
    );
  assert.equal(pruner.prune(view([...rivals, current], "minimize", "iso"), current), true);
});

test("bracket b first judges a trial at step minResource·η^b", () => {
  const pruner = hyperband27();
  const [currentNumber] = numbersIn(pruner, "late", 2, 1);
  const rivals = numbersIn(pruner, "late", 2, 4)
    .slice(1)
    .map((n) =>
      trial(
        n,
        "COMPLETE",
        Array.from({ length: 27 }, () => 0),
      ),
    );
  const current = trial(
    currentNumber,
    "RUNNING",
    Array.from({ length: 9 }, () => 5),
  );
  assert.equal(pruner.prune(view([...rivals, current], "minimize", "late"), current), false, "step 8 < 9");
  current.intermediateValues[9] = 5;
  assert.equal(pruner.prune(view([...rivals, current], "minimize", "late"), current), true);
});

test('maxResource "auto": nothing is pruned until a trial is COMPLETE, then its last step + 1', () => {
  const pruner = new HyperbandPruner();
  const running = trial(0, "RUNNING", [9, 9, 9, 9]);
  assert.equal(pruner.prune(view([running]), running), false);
  assert.equal(pruner.maxResource, null);
  assert.equal(pruner.nBrackets, null);
  const done = trial(
    0,
    "COMPLETE",
    Array.from({ length: 27 }, () => 1),
  );
  const current = trial(1, "RUNNING", [9]);
  pruner.prune(view([done, current]), current);
  assert.equal(pruner.maxResource, 27);
  assert.equal(pruner.nBrackets, 4);
});

test("bad options are rejected where the pruner is built", () => {
  assert.throws(
    () => new HyperbandPruner({ minResource: 0 }),
    (e: Error) => e instanceof ValueError && /minResource/.test(e.message),
  );
  assert.throws(() => new HyperbandPruner({ minResource: 10, maxResource: 5 }), /maxResource.*≥ minResource \(10\), got 5/);
  assert.throws(() => new HyperbandPruner({ maxResource: "max" as never }), /"max"/);
  assert.throws(() => new HyperbandPruner({ reductionFactor: 1.5 }), /reductionFactor/);
  assert.throws(() => new HyperbandPruner({ bootstrapCount: 1 }), /needs a numeric maxResource/);
  assert.throws(() => new HyperbandPruner({ maxResources: 9 } as never), /Did you mean "maxResource"/);
});
