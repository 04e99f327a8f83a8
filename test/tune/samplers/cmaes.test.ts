import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { objectiveByName } from "../../../bench/objectives.js";
import { createStudy, InMemoryStorage, RandomSampler, type Sampler, setVerbosity, type Trial, ValueError } from "../../../index.js";
import { CmaEsSampler } from "../../../tune/samplers/cmaes/index.js";

setVerbosity("silent");

const BRANIN = objectiveByName("branin");
const BRANIN_OPTIMUM = BRANIN.optimum;
const branin = (trial: Trial): number => BRANIN.evaluate(trial);

const CENTRE = [1, -2, 0.5, 3];
function sphere(trial: Trial): number {
  return CENTRE.reduce((sum, c, i) => sum + (trial.suggestFloat(`x${i}`, -5, 5) - c) ** 2, 0);
}

async function run(sampler: Sampler, objective: (t: Trial) => number, nTrials: number) {
  const study = await createStudy({ storage: new InMemoryStorage(), sampler });
  await study.optimize(objective, { nTrials });
  return { study, best: (await study.best()).value! };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

describe("CmaEsSampler", () => {
  it("converges on a 4-d sphere", async () => {
    const sampler = new CmaEsSampler({ seed: 1 });
    const { study, best } = await run(sampler, sphere, 500);
    assert.ok(best < 1e-6, `best ${best}`);
    const state = sampler.stateOf(study.studyId)!;
    assert.equal(state.popsize, 4 + Math.floor(3 * Math.log(4)));
    assert.ok(state.sigma < 1e-3, `sigma ${state.sigma}`);
    CENTRE.forEach((c, i) => {
      assert.ok(Math.abs((state.mean[`x${i}`] as number) - c) < 1e-2, `mean x${i} = ${state.mean[`x${i}`]}`);
    });
  });

  it("restarts with a doubled population when the run stalls (IPOP)", async () => {
    // Flat in |x| ≤ 1 and |y| ≤ 1: once the population is inside, nothing distinguishes candidates.
    const plateau = (t: Trial) =>
      Math.max(0, Math.abs(t.suggestFloat("x", -10, 10)) - 1) + Math.max(0, Math.abs(t.suggestFloat("y", -10, 10)) - 1);
    const sampler = new CmaEsSampler({ seed: 2 });
    const { study } = await run(sampler, plateau, 150);
    const state = sampler.stateOf(study.studyId)!;
    assert.ok(state.restarts >= 1, `restarts ${state.restarts}`);
    assert.equal(state.popsize, (4 + Math.floor(3 * Math.log(2))) * 2 ** state.restarts);
    assert.ok(state.lastStopReason !== null);

    const without = new CmaEsSampler({ seed: 2, restartStrategy: null });
    const second = await run(without, plateau, 150);
    assert.equal(without.stateOf(second.study.studyId)!.restarts, 0);
  });

  it("keeps exploring integer parameters once the continuous ones converge (the margin)", async () => {
    // The integers matter little next to the floats: without a margin their spread
    // collapses with the step size and some seeds freeze on a wrong grid value.
    const objective = (t: Trial) =>
      [0, 1, 2].reduce((sum, i) => sum + (t.suggestFloat(`x${i}`, -1, 1) - 0.3) ** 2, 0) +
      0.05 * Math.abs(t.suggestInt("k", 0, 9) - 7) +
      0.05 * t.suggestInt("j", 0, 3);
    for (let seed = 0; seed < 8; seed++) {
      const { study } = await run(new CmaEsSampler({ seed, restartStrategy: null }), objective, 300);
      const best = await study.best();
      assert.deepEqual([best.params.k, best.params.j], [7, 0], `seed ${seed}: ${JSON.stringify(best.params)}`);
    }
  });

  it("rebuilds its state from the trials when a fresh sampler resumes a study", async () => {
    const storage = new InMemoryStorage();
    const live = new CmaEsSampler({ seed: 11 });
    const study = await createStudy({ storage, name: "resumed", sampler: live });
    await study.optimize(sphere, { nTrials: 45 });
    // Twin study: the same 45 trials, then continued by the same sampler instance.
    const twin = await createStudy({ storage, name: "twin", sampler: new CmaEsSampler({ seed: 11 }) });
    await twin.optimize(sphere, { nTrials: 45 });
    assert.deepEqual(
      (await twin.trials()).map((t) => t.params),
      (await study.trials()).map((t) => t.params),
    );
    await twin.optimize(sphere, { nTrials: 15 });

    const fresh = new CmaEsSampler({ seed: 11 });
    const resumed = await createStudy({ storage, name: "resumed", sampler: fresh, loadIfExists: true });
    await resumed.optimize(sphere, { nTrials: 15 });
    assert.deepEqual(
      (await resumed.trials()).map((t) => t.params),
      (await twin.trials()).map((t) => t.params),
    );
    assert.ok(fresh.stateOf(resumed.studyId)!.generation > 0);
  });

  it("beats random search on Branin at 50 trials (median over 3 seeds)", async () => {
    const cma: number[] = [];
    const random: number[] = [];
    for (const seed of [0, 1, 2]) {
      cma.push((await run(new CmaEsSampler({ seed }), branin, 50)).best - BRANIN_OPTIMUM);
      random.push((await run(new RandomSampler({ seed }), branin, 50)).best - BRANIN_OPTIMUM);
    }
    assert.ok(median(cma) < median(random), `CMA-ES regret ${median(cma)} vs random ${median(random)}`);
  });

  it("rejects bad options with a helpful message", () => {
    assert.throws(
      () => new CmaEsSampler({ sigma: 0.3 } as never),
      (e: Error) => e instanceof ValueError && /sigma0/.test(e.message),
    );
    assert.throws(() => new CmaEsSampler({ sigma0: 0 }), ValueError);
    assert.throws(() => new CmaEsSampler({ popsize: 1 }), ValueError);
    assert.throws(() => new CmaEsSampler({ restartStrategy: "bipop" as never }), ValueError);
    assert.throws(() => new CmaEsSampler({ incPopsize: 0.5 }), ValueError);
  });
});
