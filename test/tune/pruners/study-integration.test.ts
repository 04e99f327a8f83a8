import assert from "node:assert/strict";
import { test } from "node:test";
import { closeStorages, createPruner, createStudy, type PrunerName, setVerbosity, TrialPruned } from "../../../index.js";
import { learningCurves } from "./curves.js";
import { replay } from "./helpers.js";

setVerbosity("silent");

const cases: { name: PrunerName; options?: Record<string, unknown> }[] = [
  { name: "median", options: { nStartupTrials: 3 } },
  { name: "successive-halving", options: { minResource: 1, reductionFactor: 3 } },
  { name: "hyperband", options: { minResource: 1, maxResource: 20, reductionFactor: 3 } },
  { name: "patient", options: { patience: 2 } },
];

for (const c of cases) {
  test(`inside a study, ${c.name} decides as on the replayed curves`, async () => {
    const curves = learningCurves(21, 16, 20, { noise: 0.05 });
    const studyName = `integration-${c.name}`;
    const study = await createStudy({
      name: studyName,
      storage: ":memory:",
      direction: "minimize",
      pruner: createPruner(c.name, c.options as never),
    });
    const decisions: boolean[][] = curves.map(() => []);
    await study.optimize(
      (trial) => {
        const curve = curves[trial.number];
        for (let step = 0; step < curve.length; step++) {
          trial.report(curve[step], step);
          const prune = trial.shouldPrune();
          decisions[trial.number].push(prune);
          if (prune) throw new TrialPruned();
        }
        return curve[curve.length - 1];
      },
      { nTrials: curves.length },
    );
    const states = (await study.trials()).map((t) => t.state);
    await closeStorages();
    const expected = replay(createPruner(c.name, c.options as never), { title: c.name, direction: "minimize", studyName, curves });
    assert.deepEqual({ decisions, states }, expected);
    assert.ok(states.includes("PRUNED") && states.includes("COMPLETE"));
  });
}
