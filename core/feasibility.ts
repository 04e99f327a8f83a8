import { show, ValueError } from "./errors.js";
import { SYSTEM_ATTR, type TrialRecord } from "./records.js";

/**
 * Constraints, as Optuna keeps them: a trial's constraint values are a list in its system
 * attribute `constraints`, and the trial is feasible when every value is ≤ 0. A trial with
 * no constraint values is feasible (nothing constrains it).
 */

/** The trial's constraint values, or null when it has none (or they are not a list of numbers). */
export function constraintValues(trial: Pick<TrialRecord, "systemAttrs">): number[] | null {
  const stored = Object.hasOwn(trial.systemAttrs, SYSTEM_ATTR.constraints) ? trial.systemAttrs[SYSTEM_ATTR.constraints] : undefined;
  if (!Array.isArray(stored) || !stored.every((v) => typeof v === "number")) return null;
  return stored as number[];
}

/** True unless a constraint value is > 0 (or NaN). */
export function isFeasible(trial: Pick<TrialRecord, "systemAttrs">): boolean {
  const values = constraintValues(trial);
  return values === null || values.every((v) => v <= 0);
}

/** The total violation Optuna's constrained dominance ranks infeasible trials by: Σ max(0, c). */
export function violation(trial: Pick<TrialRecord, "systemAttrs">): number {
  const values = constraintValues(trial);
  if (values === null) return 0;
  let sum = 0;
  for (const v of values) sum += Number.isNaN(v) ? Infinity : Math.max(0, v);
  return sum;
}

/** A constraint value as the user gives it: a number, not NaN (±Infinity are allowed, as in Optuna). */
export function checkConstraintValue(where: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValueError(`${where}: a constraint value must be a number (feasible when ≤ 0), got ${show(value)}.`);
  }
  return value;
}
