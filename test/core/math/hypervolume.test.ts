import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { defaultReferencePoint, hypervolume, hypervolumeContributions } from "../../../core/math/hypervolume.js";
import { Rng } from "../../../core/rng.js";

type Points = number[][];

/**
 * The volume of the union of the boxes [p, reference], cell by cell on the grid of
 * every point's coordinates: exact on integers.
 */
function gridVolume(points: Points, reference: number[]): number {
  const inside = points.filter((p) => p.every((v, j) => v < reference[j]));
  const axes = reference.map((r, j) => [...new Set([...inside.map((p) => p[j]), r])].sort((a, b) => a - b));
  const sum = (j: number, covering: Points, size: number): number => {
    if (covering.length === 0) return 0;
    if (j === reference.length) return size;
    let total = 0;
    for (let t = 0; t + 1 < axes[j].length; t++) {
      const low = axes[j][t];
      total += sum(
        j + 1,
        covering.filter((p) => p[j] <= low),
        size * (axes[j][t + 1] - low),
      );
    }
    return total;
  };
  return sum(0, inside, 1);
}

function integerPoints(rng: Rng, n: number, objectives: number, high: number): Points {
  return Array.from({ length: n }, () => Array.from({ length: objectives }, () => rng.integer(0, high)));
}

/** Points on DTLZ2's front (odd seeds) or uniform in the unit cube (even seeds). */
function realPoints(seed: number, n: number, objectives: number): Points {
  const rng = new Rng(seed);
  if (seed % 2) return spherePoints(rng, n, objectives);
  return Array.from({ length: n }, () => Array.from({ length: objectives }, () => rng.random()));
}

function withoutPoint(points: Points, i: number): Points {
  return points.filter((_, j) => j !== i);
}

