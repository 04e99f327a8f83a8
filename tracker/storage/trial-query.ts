import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { TRIAL_STATES, type TrialRecord } from "../../core/records.js";
import type { TrialOrder } from "../../core/trial-filter/ast.js";
import { matchesTrialFilter, sortTrials } from "../../core/trial-filter/evaluate.js";
import type { TrialPage, TrialQueryOptions } from "./storage.js";

const QUERY_KEYS = ["where", "states", "orderBy", "limit", "offset"];
const ORDER_KEYS = ["field", "direction"];

/** The options of `Storage.queryTrials`, checked, with defaults filled in. */
export interface CheckedTrialQuery extends TrialQueryOptions {
  orderBy: TrialOrder;
  limit: number | undefined;
  offset: number;
}

/** Checks `queryTrials`' options: a `ValueError` naming the bad one. */
export function checkTrialQuery(options: TrialQueryOptions = {}): CheckedTrialQuery {
  checkOptionKeys("queryTrials", options, QUERY_KEYS);
  const { where, states, orderBy = { field: { kind: "number" }, direction: "asc" }, limit, offset = 0 } = options;
  if (where !== undefined && (where === null || typeof where !== "object" || !("type" in where)))
    throw new ValueError(`queryTrials: where must be a parsed filter (parseTrialFilter("...")), got ${show(where)}.`);
  for (const s of states ?? []) {
    if (!TRIAL_STATES.includes(s)) throw new ValueError(`queryTrials: unknown state ${show(s)}; states are ${TRIAL_STATES.join(", ")}.`);
  }
  checkOptionKeys("queryTrials: orderBy", orderBy, ORDER_KEYS);
  if (typeof orderBy.field !== "object" || orderBy.field === null || !("kind" in orderBy.field))
    throw new ValueError(`queryTrials: orderBy.field must be a field (parseFilterField("params.lr")), got ${show(orderBy.field)}.`);
  if (orderBy.direction !== "asc" && orderBy.direction !== "desc")
    throw new ValueError(`queryTrials: orderBy.direction must be "asc" or "desc", got ${show(orderBy.direction)}.`);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0))
    throw new ValueError(`queryTrials: limit must be a whole number ≥ 0, got ${show(limit)}.`);
  if (!(Number.isSafeInteger(offset) && offset >= 0))
    throw new ValueError(`queryTrials: offset must be a whole number ≥ 0, got ${show(offset)}.`);
  return { where, states, orderBy, limit, offset };
}

/** `queryTrials` over trials held in memory (ordered by number): the reference the SQL storage agrees with. */
export function queryTrialsInMemory(trials: readonly TrialRecord[], query: CheckedTrialQuery): TrialPage {
  const { where, states, orderBy, limit, offset } = query;
  const matching = trials.filter((t) => (!states || states.includes(t.state)) && (!where || matchesTrialFilter(where, t)));
  const sorted = orderBy.field.kind === "number" && orderBy.direction === "asc" ? matching : sortTrials(matching, orderBy);
  return { trials: sorted.slice(offset, limit === undefined ? undefined : offset + limit), total: matching.length };
}
