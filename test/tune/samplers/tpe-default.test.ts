import assert from "node:assert/strict";
import { test } from "node:test";
import { objectiveByName } from "../../../bench/objectives.js";
import { defaultSampler, designSize } from "../../../tune/samplers/default.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import { LoopStudy, type LoopTrial } from "./tpe-loop.js";

const BRANIN = objectiveByName("branin");
const branin = (trial: LoopTrial): number => BRANIN.evaluate(trial);

function conditional(trial: LoopTrial): number {
  const model = trial.suggestCategorical("model", ["a", "b"]);
  if (model === "a") return (trial.suggestFloat("a_x", -1, 1) - 0.2) ** 2;
  return 0.1 + (trial.suggestInt("b_k", 1, 20) - 7) ** 2 / 50;
}

test("the default starts with a space-filling design whose size grows with the dimension", () => {
  assert.equal(designSize(1), 6);
  assert.equal(designSize(4), 9);
  assert.equal(designSize(8), 11);
  assert.equal(designSize(30), 11);
});

test("the default beats random search on Branin at 30 trials (median over seeds)", () => {
  const seeds = [0, 1, 2, 3, 4];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const best = (make: (seed: number) => ReturnType<typeof defaultSampler>) =>
    median(
      seeds.map((seed) => {
        const study = new LoopStudy(make(seed));
        study.optimize(branin, 30);
        return study.best();
      }),
    );
  const ours = best((seed) => defaultSampler({ seed }));
  const random = best((seed) => new RandomSampler({ seed }));
  assert.ok(ours < random, `default ${ours} vs random ${random}`);
});

test("a conditional space: every branch's parameters stay valid and the good branch is found", () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const found = [0, 1, 2, 3, 4].map((seed) => {
    const study = new LoopStudy(defaultSampler({ seed }));
    // LoopStudy throws if a suggested value is outside its distribution.
    study.optimize(conditional, 40);
    return study.best();
  });
  // Branch "b" cannot go below 0.1; branch "a" reaches 0.
  assert.ok(median(found) < 0.05, `best values ${found}`);
});

test("defaultSampler rejects unknown options", () => {
  assert.throws(() => defaultSampler({ sed: 1 } as never), /Did you mean "seed"/);
});

test("with two objectives the GP follows the design; with three, TPE does", async () => {
  const { createStudy } = await import("../../../tune/index.js");
  const servedBy = async (objectives: number): Promise<string[]> => {
    const directions = Array.from({ length: objectives }, () => "minimize" as const);
    const study = await createStudy({ storage: ":memory:", directions, sampler: defaultSampler({ seed: 3 }) });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat("x", 0, 1);
        const y = trial.suggestFloat("y", 0, 1);
        return [x, 1 - x * y, y].slice(0, objectives);
      },
      { nTrials: designSize(2) + 2 },
    );
    return (await study.trials()).map((t) => String(t.systemAttrs["tunebook:sampler"]));
  };
  const design = Array.from({ length: designSize(2) }, () => "qmc");
  assert.deepEqual(await servedBy(2), [...design, "gp", "gp"]);
  assert.deepEqual(await servedBy(3), [...design, "tpe", "tpe"]);
});