/** Points on the unit sphere in the positive orthant (DTLZ2's front): none dominates another. */
function spherePoints(rng: Rng, n: number, objectives: number): Points {
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: objectives }, () => Math.abs(rng.normal()));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function close(actual: number, expected: number, message: string, rel = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${message}: ${actual} vs ${expected}`);
}

test("hypervolume of simple sets: a box, a line, a staircase", () => {
  assert.equal(hypervolume([[1, 2, 3]], [2, 4, 7]), 1 * 2 * 4);
  assert.equal(hypervolume([[0, 0, 0, 0, 0]], [1, 2, 3, 4, 5]), 120);
  assert.equal(hypervolume([[3], [1], [2]], [5]), 4);
  assert.equal(
    hypervolume(
      [
        [1, 3],
        [2, 2],
        [3, 1],
      ],
      [4, 4],
    ),
    6,
  );
  assert.equal(hypervolume([], [1, 1]), 0);
});

test("points not strictly better than the reference everywhere are ignored, +Infinity included", () => {
  const reference = [4, 4, 4];
  const points = [[1, 1, 1]];
  const outside = [
    [0, 0, 4],
    [5, 0, 0],
    [0, Infinity, 0],
  ];
  assert.equal(hypervolume([...points, ...outside], reference), 27);
  assert.equal(hypervolume(outside, reference), 0);
});

test("hypervolume is exact on integer points, against the grid of cells, for 1 to 5 objectives", () => {
  for (let seed = 1; seed <= 250; seed++) {
    const rng = new Rng(seed);
    const objectives = 1 + (seed % 5);
    const n = rng.integer(0, objectives >= 4 ? 9 : 14);
    const points = integerPoints(rng, n, objectives, 6);
    if (n > 0 && seed % 4 === 0) points.push([...points[0]]); // a copy
    const reference = Array.from({ length: objectives }, () => rng.integer(4, 7));
    assert.equal(hypervolume(points, reference), gridVolume(points, reference), `seed ${seed}, ${objectives} objectives`);
  }
});

test("hypervolume agrees with the grid of cells on real points and on larger sets", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const objectives = 2 + (seed % 4);
    const points = realPoints(seed, [60, 40, 18, 9][objectives - 2], objectives);
    const reference = Array.from({ length: objectives }, () => 1.1);
    close(hypervolume(points, reference), gridVolume(points, reference), `seed ${seed}, ${objectives} objectives`);
  }
});

test("hypervolume is unchanged by the order of objectives and points, and scales with them", () => {
  const rng = new Rng(7);
  for (const objectives of [3, 4, 5]) {
    const points = spherePoints(rng, objectives === 3 ? 500 : 60, objectives);
    const reference = Array.from({ length: objectives }, () => 1.2);
    const value = hypervolume(points, reference);
    const rotate = (p: number[]) => [...p.slice(1), p[0]];
    close(hypervolume(points.map(rotate), rotate(reference)), value, `${objectives} objectives rotated`);
    close(hypervolume(rng.shuffle([...points]), reference), value, `${objectives} objectives shuffled`);
    const scales = Array.from({ length: objectives }, (_, j) => 2 ** (j - 1));
    const scaled = (p: number[]) => p.map((v, j) => v * scales[j] - j);
    close(hypervolume(points.map(scaled), scaled(reference)), value * scales.reduce((a, b) => a * b), `${objectives} objectives scaled`);
    // A constant extra objective multiplies by its height, through the next algorithm up.
    close(
      hypervolume(
        points.map((p) => [...p, 0.5]),
        [...reference, 3],
      ),
      value * 2.5,
      `${objectives} objectives and a constant one`,
    );
  }
});

test("hypervolume of sampled fronts approaches the area under them (ZDT1, DTLZ2)", () => {
  // ZDT1's front f2 = 1 − √f1: with reference (1, 1) the dominated area tends to 2/3 from below.
  const n = 1000;
  const zdt1 = Array.from({ length: n }, (_, i) => [i / (n - 1), 1 - Math.sqrt(i / (n - 1))]);
  const staircase = zdt1.slice(0, -1).reduce((sum, [x, y], i) => sum + (zdt1[i + 1][0] - x) * (1 - y), 0);
  close(hypervolume(zdt1, [1, 1]), staircase, "ZDT1 staircase");
  assert.ok(2 / 3 - 1e-3 < staircase && staircase < 2 / 3);
  // DTLZ2's front is the unit sphere: the cube (1, 1, 1) less an eighth of the ball, 1 − π/6.
  const dtlz2 = hypervolume(spherePoints(new Rng(3), 4000, 3), [1, 1, 1]);
  assert.ok(1 - Math.PI / 6 - 0.02 < dtlz2 && dtlz2 < 1 - Math.PI / 6, `DTLZ2 ${dtlz2}`);
});

test("hypervolumeContributions are the differences of hypervolumes, exactly on integers", () => {
  for (let seed = 1; seed <= 250; seed++) {
    const rng = new Rng(seed);
    const objectives = 1 + (seed % 5);
    const points = integerPoints(rng, rng.integer(0, 12), objectives, 5);
    if (points.length > 0 && seed % 3 === 0) points.push([...rng.choice(points)]);
    const reference = Array.from({ length: objectives }, () => rng.integer(3, 6));
    const total = gridVolume(points, reference);
    const expected = points.map((_, i) => total - gridVolume(withoutPoint(points, i), reference));
    assert.deepEqual([...hypervolumeContributions(points, reference)], expected, `seed ${seed}, ${objectives} objectives`);
  }
});

test("hypervolumeContributions match hypervolume differences on real points", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const objectives = 2 + (seed % 4);
    const points = realPoints(seed, [200, 80, 30, 15][objectives - 2], objectives);
    const reference = Array.from({ length: objectives }, () => 1.05);
    const total = hypervolume(points, reference);
    const contributions = hypervolumeContributions(points, reference);
    points.forEach((_, i) => {
      close(contributions[i], total - hypervolume(withoutPoint(points, i), reference), `seed ${seed}, point ${i}`, 1e-9);
    });
  }
});

test("hypervolumeContributions: copies and dominated points contribute 0", () => {
  const points = [
    [1, 3],
    [1, 3],
    [2, 2],
    [3, 1],
    [3, 3],
  ];
  assert.deepEqual([...hypervolumeContributions(points, [4, 4])], [0, 0, 1, 1, 0]);
  assert.deepEqual([...hypervolumeContributions([[1, 1, 1]], [2, 3, 4])], [6]);
  for (const objectives of [3, 4, 5]) {
    const front = spherePoints(new Rng(objectives), 12, objectives);
    const contributions = hypervolumeContributions([...front, front[5]], Array(objectives).fill(1.1));
    assert.equal(contributions[5], 0, `a copy among ${objectives}-objective real points`);
    assert.equal(contributions[12], 0);
  }
  assert.deepEqual([...hypervolumeContributions([[1], [1], [2]], [3])], [0, 0, 0]);
  assert.deepEqual([...hypervolumeContributions([[1], [2]], [3])], [1, 0]);
});

test("defaultReferencePoint: the worst value plus a tenth of the range", () => {
  assert.deepEqual(
    defaultReferencePoint([
      [0, 10],
      [5, -10],
    ]),
    [5.5, 12],
  );
  // A range of 0: a tenth of the worst value's magnitude, or 1 at 0.
  assert.deepEqual(defaultReferencePoint([[2, -5, 0]]), [2.2, -4.5, 1]);
  // Always strictly above the worst value, even where the margin would round away.
  const [bound] = defaultReferencePoint([[2 ** 53], [2 ** 53 - 1]]);
  assert.ok(bound > 2 ** 53);
  for (let seed = 1; seed <= 20; seed++) {
    const points = spherePoints(new Rng(seed), 1 + (seed % 5), 3);
    const reference = defaultReferencePoint(points);
    assert.ok(
      points.every((p) => p.every((v, j) => v < reference[j])),
      `seed ${seed}`,
    );
    assert.ok(
      hypervolumeContributions(points, reference).every((c) => c > 0),
      `seed ${seed}: every point contributes`,
    );
  }
});

test("hypervolume and defaultReferencePoint name a bad value and the fix", () => {
  const check = (run: () => unknown, pattern: RegExp) =>
    assert.throws(run, (error: Error) => {
      assert.ok(error instanceof ValueError, error.message);
      assert.match(error.message, pattern);
      return true;
    });
  check(
    () => hypervolume([[1, 1]], [2, Number.NaN]),
    /referencePoint must be a non-empty array of finite numbers, got \[2,null\]; give the worst acceptable value/,
  );
  check(() => hypervolume([[1, 1]], [Infinity, 2]), /referencePoint must be a non-empty array of finite numbers/);
  check(() => hypervolume([], []), /referencePoint must be a non-empty array/);
  check(
    () =>
      hypervolume(
        [
          [1, 1],
          [1, 1, 1],
        ],
        [2, 2],
      ),
    /hypervolume: points\[1\] has 3 values but referencePoint has 2; give every point one value per objective/,
  );
  check(() => hypervolumeContributions([[1, Number.NaN]], [2, 2]), /hypervolumeContributions: points\[0\]\[1\] is NaN/);
  check(
    () =>
      hypervolume(
        [
          [0, 0],
          [-Infinity, 5],
        ],
        [2, 2],
      ),
    /points\[1\]\[0\] is -Infinity, which dominates an infinite volume; clip it to a finite value/,
  );
  check(() => defaultReferencePoint([]), /no points to derive a reference point from/);
  check(
    () => defaultReferencePoint([[1], [Infinity]]),
    /defaultReferencePoint: points\[1\]\[0\] is Infinity; drop it or give the reference point yourself/,
  );
  check(() => defaultReferencePoint([[Number.MAX_VALUE]]), /too close to the largest double to bound; rescale it/);
});
