/** Input checks shared by the metrics. */
import { show, ValueError } from "../../core/errors.js";

export function checkArray(where: string, name: string, values: unknown): void {
  if (!Array.isArray(values)) throw new ValueError(`${where}: ${name} must be an array, got ${show(values)}.`);
}

/** Both arrays present, non-empty and of one length. */
export function checkPair(where: string, yTrue: readonly unknown[], yPred: readonly unknown[], predName = "yPred"): number {
  checkArray(where, "yTrue", yTrue);
  checkArray(where, predName, yPred);
  if (yTrue.length !== yPred.length) {
    throw new ValueError(
      `${where}: yTrue and ${predName} have different lengths (${yTrue.length} and ${yPred.length}); pass one prediction per row.`,
    );
  }
  if (yTrue.length === 0) throw new ValueError(`${where}: yTrue and ${predName} are empty; a score needs at least one row.`);
  return yTrue.length;
}

/** Every value a finite number. */
export function checkFinite(where: string, name: string, values: readonly unknown[]): asserts values is readonly number[] {
  values.forEach((value, i) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new ValueError(`${where}: ${name}[${i}] = ${show(value)} is not a finite number.`);
    }
  });
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

export function mean(values: ArrayLike<number>): number {
  return sum(values) / values.length;
}
