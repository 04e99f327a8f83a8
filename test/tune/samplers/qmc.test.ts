import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MAX_SEED } from "../../../core/rng.js";
import { HaltonSequence, QMCSampler, SobolSequence } from "../../../tune/samplers/qmc.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import { LoopStudy } from "./tpe-loop.js";

/*
 * Reference points of the unscrambled Sobol sequence (Joe–Kuo new-joe-kuo-6.21201
 * direction numbers), computed with SciPy 1.10.1:
 *   scipy.stats.qmc.Sobol(d=3, scramble=False).random(8)
 *   Sobol(d=1024, scramble=False) after fast_forward(1000), random(2), columns [0,1,2,9,99,511,1023]
 *   Sobol(d=1024, scramble=False) after fast_forward(100000), random(1), same columns
 */
const SOBOL_D3_FIRST8 = [
  [0.0, 0.0, 0.0],
  [0.5, 0.5, 0.5],
  [0.75, 0.25, 0.25],
  [0.25, 0.75, 0.75],
  [0.375, 0.375, 0.625],
  [0.875, 0.875, 0.125],
  [0.625, 0.125, 0.875],
  [0.125, 0.625, 0.375],
];
const SOBOL_COLUMNS = [0, 1, 2, 9, 99, 511, 1023];
const SOBOL_D1024: Array<[number, number[]]> = [
  [1000, [0.2197265625, 0.0966796875, 0.5185546875, 0.0693359375, 0.1865234375, 0.3955078125, 0.7138671875]],
  [1001, [0.7197265625, 0.5966796875, 0.0185546875, 0.5693359375, 0.6865234375, 0.8955078125, 0.2138671875]],
  [
    100000,
    [
      0.06107330322265625, 0.10758209228515625, 0.9435806274414062, 0.7699661254882812, 0.5127182006835938, 0.46952056884765625,
      0.38871002197265625,
    ],
  ],
];

test("unscrambled Sobol points match the published direction-number sequence", () => {
  const small = new SobolSequence(3, { scramble: false });
  const out = new Float64Array(3);
  SOBOL_D3_FIRST8.forEach((expected, i) => {
    small.point(i, out);
    assert.deepEqual([...out], expected, `point ${i}`);
  });
  const wide = new SobolSequence(1024, { scramble: false });
  const point = new Float64Array(1024);
  for (const [index, expected] of SOBOL_D1024) {
    wide.point(index, point);
    assert.deepEqual(
      SOBOL_COLUMNS.map((c) => point[c]),
      expected,
      `point ${index}`,
    );
  }
});

test("unscrambled Halton is the radical inverse in prime bases", () => {
  const h = new HaltonSequence(3, { scramble: false });
  const out = new Float64Array(3);
  h.point(5, out); // 5 = 101₂ = 12₃ = 10₅
  assert.ok(Math.abs(out[0] - 5 / 8) < 1e-15);
  assert.ok(Math.abs(out[1] - 7 / 9) < 1e-15);
  assert.ok(Math.abs(out[2] - 1 / 25) < 1e-15);
});

/** How many of the 2^m equal cells of each coordinate the first 2^m points hit (all of them, for a (t, s)-sequence). */
function cellsHit(seq: SobolSequence | HaltonSequence, m: number): number[] {
  const n = 2 ** m;
  const hits = Array.from({ length: seq.dimension }, () => new Set<number>());
  const out = new Float64Array(seq.dimension);
  for (let i = 0; i < n; i++) {
    seq.point(i, out);
    out.forEach((u, d) => {
      hits[d].add(Math.floor(u * n));
    });
  }
  return hits.map((s) => s.size);
}

test("scrambled Sobol keeps the stratification: 2^m points fill the 2^m cells of every dimension", () => {
  for (const seed of [1, 2, 3]) {
    const seq = new SobolSequence(20, { seed });
    assert.deepEqual(cellsHit(seq, 6), Array(20).fill(64));
  }
  // Scrambling changes the points, and the seed fixes them.
  const a = new Float64Array(4);
  const b = new Float64Array(4);
  new SobolSequence(4, { seed: 7 }).point(3, a);
  new SobolSequence(4, { seed: 7 }).point(3, b);
  assert.deepEqual(a, b);
  new SobolSequence(4, { seed: 8 }).point(3, b);
  assert.notDeepEqual(a, b);
});

