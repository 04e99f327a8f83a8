import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ParamValue } from "../../../core/records.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { GridSampler } from "../../../tune/samplers/grid.js";
import type { Trial } from "../../../tune/trial.js";
import { rejects } from "../value-error.js";

setVerbosity("silent");

/** Suggests every parameter of a grid as a categorical of its values. */
function suggestGrid(grid: Record<string, readonly ParamValue[]>) {
  return (trial: Trial): number => {
    for (const [name, values] of Object.entries(grid)) trial.suggestCategorical(name, values);
    return 0;
  };
}

function pointsOf(trials: { params: Record<string, ParamValue> }[], names: readonly string[]): string[] {
  return trials.map((t) => JSON.stringify(names.map((n) => t.params[n])));
}

describe("GridSampler over a grid too large to list", () => {
  const names = Array.from({ length: 60 }, (_, i) => `p${i}`);
  const grid = Object.fromEntries(names.map((n) => [n, [0, 1]]));

  it("60 two-valued parameters (2^60 points): counts them and runs the first trials", async () => {
    const sampler = new GridSampler(grid);
    assert.equal(sampler.size, 2 ** 60);
    const study = await createStudy({ storage: new InMemoryStorage(), sampler });
    const result = await study.optimize(suggestGrid(grid), { nTrials: 5 });
    assert.equal(result.stoppedBy, "nTrials");
    const trials = await study.trials();
    assert.ok(trials.every((t) => t.state === "COMPLETE" && Object.keys(t.params).length === 60));
    // The grid's own order: the last parameter varies fastest.
    assert.deepEqual(
      trials.map((t) => names.map((n) => t.params[n]).join("")),
      [0, 1, 2, 3, 4].map((k) => k.toString(2).padStart(60, "0")),
    );
  });

  it("with a seed, visits distinct points in a shuffled order, the same for the same seed", async () => {
    const run = async (seed: number) => {
      const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GridSampler(grid, { seed }) });
      await study.optimize(suggestGrid(grid), { nTrials: 6, concurrency: 3 });
      return pointsOf(await study.trials(), names);
    };
    const first = await run(3);
    assert.equal(new Set(first).size, 6);
    assert.deepEqual((await run(3)).sort(), [...first].sort());
    assert.notDeepEqual((await run(4)).sort(), [...first].sort());
  });
});

describe("GridSampler order and exhaustion", () => {
  it("visits the grid in its own order without a seed (last parameter fastest)", async () => {
    const grid = { a: [1, 2], b: ["x", "y", "z"] };
    const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GridSampler(grid) });
    assert.equal((await study.optimize(suggestGrid(grid))).stoppedBy, "exhausted");
    assert.deepEqual(pointsOf(await study.trials(), ["a", "b"]), ['[1,"x"]', '[1,"y"]', '[1,"z"]', '[2,"x"]', '[2,"y"]', '[2,"z"]']);
  });

  for (const seed of [undefined, 0, 7]) {
    it(`evaluates each of more points than one claim offers exactly once, concurrently, then stops (seed ${seed})`, async () => {
      const grid = { a: [...Array(13).keys()], b: [...Array(11).keys()], c: [true, false] };
      const study = await createStudy({ storage: new InMemoryStorage(), sampler: new GridSampler(grid, { seed }) });
      const result = await study.optimize(
        async (trial) => {
          suggestGrid(grid)(trial);
          await new Promise((r) => setImmediate(r));
          return 0;
        },
        { concurrency: 8 },
      );
      assert.equal(result.stoppedBy, "exhausted");
      const points = pointsOf(await study.trials(), ["a", "b", "c"]);
      assert.equal(points.length, 13 * 11 * 2);
      assert.equal(new Set(points).size, points.length);
      await assert.rejects(study.ask(), /no points left/);
    });
  }

  it("a second sampler over the same grid takes up where the first left off", async () => {
    const grid = { a: [...Array(100).keys()] };
    const storage = new InMemoryStorage();
    const first = await createStudy({ storage, name: "g", sampler: new GridSampler(grid, { seed: 5 }) });
    await first.optimize(suggestGrid(grid), { nTrials: 70 });
    const second = await createStudy({ storage, name: "g", loadIfExists: true, sampler: new GridSampler(grid, { seed: 5 }) });
    assert.equal((await second.optimize(suggestGrid(grid))).stoppedBy, "exhausted");
    const values = (await second.trials()).map((t) => t.params.a);
    assert.deepEqual(
      [...values].sort((x, y) => (x as number) - (y as number)),
      [...Array(100).keys()],
    );
  });
});

describe("GridSampler values", () => {
  it("refuses a value given twice, naming the parameter and the value", () => {
    rejects(() => new GridSampler({ ok: [1], a: [1, 2, 1] }), '"a"', "1", "twice");
    rejects(() => new GridSampler({ b: ["x", "y", "x"] }), '"b"', '"x"', "twice");
    rejects(() => new GridSampler({ c: [0, -0] }), '"c"', "twice");
  });

  it("refuses NaN, infinities, objects, arrays, functions and undefined", () => {
    const bad: [unknown, string][] = [
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [{ depth: 3 }, '{"depth":3}'],
      [[1, 2], "[1,2]"],
      [function relu() {}, "function relu"],
      [undefined, "undefined"],
      [10n, "10n"],
    ];
    for (const [value, shown] of bad) {
      rejects(() => new GridSampler({ p: [1, value as ParamValue] }), '"p"', shown, "strings, finite numbers, booleans or null");
    }
  });

  it("accepts strings, finite numbers, booleans and null", () => {
    const sampler = new GridSampler({ p: ["a", 1, 2.5, -0.5, true, false, null, "1"] });
    assert.equal(sampler.size, 8);
  });

  it("refuses unknown options, naming the known one", () => {
    rejects(() => new GridSampler({ a: [1] }, { sed: 1 } as never), "sed", "seed");
  });
});
