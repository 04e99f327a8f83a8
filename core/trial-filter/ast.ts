import type { TrialState } from "../records.js";

/**
 * The parsed form of a trial filter (`params.k > 5 and state = COMPLETE`): what the
 * in-memory evaluator runs and the SQL storage compiles. Build one with `parseTrialFilter`.
 */

/** What a comparison reads from a trial. `value` is the first objective's value, `values[0]`. */
export type FilterField =
  | { kind: "param"; name: string }
  | { kind: "user_attr"; key: string }
  | { kind: "system_attr"; key: string }
  | { kind: "value" }
  | { kind: "values"; index: number }
  | { kind: "state" }
  | { kind: "number" }
  | { kind: "duration" }
  | { kind: "datetime_start" }
  | { kind: "datetime_complete" };

export type FieldKind = FilterField["kind"];

/** A literal a field is compared with; a state word is its upper-case name. */
export type FilterLiteral = number | string | boolean;

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export const COMPARE_OPS: readonly CompareOp[] = ["=", "!=", "<", "<=", ">", ">="];

export type TrialFilter =
  | { type: "and"; left: TrialFilter; right: TrialFilter }
  | { type: "or"; left: TrialFilter; right: TrialFilter }
  | { type: "not"; operand: TrialFilter }
  | { type: "compare"; field: FilterField; op: CompareOp; value: FilterLiteral }
  | { type: "in"; field: FilterField; values: FilterLiteral[]; negated: boolean }
  | { type: "null"; field: FilterField; negated: boolean };

/** Fields whose literals are numbers. */
export const NUMERIC_FIELDS: readonly FieldKind[] = ["value", "values", "number", "duration"];
/** Fields whose literals are datetimes, written as ISO strings. */
export const DATETIME_FIELDS: readonly FieldKind[] = ["datetime_start", "datetime_complete"];

/** A state literal, once checked. */
export type StateLiteral = TrialState;

/** The fields a filter may name, as written (for messages and completion). */
export const FIELD_NAMES: readonly string[] = [
  "params.<name>",
  "value",
  "values[i]",
  "user_attrs.<key>",
  "system_attrs.<key>",
  "state",
  "number",
  "duration",
  "datetime_start",
  "datetime_complete",
];

/** What a trial list is sorted by: a field and a direction. Missing values sort last either way; ties by number. */
export interface TrialOrder {
  field: FilterField;
  direction: "asc" | "desc";
}

/** The fields a filter reads, in the order written (a field named twice is listed twice). */
export function filterFields(filter: TrialFilter): FilterField[] {
  if (filter.type === "and" || filter.type === "or") return [...filterFields(filter.left), ...filterFields(filter.right)];
  if (filter.type === "not") return filterFields(filter.operand);
  return [filter.field];
}
