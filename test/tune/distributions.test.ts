import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../core/errors.js";
import type { DistributionJson, ParamValue } from "../../core/records.js";
import { Rng } from "../../core/rng.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { createStudy } from "../../tune/create-study.js";
import {
  CategoricalDistribution,
  containsExternal,
  type Distribution,
  distributionFromJson,
  FloatDistribution,
  IntDistribution,
} from "../../tune/distributions.js";
import { setVerbosity } from "../../tune/log.js";
import { sampleUniform } from "../../tune/samplers/random.js";
import { SAMPLER_NAMES } from "../../tune/samplers/registry.js";
import { closeStorages } from "../../tune/storage.js";
import type { Trial } from "../../tune/trial.js";
import { rejects } from "./value-error.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-distributions-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

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
      fc.property(arbitraryDistribution, fc.nat({ max: 2 ** 32 - 1 }), (d, seed) => {
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

describe("ranges beyond what a number holds exactly", () => {
  const MAX = Number.MAX_SAFE_INTEGER;

  it("refuses a float range whose width overflows, naming both bounds", () => {
    rejects(() => new FloatDistribution(-1.7e308, 1.7e308), "-1.7e+308", "1.7e+308", "overflows");
    rejects(() => new FloatDistribution(-Number.MAX_VALUE, 1e300), String(-Number.MAX_VALUE), "1e+300", "overflows");
    // The widest allowed ranges still build.
    new FloatDistribution(-Number.MAX_VALUE / 2, Number.MAX_VALUE / 2);
    new FloatDistribution(Number.MIN_VALUE, Number.MAX_VALUE, { log: true });
  });

  it("refuses integer bounds and steps beyond Number.MAX_SAFE_INTEGER, naming the bound", () => {
    rejects(() => new IntDistribution(0, 2 ** 60), "high", "1152921504606847000", "MAX_SAFE_INTEGER");
    rejects(() => new IntDistribution(-(2 ** 53), 0), "low", "-9007199254740992", "MAX_SAFE_INTEGER");
    rejects(() => new IntDistribution(0, 0, { step: 2 ** 53 }), "step", "9007199254740992", "MAX_SAFE_INTEGER");
    rejects(() => new IntDistribution(1, 2 ** 60, { log: true }), "high", "1152921504606847000");
    rejects(() => new IntDistribution(-MAX, MAX), "[-9007199254740991, 9007199254740991]", "MAX_SAFE_INTEGER");
    new IntDistribution(0, MAX);
    new IntDistribution(-(2 ** 52) + 1, 2 ** 52);
    new IntDistribution(1, MAX, { log: true });
  });

  it("refuses a stepped float range with more grid points than a number counts exactly", () => {
    rejects(() => new FloatDistribution(0, 1, { step: Number.MIN_VALUE }), "step 5e-324", "[0, 1]");
    rejects(() => new FloatDistribution(0, 2 ** 60, { step: 1 }), "step 1", "1152921504606847000");
    new FloatDistribution(0, 2 ** 52, { step: 1 });
  });

  it("refuses them when read back from JSON (as stored by another program)", () => {
    const json = (low: number, high: number): DistributionJson => ({
      name: "IntDistribution",
      attributes: { low, high, log: false, step: 1 },
    });
    rejects(() => distributionFromJson(json(0, 2 ** 60)), "1152921504606847000");
    rejects(
      () => distributionFromJson({ name: "FloatDistribution", attributes: { low: -1.7e308, high: 1.7e308, log: false, step: null } }),
      "1.7e+308",
    );
  });

  it("suggestFloat and suggestInt refuse them naming the parameter, and store nothing for it", async () => {
    const url = `sqlite:${join(dir, "overflow.db")}`;
    const study = await createStudy({ storage: url, name: "overflow", sampler: "random", seed: 1 });
    const trial = await study.ask();
    assert.equal(trial.suggestFloat("kept", 0, 1), trial.params.kept);
    const refusals: [() => unknown, string[]][] = [
      [() => trial.suggestFloat("x", -1.7e308, 1.7e308), ['"x"', "1.7e+308"]],
      [() => trial.suggestInt("n", 0, 2 ** 60), ['"n"', "1152921504606847000"]],
      [() => trial.suggestInt("m", 0, 10, { step: 2 ** 53 }), ['"m"', "9007199254740992"]],
      [() => trial.suggestFloat("z", 5, 1), ['"z"', "low (5)"]],
    ];
    for (const [suggest, fragments] of refusals) rejects(suggest, ...fragments);
    await study.tell(trial, 1);
    const [stored] = await study.trials();
    assert.deepEqual(Object.keys(stored.params), ["kept"]);
    assert.deepEqual(Object.keys(stored.distributions), ["kept"]);
  });

  it("addTrial and enqueued trials refuse them and leave the study as it was", async () => {
    const url = `sqlite:${join(dir, "add.db")}`;
    const study = await createStudy({ storage: url, name: "add" });
    await study.addTrial({ params: { n: 3 }, value: 1 });
    const before = await study.trials();
    await assert.rejects(
      study.addTrial({
        params: { n: 2 ** 60 },
        value: 2,
        distributions: { n: { name: "IntDistribution", attributes: { low: 0, high: 2 ** 60, log: false, step: 1 } } },
      }),
      (e: Error) => e instanceof ValueError && e.message.includes("1152921504606847000") && e.message.includes("MAX_SAFE_INTEGER"),
    );
    assert.deepEqual(await study.trials(), before);
    await study.enqueueTrial({ n: 2 ** 60 });
    await assert.rejects(
      study.optimize((t) => t.suggestInt("n", 0, 2 ** 60), { nTrials: 1 }),
      (e: Error) => e instanceof ValueError && e.message.includes('"n"') && e.message.includes("1152921504606847000"),
    );
    const after = await study.trials();
    assert.deepEqual(after.slice(0, before.length), before);
    assert.ok(after.slice(before.length).every((t) => !("n" in t.params)));
  });
});

describe("enqueued values a parameter cannot hold", () => {
  it("are refused when suggested, naming the parameter and the value, and nothing else is stored", async () => {
    const url = `sqlite:${join(dir, "enqueued.db")}`;
    const study = await createStudy({ storage: url, name: "enqueued", sampler: "random", seed: 2 });
    const int = (t: Trial) => t.suggestInt("n", 0, 10);
    const float = (t: Trial) => t.suggestFloat("n", 0, 1);
    const cases: [ParamValue, (t: Trial) => number, string][] = [
      [2 ** 60, int, "1152921504606847000"],
      [2.5, int, "2.5"],
      [Infinity, int, "Infinity"],
      [Infinity, float, "Infinity"],
      ["a", float, '"a"'],
    ];
    for (const [value, suggest, shown] of cases) {
      await study.enqueueTrial({ n: value });
      await assert.rejects(
        study.optimize(suggest, { nTrials: 1 }),
        (e: Error) => e instanceof ValueError && e.message.includes('"n"') && e.message.includes(shown),
        `${shown}`,
      );
    }
    const trials = await study.trials();
    assert.equal(trials.length, cases.length);
    assert.ok(trials.every((t) => t.state === "FAIL" && !("n" in t.params)));
    // A value that fits the kind but not the range is used as given, as in Optuna.
    await study.enqueueTrial({ n: 12 });
    await study.optimize((t) => t.suggestInt("n", 0, 10), { nTrials: 1 });
    assert.equal((await study.trials()).at(-1)!.params.n, 12);
  });
});

/** Doubles anywhere in the finite range, often at its edges (fast-check favours them). */
const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
const positiveDouble = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });
const safeInteger = fc.maxSafeInteger();

