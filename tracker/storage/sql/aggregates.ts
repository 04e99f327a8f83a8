import { SYSTEM_ATTR, TRIAL_STATES } from "../../../core/records.js";

/**
 * `tunebook_study_stats`: one row per study with what its summary shows — trial counts by
 * state, first and last times, and the best COMPLETE trial by the first objective — kept
 * current by triggers on Optuna's tables, so rows Optuna itself writes keep it current too
 * and a summary never scans a study's trials.
 *
 * What the triggers cannot judge they flag: a trial with constraints sets `constrained`,
 * and the best of such a study is looked up by the scan (an infeasible trial is never best).
 * Trials are only ever deleted with their study, so a deleted trial lowers its state's
 * count and leaves the times and the best alone.
 *
 * A study's row may be missing (no trial yet, or written before the triggers existed); a
 * reader compares the counts with the trials' index and rebuilds what is stale (see
 * `SqlStorage.getStudy`).
 */

export const STATS_TABLE = "tunebook_study_stats";

/** The count column of each state. */
export const COUNT_COLUMNS = Object.fromEntries(TRIAL_STATES.map((s) => [s, `n_${s.toLowerCase()}`])) as Record<
  (typeof TRIAL_STATES)[number],
  string
>;

function statsTable(datetime: string, float: string): string {
  const counts = TRIAL_STATES.map((s) => `${COUNT_COLUMNS[s]} INTEGER NOT NULL DEFAULT 0`).join(", ");
  return `CREATE TABLE IF NOT EXISTS ${STATS_TABLE} (study_id INTEGER NOT NULL, ${counts},
    min_start ${datetime}, min_complete ${datetime}, max_start ${datetime}, max_complete ${datetime},
    best_number INTEGER, best_value ${float}, best_type VARCHAR(7), best_rank INTEGER, best_key ${float},
    constrained INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (study_id))`;
}

/** `col = col + (CASE WHEN NEW.state = 'S' THEN 1 ELSE 0 END) - (...OLD...)` for every state (each column assigned once). */
function countDelta(rows: { add?: "NEW"; remove?: "OLD" }): string[] {
  return TRIAL_STATES.map((s) => {
    const add = rows.add ? ` + (CASE WHEN NEW.state = '${s}' THEN 1 ELSE 0 END)` : "";
    const remove = rows.remove ? ` - (CASE WHEN OLD.state = '${s}' THEN 1 ELSE 0 END)` : "";
    return `${COUNT_COLUMNS[s]} = ${COUNT_COLUMNS[s]}${add}${remove}`;
  });
}

function earlier(column: string, value: string): string {
  return `${column} = CASE WHEN ${value} IS NOT NULL AND (${column} IS NULL OR ${value} < ${column}) THEN ${value} ELSE ${column} END`;
}

function later(column: string, value: string): string {
  return `${column} = CASE WHEN ${value} IS NOT NULL AND (${column} IS NULL OR ${value} > ${column}) THEN ${value} ELSE ${column} END`;
}

const TIMES_FROM_NEW = [
  earlier("min_start", "NEW.datetime_start"),
  earlier("min_complete", "NEW.datetime_complete"),
  later("max_start", "NEW.datetime_start"),
  later("max_complete", "NEW.datetime_complete"),
];

/**
 * A COMPLETE trial's rank by its first value, as `reads.ts` orders the best first: ±Infinity
 * by its type (rank 0 beats 1, finite, beats 2), then the value signed by the direction
 * (`key`), then the number. Aliases `t`, `v`, `d`.
 */
export const RANK_SQL = `CASE WHEN v.value_type = 'FINITE' THEN 1 WHEN (v.value_type = 'INF_NEG') = (d.direction = 'MAXIMIZE') THEN 2 ELSE 0 END`;
export const KEY_SQL = `COALESCE(CASE WHEN d.direction = 'MAXIMIZE' THEN -v.value ELSE v.value END, 0)`;

