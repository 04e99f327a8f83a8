import { constraintValues } from "../core/feasibility.js";
import type { StudyDirection, StudySummary, TrialRecord } from "../core/records.js";
import { lockboxRecord, testSetUses } from "../tune/test-set-record.js";
import { formatNumber } from "./table.js";

/** The rows of `tunebook trials` and `tunebook studies`, before `formatTable` lays them out. */

export interface TableRows {
  columns: string[];
  rows: unknown[][];
}

/**
 * One row per trial: number, state, the value — one `values_<i>` column per objective in
 * a study with several (as Optuna's `trials_dataframe` names them) — then, when a trial
 * has constraints, their values and whether it is feasible, then the parameters. A study
 * with one objective and no constraints gets the columns it always had.
 */
export function trialRows(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): TableRows {
  const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const several = directions.length > 1;
  const constrained = trials.some((t) => constraintValues(t) !== null);
  const columns = [
    "number",
    "state",
    ...(several ? directions.map((_, i) => `values_${i}`) : ["value"]),
    ...(constrained ? ["constraints", "feasible"] : []),
    ...paramNames,
  ];
  const rows = trials.map((t) => {
    const constraints = constraintValues(t);
    return [
      t.number,
      t.state,
      ...(several ? directions.map((_, i) => t.values?.[i] ?? null) : [t.value]),
      ...(constrained ? constraintCells(constraints) : []),
      ...paramNames.map((p) => (Object.hasOwn(t.params, p) ? t.params[p] : "")),
    ];
  });
  return { columns, rows };
}

/** The constraint values as a list, and feasible (every value ≤ 0); empty for a trial without them. */
function constraintCells(values: readonly number[] | null): string[] {
  if (values === null) return ["", ""];
  return [`[${values.map(formatNumber).join(", ")}]`, String(values.every((v) => v <= 0))];
}

export const STUDY_COLUMNS = [
  "experiment",
  "study",
  "direction",
  "complete",
  "pruned",
  "fail",
  "running",
  "best",
  "last activity",
  "test set",
];

/**
 * One row per study. A study with several objectives shows its directions
 * (`maximize,minimize`) and, in place of a best value, the size of its Pareto front
 * (`frontSize`, counted by the caller from its trials). The last cell says how often the
 * study's locked test set was used ("used 2 times"), empty for a study without one.
 */
export function studyRow(s: StudySummary, frontSize: number | null): unknown[] {
  const several = s.directions.length > 1;
  return [
    s.experiment ?? "",
    s.name,
    several ? s.directions.join(",") : s.direction,
    s.counts.COMPLETE,
    s.counts.PRUNED,
    s.counts.FAIL,
    s.counts.RUNNING,
    several ? `front of ${frontSize ?? 0}` : s.bestValue,
    s.lastActivity?.toISOString() ?? "",
    testSetCell(s),
  ];
}

function testSetCell(s: StudySummary): string {
  const record = lockboxRecord(s.systemAttrs);
  return record === null ? "" : testSetUses(record);
}
