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
import { COUNT_COLUMNS, STATS_TABLE, type StatsRow } from "./aggregates.js";
import { placeholders, query, queryFirst, type Sql } from "./port.js";

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

/** Up to this many scattered trials, their children are looked up by a list of ids. */
const LISTED_IDS_MAX = 8000;

/**
 * A list of `n` bound values padded to the next power of two (at least 16), so that lists of
 * any length make a dozen distinct statements, not one each (dialects keep their statements prepared).
 */
export function paddedLength(n: number): number {
  return Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(n, 1))));
}

/** `ids` padded to `paddedLength` with -1, which no trial or number is. */
export function padded(ids: readonly number[]): number[] {
  return [...ids, ...new Array<number>(paddedLength(ids.length) - ids.length).fill(-1)];
}

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
  // A scattered few (a sample, a page) by their ids, bound (well within every database's
  // limit on parameters, twice over for the attributes); many, through the matching query again.
  const listed = !contiguous && rows.length <= LISTED_IDS_MAX;
  const filter = contiguous
    ? "trial_id BETWEEN ? AND ?"
    : listed
      ? `trial_id IN (${placeholders(paddedLength(rows.length))})`
      : `trial_id IN (SELECT t.trial_id FROM trials t WHERE ${where})`;
  const filterArgs = contiguous ? [low, high] : listed ? padded(rows.map((r) => r.trial_id)) : args;
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

/** Summaries of one study or all, from a handful of grouped queries over every trial. */
export function* loadSummaries(studyId?: number): Sql<StudySummary[]> {
  const one = studyId !== undefined;
  const args = one ? [studyId] : [];
  const described = yield* describeStudies(studyId);
  if (!described) return [];
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
  const best = yield* bestRows(studyId);
  return assembleSummaries(described.studies, described.directions, described.attrs, counts, times, best);
}

/**
 * Summaries from the aggregates the triggers keep (`tunebook_study_stats`, see aggregates.ts):
 * a study's counts are checked against the trials' index (`COUNT(*)` per study, no trial
 * read), and a study whose counts disagree — written before the triggers existed, or by a
 * writer without them — is summarised by the scan and listed in `stale`, for a writer to
 * rebuild. Null when the table is missing (a database opened read-only that tunebook never
 * migrated, e.g. one only Optuna wrote): the caller scans.
 */
export function* loadSummariesFromStats(
  studyId: number | undefined,
  tableExists: string,
): Sql<{ summaries: StudySummary[]; stale: number[] } | null> {
  if (!(yield* queryFirst(tableExists, [STATS_TABLE]))) return null;
  const one = studyId !== undefined;
  const args = one ? [studyId] : [];
  const described = yield* describeStudies(studyId);
  if (!described) return { summaries: [], stale: [] };
  const stats = yield* query<StatsRow>(`SELECT * FROM ${STATS_TABLE} ${one ? "WHERE study_id = ?" : ""}`, args);
  const indexed = yield* query<{ study_id: number; n: number }>(
    `SELECT study_id, COUNT(*) AS n FROM trials ${one ? "WHERE study_id = ?" : ""} GROUP BY study_id`,
    args,
  );
  const byStudy = new Map(stats.map((r) => [r.study_id, r]));
  const totals = new Map(indexed.map((r) => [r.study_id, Number(r.n)]));
  const stale: number[] = [];
  const counts: StudyCountRow[] = [];
  const times: StudyTimesRow[] = [];
  const best: StudyBestRow[] = [];
  for (const { study_id } of described.studies) {
    const row = byStudy.get(study_id);
    const total = row ? TRIAL_STATES.reduce((sum, s) => sum + Number(row[COUNT_COLUMNS[s] as keyof StatsRow]), 0) : 0;
    if (total !== (totals.get(study_id) ?? 0)) {
      stale.push(study_id);
      continue;
    }
    if (!row) continue;
    for (const state of TRIAL_STATES) counts.push({ study_id, state, n: Number(row[COUNT_COLUMNS[state] as keyof StatsRow]) });
    times.push(row);
    // A trial with constraints may be infeasible, which the triggers cannot judge: that study's best comes from the scan.
    if (Number(row.constrained)) best.push(...(yield* bestRows(study_id)));
    else if (row.best_number !== null)
      best.push({ study_id, number: row.best_number, value: row.best_value, value_type: row.best_type!, constraints_json: null });
  }
  const summaries = assembleSummaries(described.studies, described.directions, described.attrs, counts, times, best);
  for (const id of stale) {
    const [scanned] = yield* loadSummaries(id);
    const i = summaries.findIndex((s) => s.studyId === id);
    if (scanned && i >= 0) summaries[i] = scanned;
  }
  return { summaries, stale };
}

/** Names, directions and attributes of one study or all; null when there is none. */
function* describeStudies(
  studyId?: number,
): Sql<{ studies: StudyRowSql[]; directions: StudyDirectionRow[]; attrs: StudyAttrRow[] } | null> {
  const one = studyId !== undefined;
  const args = one ? [studyId] : [];
  const studies = yield* query<StudyRowSql>(
    `SELECT s.study_id, s.study_name FROM studies s ${one ? "WHERE s.study_id = ?" : ""} ORDER BY s.study_id`,
    args,
  );
  if (studies.length === 0) return null;
  const directions = yield* query<StudyDirectionRow>(
    `SELECT study_id, direction FROM study_directions ${one ? "WHERE study_id = ?" : ""} ORDER BY study_id, objective`,
    args,
  );
  const attrs = yield* query<StudyAttrRow>(
    `SELECT study_id, 0 AS system, "key", value_json FROM study_user_attributes ${one ? "WHERE study_id = ?" : ""}
     UNION ALL SELECT study_id, 1 AS system, "key", value_json FROM study_system_attributes ${one ? "WHERE study_id = ?" : ""}`,
    [...args, ...args],
  );
  return { studies, directions, attrs };
}

/** The best feasible COMPLETE trial of one study or each, by a scan of their values. */
function* bestRows(studyId?: number): Sql<StudyBestRow[]> {
  const one = studyId !== undefined;
  const args = one ? [studyId] : [];
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
  return best.filter((b) => b.number >= 0);
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
