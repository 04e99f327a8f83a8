import type { ParamValue, TrialRecord } from "../../core/records.js";
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

/** Trials as a table, in the order given: number, state, value, duration, then one column per parameter. */
export function trialsBundle(trials: readonly TrialRecord[], options: { rows?: number } = {}): MimeBundle {
  const limit = options.rows ?? 50;
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const shown = trials.slice(0, limit);
  const rows = shown.map((t): TableValue[] => [
    t.number,
    t.state,
    t.value,
    seconds(t),
    ...params.map((p): ParamValue | undefined => (Object.hasOwn(t.params, p) ? t.params[p] : undefined)),
  ]);
  const caption = `${trials.length} trial${trials.length === 1 ? "" : "s"}${trials.length > shown.length ? ` (first ${shown.length} shown)` : ""}`;
  return tableBundle(["number", "state", "value", "seconds", ...params], rows, { caption });
}

function seconds(t: TrialRecord): number | null {
  if (!t.datetimeStart || !t.datetimeComplete) return null;
  return Math.round((t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 10) / 100;
}
