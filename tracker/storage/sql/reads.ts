import { isFeasible } from "../../../core/feasibility.js";
import { type StudySummary, SYSTEM_ATTR, TRIAL_STATES, type TrialRecord, type TrialState } from "../../../core/records.js";
import { checkTrialState } from "../checks.js";
import { parsePythonJson } from "../optuna-encoding.js";
import {
  assembleSummaries,
  assembleTrials,
  type IntermediateRow,
  type ObjectiveValueRow,
  type ParamRow,
  type StudyAttrRow,
  type StudyBestRow,
  type StudyCountRow,
  type StudyDirectionRow,
  type StudyRowSql,
  type StudyTimesRow,
  type TrialAttrRow,
  type TrialRow,
} from "../rows.js";
import { query, type Sql } from "./port.js";

/** Reads of whole trials and study summaries: a handful of set-wise queries each, never one per trial. */

/**
 * Orders a study's COMPLETE trials best first in SQL: ±Infinity rank by their type, then the
 * value signed by the direction, then the trial number (the first of equal values wins).
 * Expects the aliases `v` (trial_values), `d` (study_directions) and `t` (trials).
 */
const BEST_ORDER_SQL = `
  CASE WHEN v.value_type = 'FINITE' THEN 1
       WHEN (v.value_type = 'INF_NEG') = (d.direction = 'MAXIMIZE') THEN 2 ELSE 0 END,
  CASE WHEN d.direction = 'MAXIMIZE' THEN -v.value ELSE v.value END,
  t.number`;

/** A study's COMPLETE trials with their first value, direction and constraints (aliases `t`, `v`, `d`, `c`). */
const COMPLETE_WITH_CONSTRAINTS_SQL = `FROM trials t
  JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
  JOIN study_directions d ON d.study_id = t.study_id AND d.objective = 0
  LEFT JOIN trial_system_attributes c ON c.trial_id = t.trial_id AND c."key" = '${SYSTEM_ATTR.constraints}'`;

/** Feasibility from the stored JSON of a trial's constraints (none: feasible). */
function isFeasibleJson(json: string | null): boolean {
  return json === null || isFeasible({ systemAttrs: { [SYSTEM_ATTR.constraints]: parsePythonJson(json) } });
}

/**
 * Trials matching `where` (over `trials t`), with everything that hangs off them: one
 * query per table for the whole set, each child table reached through its trial_id index.
 * `objectives` is their study's number of objectives ("unknown" when not looked up, e.g. for
 * one trial): with one, the first objective's value (joined in) is all there is, and the
 * values of the others are not looked for.
 */
export function* loadTrials(where: string, args: readonly unknown[], objectives: number | "unknown"): Sql<TrialRecord[]> {
  const rows = yield* query<TrialRow>(
    `SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete, v.value, v.value_type
     FROM trials t LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
     WHERE ${where} ORDER BY t.number`,
    args,
  );
  if (rows.length === 0) return [];
  // Children of a contiguous id range come from one range scan of each trial_id index
  // (rows of other studies' trials in the range are dropped when assembling);
  // otherwise through the ids of the matching trials.
  let low = Infinity;
  let high = -Infinity;
  for (const r of rows) {
    low = Math.min(low, r.trial_id);
    high = Math.max(high, r.trial_id);
  }
  const contiguous = high - low < rows.length * 2;
  const filter = contiguous ? "trial_id BETWEEN ? AND ?" : `trial_id IN (SELECT t.trial_id FROM trials t WHERE ${where})`;
  const filterArgs = contiguous ? [low, high] : args;
  const params = yield* query<ParamRow>(
    `SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE ${filter}`,
    filterArgs,
  );
  const intermediates = yield* query<IntermediateRow>(
    `SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE ${filter}`,
    filterArgs,
  );
  const attrs = yield* query<TrialAttrRow>(
    `SELECT trial_id, 0 AS system, "key", value_json FROM trial_user_attributes WHERE ${filter}
     UNION ALL SELECT trial_id, 1 AS system, "key", value_json FROM trial_system_attributes WHERE ${filter}`,
    [...filterArgs, ...filterArgs],
  );
  const otherValues =
    objectives === "unknown" || objectives > 1
      ? yield* query<ObjectiveValueRow>(
          `SELECT trial_id, objective, value, value_type FROM trial_values WHERE ${filter} AND objective > 0 ORDER BY trial_id, objective`,
          filterArgs,
        )
      : [];
  return assembleTrials(rows, params, intermediates, attrs, otherValues);
}

