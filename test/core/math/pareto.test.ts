import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { crowdingDistance, dominates, nonDominatedSort, paretoFrontIndices } from "../../../core/math/pareto.js";
import { Rng } from "../../../core/rng.js";

type Points = number[][];

/** Points with few distinct values (many ties and copies), or continuous ones, or copies of a few. */
function randomPoints(rng: Rng, n: number, objectives: number, kind: "integer" | "real" | "copies"): Points {
  const draw = () => Array.from({ length: objectives }, () => (kind === "real" ? rng.normal() : rng.integer(0, 4)));
  if (kind !== "copies") return Array.from({ length: n }, draw);
  const originals = Array.from({ length: 1 + rng.integer(0, 3) }, draw);
  return Array.from({ length: n }, () => [...rng.choice(originals)]);
}

function bruteFront(points: Points, among: number[] = points.map((_, i) => i)): number[] {
  return among.filter((i) => !among.some((j) => dominates(points[j], points[i])));
}

function bruteFronts(points: Points): number[][] {
  const fronts: number[][] = [];
  let left = points.map((_, i) => i);
  while (left.length > 0) {
    const front = bruteFront(points, left);
    fronts.push(front);
    left = left.filter((i) => !front.includes(i));
  }
  return fronts;
}

const KINDS = ["integer", "real", "copies"] as const;

/** Runs `check` on `count` seeded sets of up to `maxSize` points, 1 to 5 objectives, every kind in turn. */
function forRandomSets(count: number, maxSize: number, check: (points: Points, label: string) => void): void {
  for (let seed = 1; seed <= count; seed++) {
    const rng = new Rng(seed);
    const objectives = 1 + (seed % 5);
    check(randomPoints(rng, rng.integer(0, maxSize), objectives, KINDS[seed % 3]), `seed ${seed}, ${objectives} objectives`);
  }
}

test("dominates: no worse everywhere and better somewhere", () => {
  assert.equal(dominates([1, 2], [2, 2]), true);
  assert.equal(dominates([1, 2], [1, 2]), false, "a copy does not dominate");
  assert.equal(dominates([1, 3], [2, 2]), false);
  assert.equal(dominates([-Infinity, 0], [0, 0]), true);
  assert.equal(dominates([5], [6]), true);
});

test("paretoFrontIndices matches the O(n²) definition, copies and ties included", () => {
  forRandomSets(300, 40, (points, label) => assert.deepEqual(paretoFrontIndices(points), bruteFront(points), label));
  // Large two-objective sets go through the staircase check only.
  for (let seed = 1; seed <= 20; seed++) {
    const rng = new Rng(seed);
    const points = randomPoints(rng, 400, 2, seed % 2 ? "integer" : "real");
    assert.deepEqual(paretoFrontIndices(points), bruteFront(points), `seed ${seed}, 400 points`);
  }
});

test("paretoFrontIndices keeps every copy of a non-dominated point and takes infinities", () => {
  assert.deepEqual(
    paretoFrontIndices([
      [1, 2],
      [2, 1],
      [1, 2],
      [2, 2],
    ]),
    [0, 1, 2],
  );
  assert.deepEqual(paretoFrontIndices([[3], [1], [2], [1]]), [1, 3]);
  assert.deepEqual(
    paretoFrontIndices([
      [Infinity, 0, 0],
      [0, Infinity, 0],
      [1, 1, 1],
      [Infinity, Infinity, Infinity],
      [-Infinity, 5, 5],
    ]),
    [0, 1, 2, 4],
  );
  assert.deepEqual(paretoFrontIndices([]), []);
});

test("nonDominatedSort ranks as peeling front after front does", () => {
  forRandomSets(300, 60, (points, label) => assert.deepEqual(nonDominatedSort(points), bruteFronts(points), label));
  for (let seed = 1; seed <= 10; seed++) {
    const rng = new Rng(seed);
    const points = randomPoints(rng, 300, 2 + (seed % 2), "real");
    assert.deepEqual(nonDominatedSort(points), bruteFronts(points), `seed ${seed}, 300 points`);
  }
});

