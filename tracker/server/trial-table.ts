import { show } from "../../core/errors.js";
import { type ParamValue, TRIAL_STATES, type TrialRecord, type TrialState } from "../../core/records.js";
import type { TrialFilter } from "../../core/trial-filter/ast.js";
import { TrialFilterError } from "../../core/trial-filter/errors.js";
import { matchesTrialFilter } from "../../core/trial-filter/evaluate.js";
import { parseTrialFilter } from "../../core/trial-filter/parser.js";
import { type ConstraintColumn, feasibilityOf } from "../analysis/constraints.js";
import { objectiveValue } from "../analysis/objectives.js";
import { paramValue } from "../analysis/trial-params.js";
import { badParam, HttpError } from "./http-errors.js";
import { allValues, checkQueryKeys, enumValue, intValue, listValue, oneValue, type Query } from "./query.js";
import { durationSeconds } from "./serialize.js";
import type { ParamInfo } from "./types.js";

/**
 * The trials table, answered on the server: filter by state and parameter ranges,
 * sort, then cut one page. The filtered, sorted list is memoised per study version,
 * so paging through a 100,000-trial study sorts it once.
 */
export interface TrialQuery {
  /** A filter (core/trial-filter), as written, and parsed; null: none. */
  where: { text: string; filter: TrialFilter } | null;
  states: TrialState[] | null;
  ranges: ParamRange[];
  /** Ranges of objective values (`objective=<index>:<min>:<max>`). */
  objectiveRanges: IndexRange[];
  /** Ranges of constraint values (`constraint=<column index>:<min>:<max>`). */
  constraintRanges: IndexRange[];
  /** Only feasible (true) or infeasible (false) trials; null: all, with constraint values or not. */
  feasible: boolean | null;
  /**
   * `number`, `value`, `state`, `duration`, `start`, `complete`, `feasible`,
   * `param:<name>`, `objective:<index>` or `constraint:<column index>`.
   */
  sort: string;
  order: "asc" | "desc";
  offset: number;
  limit: number;
}

export interface ParamRange {
  name: string;
  min: number | null;
  max: number | null;
}

/** A range over the objective or constraint column of that index. */
export interface IndexRange {
  index: number;
  min: number | null;
  max: number | null;
}

/** The value columns a study's table has, besides its parameters. */
export interface TableColumns {
  /** Objectives of the study. */
  objectives: number;
  /** Constraint columns (tracker/analysis/constraints.ts). */
  constraints: number;
}

export const TRIALS_QUERY_KEYS = [
  "where",
  "state",
  "range",
  "objective",
  "constraint",
  "feasible",
  "sort",
  "order",
  "offset",
  "limit",
] as const;
const FIXED_SORTS = ["number", "value", "state", "duration", "start", "complete", "feasible"] as const;
/** Rows per page at most: a page is for reading, exports are for everything. */
export const MAX_LIMIT = 1000;

export function parseTrialQuery(
  query: Query,
  params: readonly ParamInfo[],
  columns: TableColumns = { objectives: 1, constraints: 0 },
): TrialQuery {
  checkQueryKeys(query, TRIALS_QUERY_KEYS);
  const stateList = listValue(query, "state");
  for (const s of stateList) {
    if (!(TRIAL_STATES as readonly string[]).includes(s))
      throw badParam("state", `Query parameter "state" takes trial states (${TRIAL_STATES.join(", ")}), got ${show(s)}.`);
  }
  const ranges = allValues(query, "range").map((raw) => parseRange(raw, params));
  const objectiveRanges = allValues(query, "objective").map((raw) => parseIndexRange("objective", raw, columns.objectives));
  const constraintRanges = allValues(query, "constraint").map((raw) => parseIndexRange("constraint", raw, columns.constraints));
  const feasible = enumValue(query, "feasible", ["true", "false", "any"] as const, "any");
  const sort = allValues(query, "sort").length ? parseSort(allValues(query, "sort"), params, columns) : "number";
  return {
    where: parseWhere(query),
    states: stateList.length ? [...new Set(stateList as TrialState[])] : null,
    ranges,
    objectiveRanges,
    constraintRanges,
    feasible: feasible === "any" ? null : feasible === "true",
    sort,
    order: enumValue(query, "order", ["asc", "desc"] as const, "asc"),
    offset: intValue(query, "offset", 0, 0, Number.MAX_SAFE_INTEGER),
    limit: intValue(query, "limit", 50, 1, MAX_LIMIT),
  };
}