/** Summaries of one study or all, from a handful of grouped queries. */
export function* loadSummaries(studyId?: number): Sql<StudySummary[]> {
  const one = studyId !== undefined;
  const args = one ? [studyId] : [];
  const studies = yield* query<StudyRowSql>(
    `SELECT s.study_id, s.study_name FROM studies s ${one ? "WHERE s.study_id = ?" : ""} ORDER BY s.study_id`,
    args,
  );
  if (studies.length === 0) return [];
  const directions = yield* query<StudyDirectionRow>(
    `SELECT study_id, direction FROM study_directions ${one ? "WHERE study_id = ?" : ""} ORDER BY study_id, objective`,
    args,
  );
  const attrs = yield* query<StudyAttrRow>(
    `SELECT study_id, 0 AS system, "key", value_json FROM study_user_attributes ${one ? "WHERE study_id = ?" : ""}
     UNION ALL SELECT study_id, 1 AS system, "key", value_json FROM study_system_attributes ${one ? "WHERE study_id = ?" : ""}`,
    [...args, ...args],
  );
  const counts = yield* query<StudyCountRow>(
    `SELECT study_id, state, COUNT(*) AS n FROM trials ${one ? "WHERE study_id = ?" : ""} GROUP BY study_id, state`,
    args,
  );
  const times = yield* query<StudyTimesRow>(
    `SELECT study_id, MIN(datetime_start) AS min_start, MIN(datetime_complete) AS min_complete,
            MAX(datetime_start) AS max_start, MAX(datetime_complete) AS max_complete
     FROM trials ${one ? "WHERE study_id = ?" : ""} GROUP BY study_id`,
    args,
  );
  const best = yield* query<StudyBestRow>(
    `SELECT study_id, number, value, value_type, constraints_json FROM (
       SELECT t.study_id, t.number, v.value, v.value_type, c.value_json AS constraints_json,
              ROW_NUMBER() OVER (PARTITION BY t.study_id ORDER BY ${BEST_ORDER_SQL}) AS position
       ${COMPLETE_WITH_CONSTRAINTS_SQL}
       WHERE t.state = 'COMPLETE' ${one ? "AND t.study_id = ?" : ""}
     ) AS ranked WHERE position = 1`,
    args,
  );
  // An infeasible trial is never best: where the first by value is one, walk that study's trials in order.
  for (const [i, row] of best.entries()) {
    if (isFeasibleJson(row.constraints_json)) continue;
    const ranked = yield* query<StudyBestRow>(
      `SELECT t.study_id, t.number, v.value, v.value_type, c.value_json AS constraints_json
       ${COMPLETE_WITH_CONSTRAINTS_SQL} WHERE t.state = 'COMPLETE' AND t.study_id = ? ORDER BY ${BEST_ORDER_SQL}`,
      [row.study_id],
    );
    const feasible = ranked.find((r) => isFeasibleJson(r.constraints_json));
    if (feasible) best[i] = feasible;
    else best.splice(i, 1, { ...row, number: -1 });
  }
  return assembleSummaries(
    studies,
    directions,
    attrs,
    counts,
    times,
    best.filter((b) => b.number >= 0),
  );
}

/** ` AND t.state IN (...)` for known states (over `trials t`); "" for no filter; null when the filter matches nothing. */
export function statesSql(states: readonly TrialState[] | undefined): string | null {
  if (states === undefined) return "";
  if (states.length === 0) return null;
  for (const s of states) checkTrialState(s, TRIAL_STATES);
  return ` AND t.state IN (${[...new Set(states)]
    .sort()
    .map((s) => `'${s}'`)
    .join(", ")})`;
}
