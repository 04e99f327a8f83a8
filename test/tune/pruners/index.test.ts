import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import {
  createPruner,
  MedianPruner,
  NopPruner,
  PRUNER_NAMES,
  PRUNERS,
  type PrunerName,
  resolvePruner,
} from "../../../tune/pruners/index.js";

const minimal: { [K in PrunerName]?: Record<string, unknown> } = {
  percentile: { percentile: 25 },
  threshold: { upper: 1 },
  patient: { patience: 2 },
};

test("every registered name builds a pruner that carries that name", () => {
  assert.deepEqual([...PRUNER_NAMES].sort(), [
    "hyperband",
    "median",
    "none",
    "patient",
    "percentile",
    "successive-halving",
    "threshold",
    "wilcoxon",
  ]);
  for (const name of PRUNER_NAMES) {
    const pruner = createPruner(name, minimal[name] as never);
    assert.equal(pruner.name, name);
    assert.equal(typeof pruner.prune, "function");
    assert.equal(PRUNERS[name](minimal[name] as never).name, name);
  }
});

test("options reach the pruner; pruners that need options say so", () => {
  const median = createPruner("median", { nStartupTrials: 2 }) as MedianPruner;
  assert.equal(median.nStartupTrials, 2);
  assert.throws(() => createPruner("percentile"), /percentile is required/);
  assert.throws(() => createPruner("threshold"), /lower, upper or both/);
  assert.throws(() => createPruner("patient"), /patience/);
  const patient = createPruner("patient", { patience: 1, wrapped: new MedianPruner() });
  assert.equal(patient.name, "patient");
});

test("unknown names suggest the closest", () => {
  assert.throws(
    () => createPruner("hyperbnad" as PrunerName),
    (e: Error) => e instanceof ValueError && /Did you mean "hyperband"/.test(e.message),
  );
  assert.throws(() => createPruner("asha" as PrunerName), /Known pruners: none, median/);
});

test("resolvePruner: nothing means no pruning; a name or a pruner otherwise", () => {
  assert.ok(resolvePruner(undefined) instanceof NopPruner);
  assert.equal(resolvePruner("hyperband").name, "hyperband");
  const mine = new MedianPruner();
  assert.equal(resolvePruner(mine), mine);
  assert.throws(() => resolvePruner({} as never), /pruner must be/);
  assert.throws(() => resolvePruner(null as never), /pruner must be/);
});
