import { show } from "../core/errors.js";
import type { StudyDirection } from "../core/records.js";

/** How an objective's result is judged as a trial's values, the same in `optimize`, `tell` and `addTrial`. */

/** What is wrong with an objective's result as values for these directions; null when it is one finite number per objective. */
export function valuesProblem(values: readonly unknown[], directions: readonly StudyDirection[]): string | null {
  if (values.length !== directions.length) {
    return `${values.length} value${values.length === 1 ? "" : "s"} for ${directions.length} objective${directions.length === 1 ? "" : "s"}`;
  }
  const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad < 0) return null;
  return directions.length === 1 ? "not a finite number" : `value ${bad} is ${show(values[bad])}, not a finite number`;
}

export function needed(directions: readonly StudyDirection[]): string {
  return directions.length === 1 ? "a finite numeric value" : `${directions.length} finite values (${directions.join(", ")})`;
}

/** Values as the user gave them: one objective's value as itself, else the list. */
export function shown(values: readonly unknown[], directions: readonly StudyDirection[]): unknown {
  return values.length === 1 && directions.length === 1 ? values[0] : values;
}