test("nonDominatedSort with maxCount stops at the front that reaches it", () => {
  const points = [
    [0, 0],
    [1, 2],
    [2, 1],
    [3, 3],
    [4, 4],
    [1, 2],
  ];
  assert.deepEqual(nonDominatedSort(points), [[0], [1, 2, 5], [3], [4]]);
  assert.deepEqual(nonDominatedSort(points, 1), [[0]]);
  assert.deepEqual(nonDominatedSort(points, 2), [[0], [1, 2, 5]]);
  assert.deepEqual(nonDominatedSort(points, 4), [[0], [1, 2, 5]]);
  assert.deepEqual(nonDominatedSort(points, 5), [[0], [1, 2, 5], [3]]);
  assert.deepEqual(nonDominatedSort(points, 0), []);
  assert.deepEqual(nonDominatedSort(points, 100), nonDominatedSort(points));
});

test("crowdingDistance: neighbours' gaps over each range, ends Infinity", () => {
  const points = [
    [0, 4],
    [1, 2],
    [2, 1],
    [4, 0],
  ];
  assert.deepEqual([...crowdingDistance(points, [0, 1, 2, 3])], [Infinity, 0.5 + 0.75, 0.75 + 0.5, Infinity]);
  assert.deepEqual([...crowdingDistance(points, [2, 1])], [Infinity, Infinity], "in the order of the front");
  assert.deepEqual([...crowdingDistance(points, [3])], [0], "a lone point has no range");
  assert.deepEqual([...crowdingDistance(points, [])], []);
  // The second objective has range 0: it adds nothing, not even the ends' Infinity.
  const flat = [
    [0, 7],
    [1, 7],
    [3, 7],
    [4, 7],
  ];
  assert.deepEqual([...crowdingDistance(flat, [0, 1, 2, 3])], [Infinity, 0.75, 0.75, Infinity]);
  assert.deepEqual(
    [
      ...crowdingDistance(
        [
          [1, 1],
          [1, 1],
          [1, 1],
        ],
        [0, 1, 2],
      ),
    ],
    [0, 0, 0],
  );
  // Infinite values: a finite gap over an infinite range is 0, an infinite one Infinity.
  const infinite = [[0], [1], [2], [Infinity]];
  assert.deepEqual([...crowdingDistance(infinite, [0, 1, 2, 3])], [Infinity, 0, Infinity, Infinity]);
});

test("crowdingDistance matches the definition on distinct values", () => {
  for (let seed = 1; seed <= 50; seed++) {
    const rng = new Rng(seed);
    const objectives = 1 + (seed % 4);
    const points = randomPoints(rng, 3 + rng.integer(0, 20), objectives, "real");
    const front = rng.shuffle(points.map((_, i) => i)).slice(0, 2 + rng.integer(0, points.length - 2));
    const expected = front.map((i) => {
      let distance = 0;
      for (let j = 0; j < objectives; j++) {
        const values = front.map((k) => points[k][j]);
        const lowest = Math.min(...values);
        const highest = Math.max(...values);
        const v = points[i][j];
        if (v === lowest || v === highest) return Infinity;
        const above = Math.min(...values.filter((w) => w > v));
        const below = Math.max(...values.filter((w) => w < v));
        distance += (above - below) / (highest - lowest);
      }
      return distance;
    });
    const actual = crowdingDistance(points, front);
    expected.forEach((value, k) => {
      assert.ok(value === actual[k] || Math.abs(value - actual[k]) <= 1e-12 * value, `seed ${seed}: ${actual[k]} vs ${value}`);
    });
  }
});

test("the Pareto functions name a bad value and the fix", () => {
  assert.throws(
    () => paretoFrontIndices([[1, 2], [1]]),
    (error: Error) => {
      assert.ok(error instanceof ValueError);
      assert.match(error.message, /points\[1\] has 1 values but points\[0\] has 2; give every point one value per objective/);
      return true;
    },
  );
  assert.throws(
    () =>
      nonDominatedSort([
        [1, 2],
        [Number.NaN, 0],
      ]),
    /nonDominatedSort: points\[1\]\[0\] is NaN/,
  );
  assert.throws(() => nonDominatedSort([[1]], 1.5), /maxCount must be a non-negative integer, got 1.5/);
  assert.throws(() => nonDominatedSort([[1]], -1), ValueError);
  assert.throws(() => crowdingDistance([[1], [2]], [0, 2]), /crowdingDistance: front holds 2, which is not an index into the 2 points/);
  assert.throws(() => paretoFrontIndices([[1], "2" as unknown as number[]]), /points\[1\] must be an array of numbers, got "2"/);
});