/** The trial (`trialId`: an SQL expression) as a best candidate, if it is COMPLETE with a first value. */
function candidate(trialId: string): string {
  return `SELECT t.study_id, t.number, v.value, CAST(v.value_type AS VARCHAR(7)) AS value_type, ${RANK_SQL} AS rnk, ${KEY_SQL} AS k
    FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
    JOIN study_directions d ON d.study_id = t.study_id AND d.objective = 0
    WHERE t.trial_id = ${trialId} AND t.state = 'COMPLETE'`;
}

/** Makes `c` (rows of `candidate`) the best of its study where it ranks before the current best. */
function takeBest(candidates: string, always: boolean): string {
  const better = always
    ? ""
    : ` AND (${STATS_TABLE}.best_number IS NULL OR (c.rnk, c.k, c.number) < (${STATS_TABLE}.best_rank, ${STATS_TABLE}.best_key, ${STATS_TABLE}.best_number))`;
  return `UPDATE ${STATS_TABLE} SET best_number = c.number, best_value = c.value, best_type = c.value_type, best_rank = c.rnk, best_key = c.k
    FROM (${candidates}) AS c WHERE ${STATS_TABLE}.study_id = c.study_id${better}`;
}

const ENSURE_ROW = `INSERT INTO ${STATS_TABLE} (study_id) VALUES (NEW.study_id) ON CONFLICT (study_id) DO NOTHING`;

/** Each trigger: its table, event, optional row condition, and body (statements over NEW/OLD). */
interface TriggerSpec {
  name: string;
  event: "INSERT" | "UPDATE" | "DELETE";
  table: string;
  when?: string;
  body: string[];
}

const TRIGGERS: readonly TriggerSpec[] = [
  {
    name: "tunebook_stats_trial_insert",
    event: "INSERT",
    table: "trials",
    body: [
      ENSURE_ROW,
      `UPDATE ${STATS_TABLE} SET ${[...countDelta({ add: "NEW" }), ...TIMES_FROM_NEW].join(", ")} WHERE study_id = NEW.study_id`,
      takeBest(candidate("NEW.trial_id"), false),
    ],
  },
  {
    name: "tunebook_stats_trial_update",
    event: "UPDATE",
    table: "trials",
    body: [
      ENSURE_ROW,
      `UPDATE ${STATS_TABLE} SET ${[...countDelta({ add: "NEW", remove: "OLD" }), ...TIMES_FROM_NEW].join(", ")} WHERE study_id = NEW.study_id`,
      takeBest(candidate("NEW.trial_id"), false),
    ],
  },
  {
    name: "tunebook_stats_trial_delete",
    event: "DELETE",
    table: "trials",
    body: [`UPDATE ${STATS_TABLE} SET ${countDelta({ remove: "OLD" }).join(", ")} WHERE study_id = OLD.study_id`],
  },
  // Values come after the state when a trial finishes (Optuna and tunebook both), or first.
  {
    name: "tunebook_stats_value_insert",
    event: "INSERT",
    table: "trial_values",
    when: "NEW.objective = 0",
    body: [takeBest(candidate("NEW.trial_id"), false)],
  },
  {
    name: "tunebook_stats_value_update",
    event: "UPDATE",
    table: "trial_values",
    when: "NEW.objective = 0",
    body: [takeBest(candidate("NEW.trial_id"), false)],
  },
  {
    name: "tunebook_stats_constraints",
    event: "INSERT",
    table: "trial_system_attributes",
    when: `NEW."key" = '${SYSTEM_ATTR.constraints}'`,
    body: [`UPDATE ${STATS_TABLE} SET constrained = 1 WHERE study_id = (SELECT t.study_id FROM trials t WHERE t.trial_id = NEW.trial_id)`],
  },
  {
    name: "tunebook_stats_study_delete",
    event: "DELETE",
    table: "studies",
    body: [`DELETE FROM ${STATS_TABLE} WHERE study_id = OLD.study_id`],
  },
];

