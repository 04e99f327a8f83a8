import { constraintValues } from "../../core/feasibility.js";
import { SYSTEM_ATTR, type TrialRecord } from "../../core/records.js";

/**
 * A study's constraints as table columns. A trial's constraint values are a list (system
 * attribute `constraints`): first those of the study's constraints function, then those
 * the trial set by name, each also stored under `constraints:<name>`. So the last entries
 * of the list have names and are read by name; the others are columns `constraints[i]`.
 */

const NAMED_PREFIX = `${SYSTEM_ATTR.constraints}:`;

export interface ConstraintColumn {
  /** Header: the constraint's name, or `constraints[i]` for an unnamed one. */
  label: string;
  /** The trial's value of this constraint; null when it has none. */
  read: (trial: TrialRecord) => number | null;
}

/** The named constraints a trial set, in the order its system attributes hold them. */
function namedKeys(trial: TrialRecord): string[] {
  return Object.keys(trial.systemAttrs).filter((key) => key.startsWith(NAMED_PREFIX) && typeof trial.systemAttrs[key] === "number");
}

/** One column per unnamed position of the lists, then one per name, in order of first appearance. */
export function constraintColumns(trials: readonly TrialRecord[]): ConstraintColumn[] {
  let unnamed = 0;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const t of trials) {
    const list = constraintValues(t);
    const keys = namedKeys(t);
    if (list !== null) unnamed = Math.max(unnamed, list.length - keys.length);
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      names.push(key);
    }
  }
  const columns: ConstraintColumn[] = [];
  for (let i = 0; i < unnamed; i++) {
    columns.push({
      label: `constraints[${i}]`,
      read: (t) => {
        const list = constraintValues(t);
        // Positions past the unnamed ones belong to the names (read by name below).
        return list !== null && i < list.length - namedKeys(t).length ? list[i] : null;
      },
    });
  }
  for (const key of names) {
    columns.push({
      label: key.slice(NAMED_PREFIX.length),
      read: (t) => (Object.hasOwn(t.systemAttrs, key) && typeof t.systemAttrs[key] === "number" ? (t.systemAttrs[key] as number) : null),
    });
  }
  return columns;
}

/** Feasibility as a table shows it: null for a trial with no constraint values (nothing to judge). */
export function feasibilityOf(trial: TrialRecord): boolean | null {
  const values = constraintValues(trial);
  return values === null ? null : values.every((v) => v <= 0);
}