/** A distribution built from raw bounds, or null when the bounds are not a valid one. */
function tryBuild(build: () => Distribution): Distribution | null {
  try {
    return build();
  } catch (error) {
    if (error instanceof ValueError) return null;
    throw error;
  }
}

/** Valid distributions up to the largest allowed ranges, of every kind. */
const extremeDistribution: fc.Arbitrary<Distribution> = fc
  .oneof(
    fc.tuple(anyDouble, anyDouble).map(([a, b]) => tryBuild(() => new FloatDistribution(Math.min(a, b), Math.max(a, b)))),
    fc.tuple(positiveDouble, positiveDouble).map(([a, b]) => new FloatDistribution(Math.min(a, b), Math.max(a, b), { log: true })),
    fc
      .tuple(anyDouble, positiveDouble, fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom(1, 2 ** 20, 2 ** 22))
      .map(([low, step, k, scale]) => tryBuild(() => new FloatDistribution(low, low + k * scale * step, { step }))),
    fc.tuple(safeInteger, safeInteger).map(([a, b]) => tryBuild(() => new IntDistribution(Math.min(a, b), Math.max(a, b)))),
    fc.tuple(safeInteger, safeInteger, safeInteger).map(([a, b, s]) => {
      const [low, high] = [Math.min(a, b), Math.max(a, b)];
      const step = Math.max(1, Math.abs(s) % Math.max(1, high - low));
      return tryBuild(() => new IntDistribution(low, low + Math.floor((high - low) / step) * step, { step }));
    }),
    fc
      .tuple(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }))
      .map(([a, b]) => new IntDistribution(Math.min(a, b), Math.max(a, b), { log: true })),
    fc.constantFrom<Distribution | null>(
      new FloatDistribution(-Number.MAX_VALUE / 2, Number.MAX_VALUE / 2),
      new FloatDistribution(Number.MIN_VALUE, Number.MAX_VALUE, { log: true }),
      new FloatDistribution(Number.MAX_VALUE / 2, Number.MAX_VALUE, { log: true }),
      new FloatDistribution(0, 2 ** 53 - 1, { step: 1 }),
      new FloatDistribution(0, (2 ** 53 - 1) / 4, { step: 0.25 }),
      new IntDistribution(-(2 ** 52) + 1, 2 ** 52),
      new IntDistribution(0, Number.MAX_SAFE_INTEGER),
      new IntDistribution(1, Number.MAX_SAFE_INTEGER, { log: true }),
      new IntDistribution(Number.MAX_SAFE_INTEGER - 10, Number.MAX_SAFE_INTEGER, { log: true }),
      new FloatDistribution(1e300, 1.000000000001e300, { log: true }),
      new IntDistribution(-(2 ** 52) + 1, 2 ** 52 - 1, { step: 2 }),
      new IntDistribution(Number.MAX_SAFE_INTEGER - 6, Number.MAX_SAFE_INTEGER, { step: 3 }),
    ),
    fc
      .uniqueArray(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { minLength: 2, maxLength: 4 })
      .map((c) => new CategoricalDistribution(c)),
  )
  .filter((d): d is Distribution => d !== null && !d.isSingle());

