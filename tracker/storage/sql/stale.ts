import { parseDatetime } from "../optuna-encoding.js";
import { query, type Sql } from "./port.js";

/** How long a RUNNING trial may stay silent: in ms, and as the latest start that still counts as alive. */
export interface Grace {
  ms: number;
  startCutoff: number;
}

/**
 * RUNNING trials of the study whose last sign of life is older than the grace period, by
 * number. `clock` is the dialect's clock; `lock` ends the SELECT.
 */
export function* staleTrialIds(studyId: number, grace: Grace, clock: string, lock: string): Sql<number[]> {
  const running = yield* query<RunningTrialRow>(
    `SELECT t.trial_id, t.datetime_start, h.heartbeat, ${clock} AS now
     FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id
     WHERE t.study_id = ? AND t.state = 'RUNNING' ORDER BY t.number${lock}`,
    [studyId],
  );
  return running.filter((r) => isStale(r, grace)).map((r) => r.trial_id);
}

/** A RUNNING trial's signs of life, with the database's clock at the time of reading. */
interface RunningTrialRow {
  trial_id: number;
  datetime_start: string | Date | null;
  heartbeat: string | Date | null;
  now: string | Date;
}

/**
 * Whether a RUNNING trial's worker last showed it was alive before the grace period: its
 * latest heartbeat, against the database's clock that wrote it; else its start, against this
 * process's clock (a trial counts as alive when it starts; writing a heartbeat row for every
 * trial would cost two page writes).
 */
function isStale(row: RunningTrialRow, grace: Grace): boolean {
  if (row.heartbeat != null) return parseDatetime(row.heartbeat, true)!.getTime() < parseDatetime(row.now, true)!.getTime() - grace.ms;
  const start = parseDatetime(row.datetime_start);
  return start !== null && start.getTime() < grace.startCutoff;
}