function sqliteTrigger(t: TriggerSpec): string {
  const when = t.when ? ` WHEN ${t.when}` : "";
  return `CREATE TRIGGER IF NOT EXISTS ${t.name} AFTER ${t.event} ON ${t.table} FOR EACH ROW${when} BEGIN ${t.body.map((s) => `${s};`).join(" ")} END`;
}

function postgresTrigger(t: TriggerSpec): string[] {
  const when = t.when ? ` WHEN (${t.when})` : "";
  return [
    `CREATE OR REPLACE FUNCTION ${t.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${t.body.map((s) => `${s};`).join(" ")} RETURN NULL; END $$`,
    `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}`,
    `CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} FOR EACH ROW${when} EXECUTE FUNCTION ${t.name}()`,
  ];
}

/**
 * Recomputes the rows of one study (`?`: its id) or all: counts and times from the trials,
 * the constraints flag, then the best. Idempotent; run in one write transaction.
 */
export function rebuildStatements(one: boolean): { sql: string; perStudy: boolean }[] {
  const study = (alias: string) => (one ? ` WHERE ${alias}.study_id = ?` : "");
  const andStudy = one ? " AND t.study_id = ?" : "";
  const counts = TRIAL_STATES.map((s) => `SUM(CASE WHEN t.state = '${s}' THEN 1 ELSE 0 END)`).join(", ");
  const ranked = `SELECT study_id, number, value, value_type, rnk, k FROM (
      SELECT t.study_id, t.number, v.value, CAST(v.value_type AS VARCHAR(7)) AS value_type, ${RANK_SQL} AS rnk, ${KEY_SQL} AS k,
             ROW_NUMBER() OVER (PARTITION BY t.study_id ORDER BY ${RANK_SQL}, ${KEY_SQL}, t.number) AS position
      FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
      JOIN study_directions d ON d.study_id = t.study_id AND d.objective = 0
      WHERE t.state = 'COMPLETE'${andStudy}) AS r WHERE position = 1`;
  return [
    { sql: `DELETE FROM ${STATS_TABLE}${one ? " WHERE study_id = ?" : ""}`, perStudy: one },
    {
      sql: `INSERT INTO ${STATS_TABLE} (study_id, ${TRIAL_STATES.map((s) => COUNT_COLUMNS[s]).join(", ")}, min_start, min_complete, max_start, max_complete)
        SELECT t.study_id, ${counts}, MIN(t.datetime_start), MIN(t.datetime_complete), MAX(t.datetime_start), MAX(t.datetime_complete)
        FROM trials t${study("t")} GROUP BY t.study_id`,
      perStudy: one,
    },
    {
      sql: `UPDATE ${STATS_TABLE} SET constrained = 1 WHERE study_id IN (SELECT t.study_id FROM trials t
        JOIN trial_system_attributes a ON a.trial_id = t.trial_id WHERE a."key" = '${SYSTEM_ATTR.constraints}'${andStudy})`,
      perStudy: one,
    },
    { sql: takeBest(ranked, true), perStudy: one },
  ];
}

/** The table, its triggers, and a rebuild of every study: a migration's statements. */
export const STATS_SQLITE: readonly string[] = [
  statsTable("DATETIME", "FLOAT"),
  ...TRIGGERS.map(sqliteTrigger),
  ...rebuildStatements(false).map((s) => s.sql),
];

export const STATS_POSTGRES: readonly string[] = [
  statsTable("TIMESTAMP WITHOUT TIME ZONE", "FLOAT(53)"),
  ...TRIGGERS.flatMap(postgresTrigger),
  ...rebuildStatements(false).map((s) => s.sql),
];

/** One study's row as read. */
export interface StatsRow {
  study_id: number;
  n_running: number;
  n_complete: number;
  n_pruned: number;
  n_fail: number;
  n_waiting: number;
  min_start: string | Date | null;
  min_complete: string | Date | null;
  max_start: string | Date | null;
  max_complete: string | Date | null;
  best_number: number | null;
  best_value: number | null;
  best_type: string | null;
  constrained: number;
}
