import type { FilterField, TrialFilter, TrialOrder } from "../../core/trial-filter/ast.js";
import type { TrialQueryOptions } from "../storage/storage.js";
import type { TrialQuery } from "./trial-table.js";

/**
 * The trials table's query as one `Storage.queryTrials` call, which filters, sorts and
 * pages in the database: the `where` filter and the state, parameter-range and
 * objective-range filters joined with `and`. Null when the query needs what only the
 * server computes (constraint columns, feasibility): the server then filters its own copy.
 */
export function storageTrialQuery(q: TrialQuery): TrialQueryOptions | null {
  if (q.constraintRanges.length > 0 || q.feasible !== null) return null;
  const orderBy = storageOrder(q.sort, q.order);
  if (!orderBy) return null;
  const parts: TrialFilter[] = [];
  if (q.where) parts.push(q.where.filter);
  for (const r of q.ranges) parts.push(...between({ kind: "param", name: r.name }, r.min, r.max, true));
  for (const r of q.objectiveRanges) parts.push(...between({ kind: "values", index: r.index }, r.min, r.max, false));
  const where = parts.reduce<TrialFilter | undefined>((all, part) => (all ? { type: "and", left: all, right: part } : part), undefined);
  return {
    ...(where ? { where } : {}),
    ...(q.states ? { states: q.states } : {}),
    orderBy,
    limit: q.limit,
    offset: q.offset,
  };
}

/** `min ≤ field ≤ max`; with no bound, `field` must still be a number when `required` (as the table's range filter asks). */
function between(field: FilterField, min: number | null, max: number | null, required: boolean): TrialFilter[] {
  const parts: TrialFilter[] = [];
  if (min !== null) parts.push({ type: "compare", field, op: ">=", value: min });
  if (max !== null) parts.push({ type: "compare", field, op: "<=", value: max });
  if (parts.length === 0 && required) parts.push({ type: "compare", field, op: "<=", value: Number.MAX_VALUE });
  return parts;
}

/** The table's sort key as a field, or null for those the storage cannot sort by (feasibility, constraints). */
function storageOrder(sort: string, direction: "asc" | "desc"): TrialOrder | null {
  const fixed: Record<string, FilterField> = {
    number: { kind: "number" },
    value: { kind: "value" },
    state: { kind: "state" },
    duration: { kind: "duration" },
    start: { kind: "datetime_start" },
    complete: { kind: "datetime_complete" },
  };
  if (Object.hasOwn(fixed, sort)) return { field: fixed[sort], direction };
  if (sort.startsWith("param:")) return { field: { kind: "param", name: sort.slice("param:".length) }, direction };
  if (sort.startsWith("objective:")) return { field: { kind: "values", index: Number(sort.slice("objective:".length)) }, direction };
  return null;
}
