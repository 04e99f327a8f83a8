/** The seeds every entry point that takes one must refuse, and the check of its refusal. */
import assert from "node:assert/strict";
import { ValueError } from "../../core/errors.js";
import { MAX_SEED } from "../../core/rng.js";

/** Each bad seed with how a message shows it. */
export const BAD_SEEDS: [shown: string, seed: unknown][] = [
  ["NaN", NaN],
  ['"abc"', "abc"],
  ["Infinity", Infinity],
  ["1.5", 1.5],
  ["-1", -1],
  [String(MAX_SEED + 1), MAX_SEED + 1],
];

/** For `assert.throws`: a ValueError from `where` that names the seed as `shown`. */
export const refusedSeed =
  (where: string, shown: string) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
    assert.ok(e.message.startsWith(`${where}: seed must be an integer from 0 to ${MAX_SEED}`), e.message);
    assert.ok(e.message.includes(`got ${shown}`), e.message);
    return true;
  };
