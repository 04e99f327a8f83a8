import type { JsonValue, TrialRecord } from "../records.js";
import type { CompareOp, FilterField, FilterLiteral, TrialFilter, TrialOrder } from "./ast.js";
import { parseFilterDatetime } from "./datetime.js";

/**
 * The in-memory meaning of a filter, which the SQL storage reproduces exactly.
 *
 * Three-valued, as SQL: a comparison with a missing value (a trial without that param or
 * attribute, a value a trial does not have yet, a JSON null, an array or object) is
 * unknown, and so is a comparison across types (a string with a number); `not` of unknown
 * is unknown, `and`/`or` follow Kleene's logic, and a trial matches only when the whole
 * filter is true. So a trial without param k matches neither `params.k > 5` nor
 * `not params.k > 5`; only `params.k is null` finds it.
 *
 * Numbers compare as numbers (NaN as missing), strings by code point (as SQL's binary
 * collation), booleans with false < true. A categorical parameter compares by its choice.
 */

/** A value a field reads: a scalar, null when missing, or `OTHER` for a JSON array or object. */
export type FieldValue = number | string | boolean | null | typeof OTHER;
export const OTHER: unique symbol = Symbol("array or object");

export function evaluateTrialFilter(filter: TrialFilter, trial: TrialRecord): boolean | null {
  switch (filter.type) {
    case "and": {
      const left = evaluateTrialFilter(filter.left, trial);
      if (left === false) return false;
      const right = evaluateTrialFilter(filter.right, trial);
      if (right === false) return false;
      return left === null || right === null ? null : true;
    }
    case "or": {
      const left = evaluateTrialFilter(filter.left, trial);
      if (left === true) return true;
      const right = evaluateTrialFilter(filter.right, trial);
      if (right === true) return true;
      return left === null || right === null ? null : false;
    }
    case "not": {
      const inner = evaluateTrialFilter(filter.operand, trial);
      return inner === null ? null : !inner;
    }
    case "compare":
      return compareFieldValue(fieldValue(trial, filter.field), filter.op, literalValue(filter.field, filter.value));
    case "in": {
      const value = fieldValue(trial, filter.field);
      let found: boolean | null = false;
      for (const v of filter.values) {
        const equal = compareFieldValue(value, "=", literalValue(filter.field, v));
        if (equal === true) {
          found = true;
          break;
        }
        if (equal === null) found = null;
      }
      return filter.negated && found !== null ? !found : found;
    }
    case "null": {
      const value = fieldValue(trial, filter.field);
      const isNull = value === null;
      return filter.negated ? !isNull : isNull;
    }
  }
}

/** Whether the trial matches: the filter is true for it (not false, not unknown). */
export function matchesTrialFilter(filter: TrialFilter, trial: TrialRecord): boolean {
  return evaluateTrialFilter(filter, trial) === true;
}

/** What `field` reads from the trial. Datetimes read as milliseconds since the epoch, durations as seconds. */
export function fieldValue(trial: TrialRecord, field: FilterField): FieldValue {
  switch (field.kind) {
    case "param":
      return Object.hasOwn(trial.params, field.name) ? trial.params[field.name] : null;
    case "user_attr":
      return jsonValue(trial.userAttrs, field.key);
    case "system_attr":
      return jsonValue(trial.systemAttrs, field.key);
    case "value":
      return trial.values?.[0] ?? null;
    case "values":
      return trial.values?.[field.index] ?? null;
    case "state":
      return trial.state;
    case "number":
      return trial.number;
    case "duration":
      return trial.datetimeStart && trial.datetimeComplete
        ? (trial.datetimeComplete.getTime() - trial.datetimeStart.getTime()) / 1000
        : null;
    case "datetime_start":
      return trial.datetimeStart?.getTime() ?? null;
    case "datetime_complete":
      return trial.datetimeComplete?.getTime() ?? null;
  }
}

function jsonValue(attrs: Record<string, JsonValue>, key: string): FieldValue {
  if (!Object.hasOwn(attrs, key)) return null;
  const value = attrs[key];
  return value !== null && typeof value === "object" ? OTHER : value;
}

/** A literal as the field reads values: datetimes as milliseconds. */
export function literalValue(field: FilterField, value: FilterLiteral): number | string | boolean {
  if ((field.kind === "datetime_start" || field.kind === "datetime_complete") && typeof value === "string")
    return parseFilterDatetime(value)?.getTime() ?? Number.NaN;
  return value;
}

/** `a op b`, or null when unknown: `a` missing, NaN, or of another type than `b`. */
export function compareFieldValue(a: FieldValue, op: CompareOp, b: number | string | boolean): boolean | null {
  if (a === null || a === OTHER || typeof a !== typeof b) return null;
  if (typeof a === "number" && (Number.isNaN(a) || Number.isNaN(b as number))) return null;
  const order = typeof a === "string" ? compareCodePoints(a, b as string) : compareNumbers(Number(a), Number(b));
  switch (op) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}

/** -1, 0 or 1; equal infinities are equal. */
function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strings by code point, which is UTF-8 byte order: what SQLite's BINARY and PostgreSQL's "C" collations do. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Types in the order a sort puts them: numbers, then strings, then booleans. */
const TYPE_RANK = { number: 0, string: 1, boolean: 2 } as Record<string, number>;

/**
 * Sorts trials by a field (a copy): numbers, then strings, then booleans, each in order;
 * `desc` reverses that. Missing values (and NaN, arrays, objects) go last either way, and
 * ties keep trial number order.
 */
export function sortTrials(trials: readonly TrialRecord[], order: TrialOrder): TrialRecord[] {
  const sign = order.direction === "asc" ? 1 : -1;
  const keyed = trials.map((trial) => ({ trial, key: sortable(fieldValue(trial, order.field)) }));
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) {
      if (a.key !== b.key) return a.key === null ? 1 : -1;
      return a.trial.number - b.trial.number;
    }
    const rank = TYPE_RANK[typeof a.key] - TYPE_RANK[typeof b.key];
    let cmp = rank;
    if (cmp === 0)
      cmp = typeof a.key === "string" ? compareCodePoints(a.key, b.key as string) : compareNumbers(Number(a.key), Number(b.key));
    return cmp !== 0 ? cmp * sign : a.trial.number - b.trial.number;
  });
  return keyed.map((k) => k.trial);
}

function sortable(value: FieldValue): number | string | boolean | null {
  if (value === OTHER || value === null) return null;
  if (typeof value === "number" && Number.isNaN(value)) return null;
  return value;
}
