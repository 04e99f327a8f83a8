import { defaultReferencePoint, hypervolumeContributions } from "../../../core/math/hypervolume.js";
import { type AcquisitionFunction, type AcquisitionName, createAcquisition } from "./acquisition.js";
import { nonDominatedBoxes } from "./box-decomposition.js";
import { type ConstraintModel, createLogFeasibility, sumOfAcquisitions } from "./constrained.js";
import { createLogEHVI } from "./ehvi.js";
import type { GaussianProcess } from "./model.js";

/**
 * What one suggestion maximises, and where the local searches start, given the fitted
 * models (objectives maximised, on standardised values):
 * - one objective: the chosen acquisition (log EI by default) over the best posterior
 *   mean among feasible trials;
 * - several: log EHVI over the front of the feasible trials' posterior means;
 * - with constraints, either one plus log P(feasible) (for log EI, log PI and log EHVI the
 *   log of their product with P; for UCB, which is not a log, a penalty); while no trial
 *   is feasible, log P(feasible) alone, to find the feasible region first.
 * Trials still running are believed to come out at the posterior mean (kriging believer):
 * each model is conditioned on them, so the promise around them is withdrawn.
 */

export interface PlanInputs {
  /** One GP per objective, fitted on the same rows `x`. */
  objectives: readonly GaussianProcess[];
  constraints: readonly ConstraintModel[];
  /** Feature rows of the training trials, and whether each is feasible. */
  x: Float64Array;
  dim: number;
  feasible: readonly boolean[];
  /** Total constraint violation of each training trial (where to start while none is feasible). */
  violations: readonly number[];
  /** Feature rows of trials still running. */
  pending: Float64Array;
  /** The acquisition with one objective, and UCB's β. */
  acquisition: AcquisitionName;
  beta: number;
}

export interface AcquisitionPlan {
  acquisition: AcquisitionFunction;
  /** Feature rows to start local searches from. */
  warmStarts: Float64Array[];
  /** ρ per parameter, for scaling the local search. */
  inverseSquaredLengthscales: Float64Array;
  /** Points the models are conditioned on (the cost of scoring a candidate grows with it). */
  size: number;
}

/** Local searches started from front points with several objectives (out of 8). */
const FRONT_WARM_STARTS = 4;

export function singleObjectivePlan(inputs: PlanInputs): AcquisitionPlan {
  const { x, dim, feasible, pending } = inputs;
  const gp = inputs.objectives[0];
  // The incumbent is the best posterior mean at an observed point, not the best
  // observation: when the fit attributes part of the data to noise, a lucky value is
  // not a bar the model can ever expect to clear, and EI would then chase variance
  // alone (far corners). Means at the data are K_f·α = y − σ²·α.
  const means = meansAtData(gp);
  let best = -1;
  for (let i = 0; i < gp.n; i++) if (feasible[i] && (best < 0 || means[i] > means[best])) best = i;
  if (best < 0) return feasibilityPlan(inputs);
  const threshold = means[best];
  // A constant liar where the model expects an improvement, a kriging believer elsewhere.
  const believed = pending.length > 0 ? gp.withFantasies(pending, threshold) : gp;
  const objective = createAcquisition(inputs.acquisition, believed, { threshold, beta: inputs.beta });
  return {
    acquisition: withFeasibility(objective, inputs),
    warmStarts: [x.slice(best * dim, (best + 1) * dim)],
    inverseSquaredLengthscales: gp.params.inverseSquaredLengthscales,
    size: believed.n,
  };
}

/**
 * Several objectives: the front and the reference point come from the feasible trials'
 * posterior means (standardised, so every objective weighs alike). The reference point
 * is `defaultReferencePoint`'s: per objective the worst of those means plus a tenth of
 * their range. Running trials believed feasible join the front at their means.
 */
export function multiObjectivePlan(inputs: PlanInputs): AcquisitionPlan {
  const { objectives, x, dim, feasible, pending } = inputs;
  const means = objectives.map(meansAtData);
  const rows = feasible.flatMap((ok, i) => (ok ? [i] : []));
  if (rows.length === 0) return feasibilityPlan(inputs);
  const points = rows.map((i) => means.map((m) => m[i]));
  const minimised = points.map((p) => p.map((v) => -v));
  const referenceMinimised = defaultReferencePoint(minimised);
  const reference = referenceMinimised.map((v) => -v);
  const front = [...points, ...believedFeasibleMeans(inputs)];
  const boxes = nonDominatedBoxes(front, reference);
  const believed = objectives.map((gp) => (pending.length > 0 ? gp.withFantasies(pending) : gp));
  // Start from the front points with the largest exclusive hypervolume: the ends and the gaps.
  const contributions = hypervolumeContributions(minimised, referenceMinimised);
  const warmStarts = rows
    .map((row, k) => ({ row, contribution: contributions[k] }))
    .filter((r) => r.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || a.row - b.row)
    .slice(0, FRONT_WARM_STARTS)
    .map(({ row }) => x.slice(row * dim, (row + 1) * dim));
  return {
    acquisition: withFeasibility(createLogEHVI(believed, boxes), inputs),
    warmStarts,
    inverseSquaredLengthscales: meanOf(objectives.map((gp) => gp.params.inverseSquaredLengthscales)),
    size: believed[0].n,
  };
}

/** No feasible trial yet: maximise the probability of feasibility, from the least violating trial. */
function feasibilityPlan(inputs: PlanInputs): AcquisitionPlan {
  const { constraints, violations, x, dim, pending } = inputs;
  let least = 0;
  for (let i = 1; i < violations.length; i++) if (violations[i] < violations[least]) least = i;
  const believed = constraints.map((c) => ({ ...c, gp: pending.length > 0 ? c.gp.withFantasies(pending) : c.gp }));
  return {
    acquisition: createLogFeasibility(believed),
    warmStarts: [x.slice(least * dim, (least + 1) * dim)],
    inverseSquaredLengthscales: meanOf(constraints.map((c) => c.gp.params.inverseSquaredLengthscales)),
    size: Math.max(...believed.map((c) => c.gp.n)),
  };
}

/** The objective's acquisition plus log P(feasible), with every constraint model conditioned on the running trials. */
function withFeasibility(objective: AcquisitionFunction, inputs: PlanInputs): AcquisitionFunction {
  const { constraints, pending } = inputs;
  if (constraints.length === 0) return objective;
  const believed = constraints.map((c) => ({ ...c, gp: pending.length > 0 ? c.gp.withFantasies(pending) : c.gp }));
  return sumOfAcquisitions([objective, createLogFeasibility(believed)]);
}

/** Posterior means of the running trials' objectives, for those whose constraint means are all feasible. */
function believedFeasibleMeans(inputs: PlanInputs): number[][] {
  const { objectives, constraints, pending, dim } = inputs;
  const believed: number[][] = [];
  for (let offset = 0; offset < pending.length; offset += dim) {
    if (constraints.some((c) => c.gp.posterior(pending, offset).mean < c.threshold)) continue;
    believed.push(objectives.map((gp) => gp.posterior(pending, offset).mean));
  }
  return believed;
}

/** Posterior means at the training points: y − σ²·α. */
function meansAtData(gp: GaussianProcess): Float64Array {
  return gp.y.map((v, i) => v - gp.params.noiseVariance * gp.alpha[i]);
}

function meanOf(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(rows[0].length);
  for (const row of rows) for (let p = 0; p < out.length; p++) out[p] += row[p] / rows.length;
  return out;
}
