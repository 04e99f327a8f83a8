import { show, ValueError } from "../../core/errors.js";
import type { JsonValue, StudyDirection, StudySummary, TrialRecord } from "../../core/records.js";

/**
 * A study's objectives as the UI and the notebook name them, and one objective's values
 * seen as a trial's `value`, so every single-objective chart and analysis can draw any
 * objective of a study with several.
 */

/**
 * Study attribute (system or user) naming the objectives: a list of strings, one per
 * objective. Read only here (`objectiveNames`).
 */
export const OBJECTIVE_NAMES_ATTR = "tunebook:objective_names";

type Named = Pick<StudySummary, "directions" | "userAttrs" | "systemAttrs">;

/**
 * The objectives' names: the study attribute `tunebook:objective_names` when it is a list
 * of one non-empty string per objective (the system attribute first, then the user
 * attribute), else null.
 */
export function storedObjectiveNames(study: Named): string[] | null {
  for (const attrs of [study.systemAttrs, study.userAttrs]) {
    const stored: JsonValue | undefined = Object.hasOwn(attrs, OBJECTIVE_NAMES_ATTR) ? attrs[OBJECTIVE_NAMES_ATTR] : undefined;
    if (
      Array.isArray(stored) &&
      stored.length === study.directions.length &&
      stored.every((name) => typeof name === "string" && name.trim() !== "")
    )
      return stored as string[];
  }
  return null;
}

/**
 * Each objective's title with its direction, for axes, legends and table headers:
 * `accuracy (maximize)` from the stored names, else `Objective 0 (maximize)`. A study with
 * one objective and no stored name keeps the charts' "Objective value".
 */
export function objectiveTitles(study: Named): string[] {
  const names = storedObjectiveNames(study);
  if (names === null && study.directions.length === 1) return ["Objective value"];
  return study.directions.map((direction, i) => `${names?.[i] ?? `Objective ${i}`} (${direction})`);
}

/** True for a study with several objectives. */
export function isMultiObjective(study: Pick<StudySummary, "directions">): boolean {
  return study.directions.length > 1;
}

/** Checks an objective index against the study; returns it. */
export function checkObjective(study: Pick<StudySummary, "name" | "directions">, objective: unknown): number {
  const count = study.directions.length;
  if (typeof objective !== "number" || !Number.isInteger(objective) || objective < 0 || objective >= count) {
    throw new ValueError(
      `objective must be an index from 0 to ${count - 1} (study ${show(study.name)} has ${count} objective${count === 1 ? "" : "s"}), got ${show(objective)}.`,
    );
  }
  return objective;
}

/** The trial's value of one objective: `values[i]`, or for objective 0 of an older record, `value`. */
export function objectiveValue(trial: Pick<TrialRecord, "value" | "values">, objective: number): number | null {
  const v = trial.values?.[objective];
  if (v !== undefined && v !== null) return v;
  return objective === 0 && trial.values === null ? trial.value : null;
}

/**
 * The trials with `value` set to one objective's value, so the single-objective charts
 * and analyses draw it. Objective 0 of a study with one objective is the trials as they are.
 */
export function trialsForObjective(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  objective: number,
): readonly TrialRecord[] {
  if (directions.length === 1 && objective === 0) return trials;
  return trials.map((t) => ({ ...t, value: objectiveValue(t, objective) }));
}
