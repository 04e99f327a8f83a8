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

async function run(sampler: Sampler, objective: (t: Trial) => number, nTrials: number, direction: "minimize" | "maximize" = "minimize") {
  const study = await createStudy({ storage: new InMemoryStorage(), sampler, direction });
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

  it("keeps every value inside its distribution (log, step, int, log int, categorical, conditional)", async () => {
    const objective = (trial: Trial) => {
      const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
      const dropout = trial.suggestFloat("dropout", 0, 0.5, { step: 0.1 });
      const depth = trial.suggestInt("depth", 1, 12);
      const width = trial.suggestInt("width", 8, 512, { log: true });
      const batch = trial.suggestInt("batch", 16, 128, { step: 16 });
      const kind = trial.suggestCategorical("kind", ["a", "b", "c"]);
      const extra = kind === "a" ? trial.suggestFloat("extra", -1, 1) : 0;
      return (
        (Math.log10(lr) + 3) ** 2 +
        (dropout - 0.2) ** 2 +
        (depth - 5) ** 2 / 10 +
        Math.log2(width / 64) ** 2 / 4 +
        (batch - 64) ** 2 / 1e4 +
        (kind === "b" ? 0 : 0.5) +
        extra ** 2
      );
    };
    const { study } = await run(new CmaEsSampler({ seed: 3 }), objective, 80);
    for (const t of await study.trials()) {
      const p = t.params as Record<string, number | string>;
      assert.ok(typeof p.lr === "number" && p.lr >= 1e-5 && p.lr <= 1);
      assert.ok([0, 0.1, 0.2, 0.3, 0.4, 0.5].includes(p.dropout as number), `dropout ${p.dropout}`);
      assert.ok(Number.isInteger(p.depth) && (p.depth as number) >= 1 && (p.depth as number) <= 12);
      assert.ok(Number.isInteger(p.width) && (p.width as number) >= 8 && (p.width as number) <= 512);
      assert.ok([16, 32, 48, 64, 80, 96, 112, 128].includes(p.batch as number), `batch ${p.batch}`);
      assert.ok(["a", "b", "c"].includes(p.kind as string));
      assert.equal("extra" in p, p.kind === "a");
    }
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

  it("repeats its sequence for the same seed and changes it for another", async () => {
    const params = async (seed: number) => (await (await run(new CmaEsSampler({ seed }), branin, 30)).study.trials()).map((t) => t.params);
    const first = await params(9);
    assert.deepEqual(await params(9), first);
    assert.notDeepEqual(await params(10), first);
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

  it("maximises when the study maximises", async () => {
    const { best } = await run(
      new CmaEsSampler({ seed: 5 }),
      (t) => -((t.suggestFloat("x", -3, 3) - 1) ** 2 + (t.suggestFloat("y", -3, 3) + 0.5) ** 2),
      150,
      "maximize",
    );
    assert.ok(best > -1e-4, `best ${best}`);
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