/** The `where` filter; a 400 naming the position of a mistake, for the page to mark it. */
function parseWhere(query: Query): TrialQuery["where"] {
  const text = oneValue(query, "where");
  if (text === undefined || text.trim() === "") return null;
  try {
    return { text, filter: parseTrialFilter(text) };
  } catch (error) {
    if (!(error instanceof TrialFilterError)) throw error;
    throw new HttpError(400, error.reason, "where", { position: error.position, length: error.length });
  }
}

function parseSort(values: string[], params: readonly ParamInfo[], columns: TableColumns): string {
  if (values.length > 1) throw badParam("sort", `Query parameter "sort" was given ${values.length} times; give it once.`);
  const sort = values[0];
  if ((FIXED_SORTS as readonly string[]).includes(sort)) return sort;
  if (sort.startsWith("param:") && params.some((p) => p.name === sort.slice(6))) return sort;
  const indexed = /^(objective|constraint):(\d{1,6})$/.exec(sort);
  if (indexed && Number(indexed[2]) < (indexed[1] === "objective" ? columns.objectives : columns.constraints)) return sort;
  const constraints = columns.constraints ? `, constraint:<0 to ${columns.constraints - 1}>` : "";
  throw badParam(
    "sort",
    `Query parameter "sort" must be one of ${FIXED_SORTS.join(", ")}, param:<name> of a parameter of the study, objective:<0 to ${columns.objectives - 1}>${constraints}, got ${show(sort)}.`,
  );
}

/** `<index>:<min>:<max>` over the objective or constraint columns; either bound may be empty. */
function parseIndexRange(key: "objective" | "constraint", raw: string, count: number): IndexRange {
  const match = /^(\d{1,6}):([^:]*):([^:]*)$/.exec(raw);
  if (!match)
    throw badParam(key, `Query parameter ${show(key)} must look like <index>:<min>:<max> (either bound may be empty), got ${show(raw)}.`);
  const index = Number(match[1]);
  if (index >= count) {
    const has = count === 0 ? "none" : `${count}, numbered from 0`;
    throw badParam(key, `Query parameter ${show(key)}: index ${index} is past the study's ${key}s (it has ${has}).`);
  }
  const bound = (text: string): number | null => {
    if (text.trim() === "") return null;
    const value = Number(text);
    if (!Number.isFinite(value)) throw badParam(key, `Query parameter ${show(key)}: bound ${show(text)} is not a number.`);
    return value;
  };
  const min = bound(match[2]);
  const max = bound(match[3]);
  if (min !== null && max !== null && min > max)
    throw badParam(key, `Query parameter ${show(key)}: the minimum ${min} is above the maximum ${max}.`);
  return { index, min, max };
}

/** `<name>:<min>:<max>`, either bound may be empty; the name may itself contain colons. */
function parseRange(raw: string, params: readonly ParamInfo[]): ParamRange {
  const last = raw.lastIndexOf(":");
  const middle = last > 0 ? raw.lastIndexOf(":", last - 1) : -1;
  if (middle < 0)
    throw badParam("range", `Query parameter "range" must look like <param>:<min>:<max> (either bound may be empty), got ${show(raw)}.`);
  const name = raw.slice(0, middle);
  const info = params.find((p) => p.name === name);
  if (!info)
    throw badParam(
      "range",
      `Query parameter "range" names ${show(name)}, which is not a parameter of the study. Parameters: ${params.map((p) => p.name).join(", ") || "(none)"}.`,
    );
  if (info.kind === "categorical")
    throw badParam("range", `Query parameter "range": ${show(name)} is categorical and has no range; filter numeric parameters only.`);
  const bound = (text: string): number | null => {
    if (text.trim() === "") return null;
    const value = Number(text);
    if (!Number.isFinite(value)) throw badParam("range", `Query parameter "range": bound ${show(text)} of ${show(name)} is not a number.`);
    return value;
  };
  const min = bound(raw.slice(middle + 1, last));
  const max = bound(raw.slice(last + 1));
  if (min !== null && max !== null && min > max)
    throw badParam("range", `Query parameter "range": for ${show(name)} the minimum ${min} is above the maximum ${max}.`);
  return { name, min, max };
}

