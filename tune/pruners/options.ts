import { show, ValueError } from "../../core/errors.js";

/**
 * Option checks shared by the pruners: each names the pruner, the option, the bad
 * value and what would be accepted, so a mistake is caught where the pruner is built.
 */

/** An integer ≥ `min`. */
export function checkInteger(where: string, name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${where}: ${name} must be an integer ≥ ${min}, got ${show(value)}; use for example ${name}: ${min}.`);
  }
  return value;
}

/** A finite number in [min, max]. */
export function checkNumberInRange(where: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new ValueError(`${where}: ${name} must be a number between ${min} and ${max} inclusive, got ${show(value)}.`);
  }
  return value;
}
