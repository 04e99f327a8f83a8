import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParamValue } from "../../../core/records.js";
import { setVerbosity } from "../../../tune/log.js";
import { CmaEsSampler } from "../../../tune/samplers/cmaes/index.js";
import { GPSampler } from "../../../tune/samplers/gp/index.js";
import { GridSampler } from "../../../tune/samplers/grid.js";
import { resolveSampler, SAMPLER_NAMES, type SamplerName } from "../../../tune/samplers/registry.js";
import { OPTUNA_TPE_DEFAULTS, TPESampler, type TPESamplerOptions } from "../../../tune/samplers/tpe/index.js";
import { gridPoints, type KitSpace, multiObjectiveContract, type SamplerContractOptions, samplerContract } from "./contract.js";

setVerbosity("silent");

/** How each registered sampler runs the contract; a name added to the registry does not compile until it is here. */
const REGISTERED: Record<SamplerName, SamplerContractOptions> = {
  default: { learns: true },
  random: { learns: false },
  qmc: { learns: false },
  "qmc-halton": { learns: false },
  tpe: { learns: true },
  gp: { learns: true, withIndependent: (seed, independentSampler) => new GPSampler({ seed, independentSampler }) },
  cmaes: { learns: true, withIndependent: (seed, independentSampler) => new CmaEsSampler({ seed, independentSampler }) },
  // Their first generation, 50 random trials, outlasts the single-objective studies here;
  // nsga2.test.ts and nsga3.test.ts run the kit with small populations as well.
  nsga2: { learns: false, multiObjective: { learns: true, learningTrials: 300 } },
  nsga3: { learns: false, multiObjective: { learns: true, learningTrials: 300 } },
};

test("every registered sampler runs the contract", () => {
  assert.deepEqual(Object.keys(REGISTERED).sort(), [...SAMPLER_NAMES].sort());
});

for (const name of SAMPLER_NAMES) samplerContract(name, (seed) => resolveSampler(name, seed), REGISTERED[name]);

/** Every registered sampler that serves several objectives runs the multi-objective kit too. */
const MULTI_OBJECTIVE = SAMPLER_NAMES.filter((name) => resolveSampler(name, 0).multiObjective === true);

test("the samplers known to serve several objectives run the multi-objective kit", () => {
  for (const name of ["random", "qmc", "qmc-halton", "nsga2", "nsga3"]) assert.ok(MULTI_OBJECTIVE.includes(name as SamplerName), name);
});

for (const name of MULTI_OBJECTIVE) multiObjectiveContract(name, (seed) => resolveSampler(name, seed), REGISTERED[name]);

const TPE_VARIANTS: Record<string, TPESamplerOptions> = {
  "tpe multivariate": { multivariate: true },
  "tpe group": { multivariate: true, group: true },
  "tpe constantLiar": { constantLiar: true },
  "tpe OPTUNA_TPE_DEFAULTS": { ...OPTUNA_TPE_DEFAULTS },
  "tpe multivariate OPTUNA_TPE_DEFAULTS": { multivariate: true, ...OPTUNA_TPE_DEFAULTS },
};

for (const [name, variant] of Object.entries(TPE_VARIANTS)) {
  samplerContract(name, (seed) => new TPESampler({ seed, ...variant }), { learns: true });
}

/** A grid over a space: every choice, and the ends and a middle point of each numeric range. */
function gridOf(space: KitSpace): Record<string, ParamValue[]> {
  const grid: Record<string, ParamValue[]> = {};
  for (const [name, d] of Object.entries(space)) {
    if (d.kind === "categorical") grid[name] = [...d.choices];
    else if (d.kind === "int") grid[name] = [...new Set([d.low, d.low + d.step * Math.floor((d.high - d.low) / d.step / 2), d.high])];
    else if (d.step !== null) {
      const points = gridPoints(d);
      grid[name] = [...new Set([points[0], points[points.length >> 1], points[points.length - 1]])];
    } else grid[name] = [...new Set([d.low, d.log ? Math.sqrt(d.low * d.high) : (d.low + d.high) / 2, d.high])];
  }
  return grid;
}

samplerContract("grid", (seed, space) => new GridSampler(gridOf(space), { seed }), { learns: false, allowed: gridOf });