const outside = (v: number | null | undefined, r: { min: number | null; max: number | null }) =>
  typeof v !== "number" || Number.isNaN(v) || (r.min !== null && v < r.min) || (r.max !== null && v > r.max);

/** Filtered and sorted trials (not yet paginated); `constraints` are the study's constraint columns. */
export function selectTrials(
  trials: readonly TrialRecord[],
  q: Omit<TrialQuery, "offset" | "limit">,
  constraints: readonly ConstraintColumn[] = [],
): TrialRecord[] {
  const states = q.states ? new Set(q.states) : null;
  const feasible = q.feasible;
  const selected = trials.filter((t) => {
    if (states && !states.has(t.state)) return false;
    if (q.where && !matchesTrialFilter(q.where.filter, t)) return false;
    for (const r of q.ranges) {
      const v = paramValue(t, r.name);
      if (typeof v !== "number") return false;
      if ((r.min !== null && v < r.min) || (r.max !== null && v > r.max)) return false;
    }
    for (const r of q.objectiveRanges) if (outside(objectiveValue(t, r.index), r)) return false;
    for (const r of q.constraintRanges) if (outside(constraints[r.index]?.read(t), r)) return false;
    if (feasible !== null && feasibilityOf(t) !== feasible) return false;
    return true;
  });
  if (q.sort === "number") return q.order === "asc" ? selected : selected.reverse();
  const key = sortKey(q.sort, constraints);
  const keys = new Map<TrialRecord, number | string | null>();
  for (const t of selected) keys.set(t, key(t));
  const sign = q.order === "asc" ? 1 : -1;
  // Missing values go last in either order; ties keep trial order.
  return selected.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    if (ka === null || kb === null) return ka === kb ? a.number - b.number : ka === null ? 1 : -1;
    if (ka === kb) return a.number - b.number;
    if (typeof ka === "number" && typeof kb === "number") return (ka - kb) * sign;
    return (String(ka) < String(kb) ? -1 : 1) * sign;
  });
}

function sortKey(sort: string, constraints: readonly ConstraintColumn[]): (t: TrialRecord) => number | string | null {
  const finite = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? null : v);
  if (sort.startsWith("objective:")) {
    const index = Number(sort.slice("objective:".length));
    return (t) => finite(objectiveValue(t, index));
  }
  if (sort.startsWith("constraint:")) {
    const column = constraints[Number(sort.slice("constraint:".length))];
    return (t) => finite(column?.read(t));
  }
  switch (sort) {
    case "feasible":
      // Infeasible first in ascending order (false < true); trials without constraints last.
      return (t) => {
        const f = feasibilityOf(t);
        return f === null ? null : Number(f);
      };
    case "value":
      return (t) => (t.value === null || Number.isNaN(t.value) ? null : t.value);
    case "state":
      return (t) => t.state;
    case "duration":
      return durationSeconds;
    case "start":
      return (t) => t.datetimeStart?.getTime() ?? null;
    case "complete":
      return (t) => t.datetimeComplete?.getTime() ?? null;
    default: {
      const name = sort.slice("param:".length);
      return (t) => paramKey(paramValue(t, name));
    }
  }
}

function paramKey(v: ParamValue | undefined): number | string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return Number.isNaN(v) ? null : v;
  return String(v);
}

/** A stable key for memoising one filter and sort. */
export function selectionKey(q: TrialQuery): string {
  return JSON.stringify([
    "trials",
    q.where?.text ?? null,
    q.states,
    q.ranges,
    q.objectiveRanges,
    q.constraintRanges,
    q.feasible,
    q.sort,
    q.order,
  ]);
}
