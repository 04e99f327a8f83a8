import type { StudyDirection } from "../../../core/records.js";
import { OBJECTIVE_NAMES_ATTR } from "../../../tracker/analysis/objectives.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { createStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import type { Trial } from "../../../tune/trial.js";

/**
 * Studies with several objectives, made through the engine (createStudy with directions,
 * the random and quasi-random samplers, a constraints function and a named constraint):
 * what the multi-objective pages, routes and the notebook show.
 */

setVerbosity("silent");

export interface MultiObjectiveFixture {
  /** Two objectives named by the study attribute (accuracy, maximised; size, minimised), constrained. */
  zdt: number;
  /** Three objectives, unnamed, unconstrained. */
  three: number;
  /** One experiment, two samplers repeated over seeds 0–2 (`random-seed0`, …, `qmc-seed2`), objectives named as `zdt`'s. */
  repeats: number[];
}

/** ZDT1 turned into accuracy (1 − f1, maximised) against size (f2, minimised), with a categorical and an integer on top. */
function zdt(t: Trial): number[] {
  const x1 = t.suggestFloat("x1", 0, 1);
  const x2 = t.suggestFloat("x2", 0, 1);
  const x3 = t.suggestFloat("x3", 0, 1);
  const kind = t.suggestCategorical("kind", ["dense", "sparse"]);
  const layers = t.suggestInt("layers", 1, 4);
  t.setConstraint("budget", x2 - 0.9);
  const g = 1 + 4.5 * (x2 + x3) + (kind === "sparse" ? 0.5 : 0);
  return [1 - x1, g * (1 - Math.sqrt(x1 / g)) + layers * 0.01];
}

export async function buildMultiObjectiveFixture(storage: Storage, nTrials = 40): Promise<MultiObjectiveFixture> {
  const two: StudyDirection[] = ["maximize", "minimize"];
  const main = await createStudy({
    name: "zdt1 <accuracy vs size>",
    storage,
    directions: two,
    sampler: "random",
    seed: 1,
    experiment: "multi-objective",
    constraints: (trial) => [(trial.params.x3 as number) - 0.8],
  });
  await main.setUserAttr(OBJECTIVE_NAMES_ATTR, ["accuracy", "size"]);
  await main.optimize(zdt, { nTrials });

  const three = await createStudy({
    name: "three objectives",
    storage,
    directions: ["minimize", "minimize", "maximize"],
    sampler: "random",
    seed: 2,
  });
  await three.optimize(
    (t) => {
      const a = t.suggestFloat("a", 0, 1);
      const b = t.suggestFloat("b", 0, 1);
      // b only hurts (raises the two minimised, lowers the maximised): many trials are dominated.
      return [a + b, 1 - a + b, a * (1 - b)];
    },
    { nTrials: Math.ceil(nTrials * 0.75) },
  );

  const repeats: number[] = [];
  for (const sampler of ["random", "qmc"] as const) {
    for (let seed = 0; seed < 3; seed++) {
      const study = await createStudy({
        name: `${sampler}-seed${seed}`,
        storage,
        directions: two,
        sampler,
        seed,
        experiment: "zdt1 repeats",
        constraints: (trial) => [(trial.params.x3 as number) - 0.8],
      });
      await study.setUserAttr(OBJECTIVE_NAMES_ATTR, ["accuracy", "size"]);
      await study.optimize(zdt, { nTrials: 12 });
      repeats.push(study.studyId);
    }
  }
  return { zdt: main.studyId, three: three.studyId, repeats };
}