function suggestOn(trial: Trial, name: string, d: Distribution): ParamValue {
  if (d.kind === "categorical") return trial.suggestCategorical(name, d.choices);
  const options = { log: d.log, ...(d.step === null ? {} : { step: d.step }) };
  return d.kind === "int" ? trial.suggestInt(name, d.low, d.high, options) : trial.suggestFloat(name, d.low, d.high, options);
}

/** A finite objective over any of these values, so learning samplers have something to model. */
function squash(value: ParamValue): number {
  return typeof value === "number" ? Math.sign(value) * Math.log1p(Math.abs(value)) : String(value).length;
}

/** Past every registered sampler's start-up phase (10 trials at most), so their models sample too. */
const TRIALS_PAST_STARTUP = 13;

describe("every sampler over the largest allowed ranges", () => {
  for (const samplerName of SAMPLER_NAMES) {
    it(`${samplerName}: suggests finite values inside the range, on its step grid`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(extremeDistribution, { minLength: 1, maxLength: 3 }),
          fc.nat({ max: 2 ** 32 - 1 }),
          async (space, seed) => {
            const study = await createStudy({ sampler: samplerName, seed, storage: new InMemoryStorage() });
            await study.optimize(
              (trial) => {
                let total = 0;
                for (const [i, d] of space.entries()) {
                  const value = suggestOn(trial, `p${i}`, d);
                  assert.ok(typeof value !== "number" || Number.isFinite(value), `${value} from ${JSON.stringify(d.toJson())}`);
                  assert.ok(containsExternal(d, value), `${value} outside ${JSON.stringify(d.toJson())}`);
                  total += squash(value);
                }
                return total;
              },
              { nTrials: TRIALS_PAST_STARTUP },
            );
          },
        ),
        { numRuns: 12 },
      );
    });
  }
});
