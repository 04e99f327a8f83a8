import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { TunebookError, ValueError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import {
  CategoricalDistribution,
  containsExternal,
  type Distribution,
  distributionFromJson,
  FloatDistribution,
  IntDistribution,
} from "../../tune/distributions.js";
import { sampleUniform } from "../../tune/samplers/random.js";

/** Asserts a ValueError (a TunebookError) whose message contains every fragment. */
function rejects(build: () => unknown, ...fragments: string[]): void {
  assert.throws(build, (e: Error) => {
    assert.ok(e instanceof ValueError && e instanceof TunebookError, `expected ValueError, got ${e}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

describe("distribution validation", () => {
  it("rejects low > high, naming both", () => rejects(() => new FloatDistribution(3, 1), "low (3)", "high (1)"));
  it("rejects log with low <= 0", () => {
    rejects(() => new FloatDistribution(0, 1, { log: true }), "low=0");
    rejects(() => new IntDistribution(-2, 5, { log: true }), "low=-2");
  });
  it("rejects a step that does not divide the range, proposing a high that fits", () => {
    rejects(() => new FloatDistribution(0, 1, { step: 0.3 }), "step 0.3", "[0, 1]", "high=0.9");
    rejects(() => new IntDistribution(1, 10, { step: 4 }), "step 4", "high=9");
  });
  it("rejects bad steps", () => {
    rejects(() => new FloatDistribution(0, 1, { step: 0 }), "step must be a positive", "0");
    rejects(() => new IntDistribution(0, 10, { step: 1.5 }), "1.5");
    rejects(() => new FloatDistribution(1, 10, { step: 1, log: true }), "cannot be combined");
  });
  it("rejects non-finite bounds and non-integer int bounds", () => {
    rejects(() => new FloatDistribution(0, Infinity), "Infinity");
    rejects(() => new FloatDistribution(NaN, 1), "NaN");
    rejects(() => new FloatDistribution("0" as never, 1), '"0"');
    rejects(() => new IntDistribution(0.5, 3), "0.5");
  });
  it("rejects empty, duplicated or non-scalar choices", () => {
    rejects(() => new CategoricalDistribution([]), "empty");
    rejects(() => new CategoricalDistribution(["a", "a"]), '"a"', "twice");
    rejects(() => new CategoricalDistribution([{ a: 1 }] as never), '{"a":1}');
  });
  it("accepts strings, numbers, booleans and null as choices, and round-trips through JSON", () => {
    const d = new CategoricalDistribution(["a", 1, true, null]);
    for (const [i, c] of d.choices.entries()) {
      assert.equal(d.toInternal(c), i);
      assert.equal(d.toExternal(i), c);
    }
    for (const x of [d, new FloatDistribution(1e-3, 1, { log: true }), new IntDistribution(0, 12, { step: 3 })]) {
      assert.deepEqual(distributionFromJson(JSON.parse(JSON.stringify(x.toJson()))).toJson(), x.toJson());
    }
  });
});

const arbitraryDistribution: fc.Arbitrary<Distribution> = fc.oneof(
  fc
    .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }))
    .map(([low, width]) => new FloatDistribution(low, low + width)),
  fc
    .tuple(fc.double({ min: 1e-10, max: 1e3, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }))
    .map(([low, factor]) => new FloatDistribution(low, low * factor, { log: true })),
  fc
    .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 7 }))
    .map(([low, k, q]) => new FloatDistribution(low / 8, low / 8 + (k * q) / 4, { step: q / 4 })),
  fc
    .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 9 }))
    .map(([low, k, step]) => new IntDistribution(low, low + k * step, { step })),
  fc
    .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 100000 }))
    .map(([low, width]) => new IntDistribution(low, low + width, { log: true })),
  fc
    .uniqueArray(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 8 })
    .map((choices) => new CategoricalDistribution(choices)),
);

describe("random sampling", () => {
  it("always lies inside the distribution (log, step, int, categorical)", () => {
    fc.assert(
      fc.property(arbitraryDistribution, fc.integer(), (d, seed) => {
        const rng = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const internal = sampleUniform(rng, d);
          assert.ok(d.contains(internal), `${internal} outside ${JSON.stringify(d.toJson())}`);
          assert.ok(containsExternal(d, d.toExternal(internal)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is reproducible per seed and differs across seeds", () => {
    const d = new FloatDistribution(0, 1);
    const draw = (seed: number) =>
      Array.from(
        { length: 10 },
        (
          (rng) => () =>
            sampleUniform(rng, d)
        )(new Rng(seed)),
      );
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it("covers a log range evenly in log space", () => {
    const d = new FloatDistribution(1e-6, 1, { log: true });
    const rng = new Rng(3);
    const below = Array.from({ length: 4000 }, () => sampleUniform(rng, d)).filter((x) => x < 1e-3).length;
    // Half the log-range lies below 1e-3: expect about 2000 of 4000 (5 sigma is ±160).
    assert.ok(Math.abs(below - 2000) < 160, `${below} of 4000 below 1e-3`);
  });
});
