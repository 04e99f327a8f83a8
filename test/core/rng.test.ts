import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { checkSeed, MAX_SEED, Rng } from "../../core/rng.js";

const draws = (rng: Rng) => Array.from({ length: 4 }, () => rng.nextUint32());

describe("seeds", () => {
  for (const bad of [NaN, "abc", Infinity, -Infinity, 1.5, -1, MAX_SEED + 1, 2 ** 53, 1e300, null, true, 7n]) {
    it(`refuses ${typeof bad === "bigint" ? `${bad}n` : String(bad)} by name, in checkSeed and in Rng itself`, () => {
      const named = (where: string) => (e: unknown) =>
        e instanceof ValueError &&
        e.message.startsWith(`${where}: seed must be an integer from 0 to ${MAX_SEED}`) &&
        e.message.includes(typeof bad === "string" ? `"${bad}"` : typeof bad === "bigint" ? `${bad}n` : String(bad));
      assert.throws(() => checkSeed("KFold", bad), named("KFold"));
      assert.throws(() => new Rng(bad as number), named("Rng"));
    });
  }

  it("takes every integer from 0 to 2^32 - 1, and no seed at all", () => {
    assert.equal(checkSeed("x", undefined), undefined);
    assert.equal(checkSeed("x", 0), 0);
    assert.equal(checkSeed("x", MAX_SEED), MAX_SEED);
    assert.equal(MAX_SEED, 2 ** 32 - 1);
    assert.deepEqual(draws(new Rng(MAX_SEED)), draws(new Rng(MAX_SEED)));
  });

  it("gives distinct seeds distinct streams where the old folding made them collide", () => {
    // -1 folded onto 0 and 2^32 onto 1; both are refused now, so no two accepted seeds share a stream.
    assert.notDeepEqual(draws(new Rng(0)), draws(new Rng(1)));
    assert.notDeepEqual(draws(new Rng(0)), draws(new Rng(MAX_SEED)));
  });

  it("keeps the streams of existing seeds", () => {
    assert.deepEqual(draws(new Rng(0)), [3809008728, 1133695204, 53579671, 2891528803]);
    assert.deepEqual(draws(new Rng(42)), [2837322924, 544945897, 479756282, 3500138142]);
  });
});
