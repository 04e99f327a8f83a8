import assert from "node:assert/strict";
import { test } from "node:test";
import { setVerbosity } from "../../../tune/log.js";
import { createPruner, PatientPruner, PRUNER_NAMES, type PrunerName } from "../../../tune/pruners/index.js";
import { type MakePruner, type PrunerContractOptions, prunerContract } from "./contract.js";

setVerbosity("silent");

/**
 * How each registered pruner runs the contract: built by name, with the options it
 * needs on the kit's curves; a name added to the registry does not compile until it is here.
 */
const REGISTERED: Record<PrunerName, { make: MakePruner; options: PrunerContractOptions }> = {
  none: { make: () => createPruner("none"), options: { prunes: false } },
  median: { make: () => createPruner("median"), options: { prunes: true } },
  percentile: { make: () => createPruner("percentile", { percentile: 25 }), options: { prunes: true } },
  "successive-halving": { make: () => createPruner("successive-halving"), options: { prunes: true } },
  hyperband: { make: () => createPruner("hyperband"), options: { prunes: true } },
  threshold: {
    make: (direction) => createPruner("threshold", direction === "minimize" ? { upper: 2.3 } : { lower: -2.3 }),
    options: { prunes: true },
  },
  patient: { make: () => createPruner("patient", { patience: 2 }), options: { prunes: true } },
  wilcoxon: { make: () => createPruner("wilcoxon"), options: { prunes: true, sparesNonFinite: true } },
};

test("every registered pruner runs the contract", () => {
  assert.deepEqual(Object.keys(REGISTERED).sort(), [...PRUNER_NAMES].sort());
});

for (const name of PRUNER_NAMES) prunerContract(name, REGISTERED[name].make, REGISTERED[name].options);

type Contract = (typeof REGISTERED)[PrunerName];

/**
 * Patience around each other pruner, which decides once a trial has stalled: with
 * rungs and a bound that stalled trials meet on the kit's curves.
 */
const WRAPPED: Record<Exclude<PrunerName, "patient">, Contract> = {
  none: REGISTERED.none,
  median: REGISTERED.median,
  percentile: REGISTERED.percentile,
  "successive-halving": REGISTERED["successive-halving"],
  hyperband: { make: () => createPruner("hyperband", { reductionFactor: 2 }), options: { prunes: true } },
  threshold: {
    make: (direction) => createPruner("threshold", direction === "minimize" ? { upper: 0.9 } : { lower: -0.9 }),
    options: { prunes: true },
  },
  wilcoxon: REGISTERED.wilcoxon,
};

for (const [name, { make, options }] of Object.entries(WRAPPED)) {
  prunerContract(`patient(${name})`, (direction) => new PatientPruner(make(direction), { patience: 1 }), options);
}
