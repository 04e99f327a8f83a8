import { constraintValues } from "../core/feasibility.js";
import type { JsonValue, TrialRecord } from "../core/records.js";

export interface TrialsTableOptions {
  /**
   * The study's number of objectives (default: the most values any trial holds, at least 1).
   * One objective: a `value` column; several: `values_0`, `values_1`, … as Optuna's
   * `trials_dataframe` names them.
   */
  objectives?: number;
}

/**
 * A study's trials as a flat table, in the spirit of Optuna's `trials_dataframe`:
 * one row per trial, its value (or one `values_<i>` column per objective), its constraint
 * values as a JSON list in `constraints` when any trial has some, one `params_<name>`
 * column per parameter, one `user_attrs_<key>` column per user attribute (JSON text for
 * non-scalar values).
 */
export function trialsTable(
  trials: readonly TrialRecord[],
  options: TrialsTableOptions = {},
): { columns: string[]; rows: (string | number | boolean | null)[][] } {
  const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const attrKeys = [...new Set(trials.flatMap((t) => Object.keys(t.userAttrs)))].sort();
  const objectives = options.objectives ?? Math.max(1, ...trials.map((t) => t.values?.length ?? 0));
  const valueColumns = objectives === 1 ? ["value"] : Array.from({ length: objectives }, (_, i) => `values_${i}`);
  const constrained = trials.some((t) => constraintValues(t) !== null);
  const columns = [
    "number",
    "state",
    ...valueColumns,
    ...(constrained ? ["constraints"] : []),
    "datetime_start",
    "datetime_complete",
    "duration_seconds",
    ...paramNames.map((p) => `params_${p}`),
    ...attrKeys.map((k) => `user_attrs_${k}`),
    "error",
  ];
  const rows = trials.map((t) => [
    t.number,
    t.state,
    ...(objectives === 1 ? [t.value] : valueColumns.map((_, i) => t.values?.[i] ?? null)),
    ...(constrained ? [constraintValues(t) === null ? null : JSON.stringify(constraintValues(t))] : []),
    t.datetimeStart?.toISOString() ?? null,
    t.datetimeComplete?.toISOString() ?? null,
    t.datetimeStart && t.datetimeComplete ? (t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 1000 : null,
    ...paramNames.map((p) => (Object.hasOwn(t.params, p) ? t.params[p] : null)),
    ...attrKeys.map((k) => (Object.hasOwn(t.userAttrs, k) ? scalar(t.userAttrs[k]) : null)),
    t.error ?? null,
  ]);
  return { columns, rows };
}

function scalar(value: JsonValue): string | number | boolean | null {
  return value === null || typeof value !== "object" ? value : JSON.stringify(value);
}

/**
 * RFC 4180 CSV: fields with commas, quotes or line breaks are quoted. A text cell that
 * starts like a formula gets a leading `'` (see `inertText`); numbers are written as they are.
 */
export function trialsToCsv(trials: readonly TrialRecord[], options: TrialsTableOptions = {}): string {
  const { columns, rows } = trialsTable(trials, options);
  const field = (v: string | number | boolean | null) => {
    if (v === null) return "";
    const text = typeof v === "string" ? inertText(v) : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[columns, ...rows].map((row) => row.map(field).join(",")).join("\n")}\n`;
}

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
 * return before one) as a formula, and a formula can fetch URLs or run commands. OWASP's
 * remedy: a leading `'`, which makes the cell plain text.
 */
function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** JSON export: the full records (dates as ISO strings). */
export function trialsToJson(trials: readonly TrialRecord[]): string {
  return `${JSON.stringify(trials, null, 2)}\n`;
}
