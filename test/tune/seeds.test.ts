import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MAX_SEED } from "../../core/rng.js";
import {
  CmaEsSampler,
  createStudy,
  DefaultSampler,
  GPSampler,
  GridSampler,
  listStudies,
  loadStudy,
  QMCSampler,
  RandomSampler,
  setVerbosity,
  TPESampler,
} from "../../index.js";
import { HaltonSequence, SobolSequence } from "../../tune/samplers/qmc.js";
import { BAD_SEEDS, refusedSeed } from "../core/seed-cases.js";
import { suiteDirectory } from "./kit-support.js";

setVerbosity("silent");
const dir = suiteDirectory("tunebook-seeds-");
const fixtures = new URL("./fixtures/", import.meta.url).pathname;

const SAMPLERS: [string, (seed: unknown) => unknown][] = [
  ["RandomSampler", (seed) => new RandomSampler({ seed } as never)],
  ["QMCSampler", (seed) => new QMCSampler({ seed } as never)],
  ["TPESampler", (seed) => new TPESampler({ seed } as never)],
  ["GPSampler", (seed) => new GPSampler({ seed } as never)],
  ["CmaEsSampler", (seed) => new CmaEsSampler({ seed } as never)],
  ["defaultSampler", (seed) => new DefaultSampler({ seed } as never)],
  ["GridSampler", (seed) => new GridSampler({ x: [1, 2] }, { seed } as never)],
  ["SobolSequence", (seed) => new SobolSequence(2, { seed } as never)],
  ["HaltonSequence", (seed) => new HaltonSequence(2, { seed } as never)],
];

describe("seeds that are not integers from 0 to 2^32 - 1 are refused by name", () => {
  for (const [shown, seed] of BAD_SEEDS) {
    it(`seed ${shown}: every sampler constructor`, () => {
      for (const [name, build] of SAMPLERS) assert.throws(() => build(seed), refusedSeed(name, shown), name);
    });

    it(`seed ${shown}: createStudy and loadStudy, before anything is written (SQLite)`, async () => {
      const storage = `sqlite:${join(dir(), `studies-${BAD_SEEDS.findIndex(([, s]) => Object.is(s, seed))}.db`)}`;
      await createStudy({ storage, name: "existing" });
      const before = await listStudies(storage);
      await assert.rejects(createStudy({ storage, name: "new", seed } as never), refusedSeed("createStudy", shown));
      await assert.rejects(
        createStudy({ storage, name: "existing", loadIfExists: true, seed } as never),
        refusedSeed("createStudy", shown),
      );
      await assert.rejects(createStudy({ storage, name: "new", sampler: "tpe", seed } as never), refusedSeed("createStudy", shown));
      await assert.rejects(loadStudy({ storage, name: "existing", seed } as never), refusedSeed("loadStudy", shown));
      assert.deepEqual(await listStudies(storage), before);
    });
  }

  it("the largest seed works, and equal seeds still give equal studies", async () => {
    const run = async () => {
      const study = await createStudy({ storage: ":memory:", sampler: "random", seed: MAX_SEED });
      await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
      return (await study.trials()).map((t) => t.params.x);
    };
    assert.deepEqual(await run(), await run());
  });

  it("worker processes of a study seeded with the largest seed get valid seeds of their own", async () => {
    const study = await createStudy({ storage: `sqlite:${join(dir(), "workers.db")}`, name: "workers", sampler: "random", seed: MAX_SEED });
    const result = await study.optimize({ module: join(fixtures, "objectives.ts") }, { workers: 2, nTrials: 4 });
    assert.equal(result.trialsRun, 4);
  });
});
