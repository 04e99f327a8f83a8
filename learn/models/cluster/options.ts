/** Checks of the clustering models' options: each names the model, the option and the bad value. */
import { show, ValueError } from "../../../core/errors.js";

/** A finite number above `min` (or at least `min` when `inclusive`). */
export function checkNumberAbove(where: string, option: string, value: unknown, min: number, inclusive: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || (!inclusive && value === min)) {
    throw new ValueError(`${where}: ${option} must be a finite number ${inclusive ? ">=" : ">"} ${min}, got ${show(value)}.`);
  }
  return value;
}
