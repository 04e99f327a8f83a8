import type { ParamValue, TrialRecord } from "../../core/records.js";
import { constraintColumns, feasibilityOf } from "../../tracker/analysis/constraints.js";
import type { MimeBundle } from "./output.js";
import { type TableValue, tableBundle } from "./table.js";

/** True for an array of trial records (as `study.trials()` returns). */
export function isTrialList(value: unknown): value is TrialRecord[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (t) =>
        t !== null &&
        typeof t === "object" &&
        typeof t.number === "number" &&
        typeof t.state === "string" &&
        typeof t.params === "object" &&
        "trialId" in t,
    )
  );
}

export interface TrialsBundleOptions {
  /** Rows shown (default 50). */
  rows?: number;
  /**
   * Titles of the study's objectives: with several, one column each instead of `value`
   * (default `values_0`, `values_1`, … when a trial holds several values).
   */
  objectives?: readonly string[];
}

/**
 * Trials as a table, in the order given: number, state, the value (or one column per
 * objective), one column per constraint and "feasible" when any trial has constraints,
 * duration, then one column per parameter.
 */
export function trialsBundle(trials: readonly TrialRecord[], options: TrialsBundleOptions = {}): MimeBundle {
  const limit = options.rows ?? 50;
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const held = Math.max(1, ...trials.map((t) => t.values?.length ?? 0));
  const objectives = options.objectives ?? (held > 1 ? Array.from({ length: held }, (_, i) => `values_${i}`) : ["value"]);
  const constraints = constraintColumns(trials);
  const shown = trials.slice(0, limit);
  const rows = shown.map((t): TableValue[] => [
    t.number,
    t.state,
    ...(objectives.length > 1 ? objectives.map((_, i) => t.values?.[i] ?? null) : [t.value]),
    ...constraints.map((c) => c.read(t)),
    ...(constraints.length ? [feasible(t)] : []),
    seconds(t),
    ...params.map((p): ParamValue | undefined => (Object.hasOwn(t.params, p) ? t.params[p] : undefined)),
  ]);
  const caption = `${trials.length} trial${trials.length === 1 ? "" : "s"}${trials.length > shown.length ? ` (first ${shown.length} shown)` : ""}`;
  const columns = [
    "number",
    "state",
    ...(objectives.length > 1 ? objectives : ["value"]),
    ...constraints.map((c) => `constraint ${c.label}`),
    ...(constraints.length ? ["feasible"] : []),
    "seconds",
    ...params,
  ];
  return tableBundle(columns, rows, { caption });
}

function feasible(t: TrialRecord): string | null {
  const f = feasibilityOf(t);
  return f === null ? null : f ? "yes" : "no";
}

function seconds(t: TrialRecord): number | null {
  if (!t.datetimeStart || !t.datetimeComplete) return null;
  return Math.round((t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 10) / 100;
}