test("scrambled Halton stays in [0, 1) and differs by seed", () => {
  const seq = new HaltonSequence(30, { seed: 3 });
  const out = new Float64Array(30);
  for (let i = 0; i < 200; i++) {
    seq.point(i, out);
    for (const u of out) assert.ok(u >= 0 && u < 1);
  }
  const other = new Float64Array(30);
  new HaltonSequence(30, { seed: 4 }).point(10, other);
  seq.point(10, out);
  assert.notDeepEqual(out, other);
});

test("QMCSampler values always lie inside random spaces (log, step, int, categorical)", () => {
  const param = fc.oneof(
    fc.record({
      kind: fc.constant("float" as const),
      low: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      width: fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
      log: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("step" as const),
      low: fc.integer({ min: -50, max: 50 }),
      cells: fc.integer({ min: 1, max: 40 }),
      step: fc.constantFrom(0.1, 0.25, 0.5, 2),
    }),
    fc.record({
      kind: fc.constant("int" as const),
      low: fc.integer({ min: 1, max: 100 }),
      width: fc.integer({ min: 0, max: 1000 }),
      log: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("cat" as const), n: fc.integer({ min: 1, max: 7 }) }),
  );
  fc.assert(
    fc.property(
      fc.array(param, { minLength: 1, maxLength: 5 }),
      fc.constantFrom<"sobol" | "halton">("sobol", "halton"),
      fc.nat({ max: MAX_SEED }),
      (params, qmcType, seed) => {
        const study = new LoopStudy(new QMCSampler({ qmcType, seed }));
        // LoopStudy throws if a value falls outside its distribution.
        study.optimize((trial) => {
          params.forEach((p, j) => {
            const name = `p${j}`;
            if (p.kind === "float") {
              const low = p.log ? Math.abs(p.low) + 1e-3 : p.low;
              trial.suggestFloat(name, low, low + p.width, { log: p.log });
            } else if (p.kind === "step") {
              trial.suggestFloat(name, p.low, p.low + p.cells * p.step, { step: p.step });
            } else if (p.kind === "int") {
              trial.suggestInt(name, p.low, p.low + p.width, { log: p.log });
            } else {
              trial.suggestCategorical(
                name,
                Array.from({ length: p.n }, (_, i) => `c${i}`),
              );
            }
          });
          return 0;
        }, 12);
      },
    ),
    { numRuns: 60 },
  );
});

test("QMCSampler spreads trials evenly over the space", () => {
  const study = new LoopStudy(new QMCSampler({ seed: 11 }));
  study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("k", 0, 7) + (t.suggestCategorical("c", ["a", "b"]) === "a" ? 0 : 1), 33);
  // Trials 1..32 are Sobol points 1..32: with point 0 they would fill 32 equal cells of x;
  // without it at most one cell is missed, and each k value appears 4 times ± 1.
  const params = study.records.slice(1).map((r) => r.params);
  const cells = new Set(params.map((p) => Math.floor((p.x as number) * 32)));
  assert.ok(cells.size >= 31, `x covered ${cells.size} of 32 cells`);
  const counts = Array(8).fill(0);
  for (const p of params) counts[p.k as number]++;
  for (const c of counts) assert.ok(c >= 3 && c <= 5, `int counts ${counts}`);
});

test("QMCSampler covers the space better than random search (largest empty gap in 2-D)", () => {
  const gap = (sampler: QMCSampler | RandomSampler) => {
    const study = new LoopStudy(sampler);
    study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1), 64);
    const points = study.records.map((r) => [r.params.x as number, r.params.y as number]);
    // The largest distance from a grid probe to its nearest trial: small when nothing is left uncovered.
    let worst = 0;
    for (let i = 0; i <= 40; i++) {
      for (let j = 0; j <= 40; j++) {
        let nearest = Infinity;
        for (const [x, y] of points) nearest = Math.min(nearest, Math.hypot(x - i / 40, y - j / 40));
        worst = Math.max(worst, nearest);
      }
    }
    return worst;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const seeds = [1, 2, 3, 4, 5];
  const qmc = median(seeds.map((seed) => gap(new QMCSampler({ seed }))));
  const random = median(seeds.map((seed) => gap(new RandomSampler({ seed }))));
  assert.ok(qmc < random, `qmc gap ${qmc} vs random ${random}`);
});

test("QMCSampler rejects bad options with a hint", () => {
  assert.throws(() => new QMCSampler({ qmcType: "lhs" as "sobol" }), /qmcType must be "sobol" or "halton"/);
  assert.throws(() => new QMCSampler({ scrambel: true } as never), /Did you mean "scramble"/);
});
