import type { Pool, PoolClient, QueryResultRow } from "pg";
import {
  checkOptionKeys,
  DuplicatedStudyError,
  NotFoundError,
  StorageError,
  show,
  TrialFinishedError,
  TunebookError,
  ValueError,
} from "../../core/errors.js";
import {
  type DistributionJson,
  FINISHED_STATES,
  type JsonValue,
  type ParamValue,
  type StudySummary,
  SYSTEM_ATTR,
  type TrialRecord,
  type TrialState,
} from "../../core/records.js";
import { Rng } from "../../core/rng.js";
import {
  assembleSummaries,
  assembleTrials,
  BEST_ORDER_SQL,
  checkCreateOptions,
  checkName,
  checkParamDistribution,
  checkStep,
  checkTrialState,
  directionToSql,
  distributionFromJson,
  distributionToJson,
  type EncodedValue,
  encodeObjectiveValue,
  encodeValue,
  formatDatetime,
  type IntermediateRow,
  internalParam,
  notFoundStudy,
  type ParamRow,
  prepareTrial,
  pythonJson,
  type StudyAttrRow,
  type StudyBestRow,
  type StudyCountRow,
  type StudyRowSql,
  type StudyTimesRow,
  statesSql,
  type TrialAttrRow,
  type TrialRow,
} from "./common.js";
import { staleMessage } from "./memory.js";
import { checkSchema, MIGRATIONS, OPTUNA_POSTGRES_DDL, type SchemaState, TUNEBOOK_SCHEMA_VERSION } from "./schema.js";
import type { CreateStudyOptions, CreateTrialOptions, FinishedState, Storage, TrialTemplate } from "./storage.js";

export interface PostgresStorageOptions {
  /** Refuse to create the tables if the database has none (for readers such as the UI). Default `false`. */
  mustExist?: boolean;
  /** Connections kept open to the server. Default 4. */
  poolSize?: number;
  /** How long a transaction that lost a race (deadlock, serialization failure) is retried, in ms. Default 120000. */
  retryTimeoutMs?: number;
}

const OPTION_KEYS = ["mustExist", "poolSize", "retryTimeoutMs"] as const;
/** Serialises schema creation and migration between processes (any fixed 64-bit key). */
const SCHEMA_LOCK_KEY = 7_531_902_468;
const RETRYABLE = new Set(["40001", "40P01", "55P03"]);
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

type Query = <R extends QueryResultRow = QueryResultRow>(sql: string, args?: readonly unknown[]) => Promise<R[]>;

/**
 * Storage in a PostgreSQL database, with Optuna's schema (enum types included), for
 * studies shared by many machines. Workers coordinate only through the database: trial
 * numbers come from a row lock on the study, claims from unique keys.
 */
export class PostgresStorage implements Storage {
  /** The URL without its password. */
  readonly url: string;
  private readonly connectionString: string;
  private readonly mustExist: boolean;
  private readonly poolSize: number;
  private readonly retryTimeoutMs: number;
  private readonly jitter = new Rng();
  private poolPromise: Promise<Pool> | null = null;
  private closed = false;

  constructor(url: string, options: PostgresStorageOptions = {}) {
    checkOptionKeys("PostgresStorage", options, OPTION_KEYS);
    const { mustExist = false, poolSize = 4, retryTimeoutMs = 120_000 } = options;
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new ValueError(`PostgresStorage: poolSize must be an integer >= 1, got ${show(poolSize)}.`);
    if (!Number.isFinite(retryTimeoutMs) || retryTimeoutMs < 0)
      throw new ValueError(`PostgresStorage: retryTimeoutMs must be >= 0, got ${show(retryTimeoutMs)}.`);
    this.connectionString = url;
    this.url = redact(url);
    this.mustExist = mustExist;
    this.poolSize = poolSize;
    this.retryTimeoutMs = retryTimeoutMs;
  }

  /* ---- studies ---- */

  async createStudy(options: CreateStudyOptions): Promise<number> {
    const { name, experiment = null } = options;
    checkName("A study name", name);
    const direction = directionToSql(options.direction);
    if (experiment !== null && typeof experiment !== "string")
      throw new ValueError(`experiment must be a string, got ${show(experiment)}.`);
    try {
      return await this.transaction(async (q) => {
        if ((await q("SELECT study_id FROM studies WHERE study_name = $1", [name])).length) throw duplicated(name);
        const [{ study_id }] = await q<{ study_id: number }>("INSERT INTO studies (study_name) VALUES ($1) RETURNING study_id", [name]);
        await q("INSERT INTO study_directions (direction, study_id, objective) VALUES ($1, $2, 0)", [direction, study_id]);
        if (experiment !== null)
          await q(UPSERT_STUDY_ATTR("study_system_attributes"), [study_id, SYSTEM_ATTR.experiment, pythonJson(experiment)]);
        return study_id;
      });
    } catch (error) {
      // Two processes creating the same name at once: the unique index decides.
      if (pgCode(error) === "23505") throw duplicated(name);
      throw error;
    }
  }

  async getStudyIdByName(name: string): Promise<number> {
    const q = await this.query();
    const rows = await q<{ study_id: number }>("SELECT study_id FROM studies WHERE study_name = $1", [name]);
    if (rows.length) return rows[0].study_id;
    const known = await q<{ study_name: string }>("SELECT study_name FROM studies ORDER BY study_id");
    throw notFoundStudy(
      name,
      known.map((r) => r.study_name),
    );
  }

  async getStudy(studyId: number): Promise<StudySummary> {
    return this.snapshot(async (q) => {
      const [summary] = await summaries(q, studyId);
      if (!summary) throw this.noStudy(studyId);
      return summary;
    });
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.snapshot((q) => summaries(q));
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.transaction(async (q) => {
      await this.lockStudy(q, studyId);
      for (const table of [
        "trial_params",
        "trial_values",
        "trial_intermediate_values",
        "trial_user_attributes",
        "trial_system_attributes",
        "trial_heartbeats",
      ]) {
        await q(`DELETE FROM ${table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = $1)`, [studyId]);
      }
      for (const table of [
        "trials",
        "tunebook_claims",
        "study_user_attributes",
        "study_system_attributes",
        "study_directions",
        "studies",
      ]) {
        await q(`DELETE FROM ${table} WHERE study_id = $1`, [studyId]);
      }
    });
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.setStudyAttr("study_user_attributes", studyId, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.setStudyAttr("study_system_attributes", studyId, key, value);
  }

  /* ---- trials: writes ---- */

  async createTrial(
    studyId: number,
    template: TrialTemplate = {},
    options: CreateTrialOptions = {},
  ): Promise<(TrialRecord & { claimedKey?: string }) | null> {
    const { maxTrials, claimOneOf } = checkCreateOptions(options);
    const prepared = prepareTrial(template, new Date());
    return this.transaction(async (q) => {
      // The study's row lock serialises numbering, the budget check and claims per study.
      await this.lockStudy(q, studyId);
      if (maxTrials !== undefined) {
        const [{ n }] = await q<{ n: number }>("SELECT COUNT(*) AS n FROM trials WHERE study_id = $1 AND state <> 'FAIL'", [studyId]);
        if (n >= maxTrials) return null;
      }
      let claimedKey: string | undefined;
      if (claimOneOf?.length) {
        const taken = new Set(
          (
            await q<{ key: string }>(`SELECT "key" FROM tunebook_claims WHERE study_id = $1 AND "key" = ANY($2::text[])`, [
              studyId,
              claimOneOf,
            ])
          ).map((r) => r.key),
        );
        claimedKey = claimOneOf.find((key) => !taken.has(key));
      }
      if (claimOneOf && claimedKey === undefined) return null;
      const [{ n: number }] = await q<{ n: number }>("SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = $1", [studyId]);
      const [{ trial_id: trialId }] = await q<{ trial_id: number }>(
        "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES ($1, $2, $3, $4, $5) RETURNING trial_id",
        [number, studyId, prepared.state, prepared.datetimeStart, prepared.datetimeComplete],
      );
      for (const p of prepared.params) await q(UPSERT_PARAM, [trialId, p.name, p.internal, p.distributionJson]);
      if (prepared.value) await q(UPSERT_VALUE, [trialId, prepared.value.value, prepared.value.type]);
      for (const iv of prepared.intermediates) await q(UPSERT_INTERMEDIATE, [trialId, iv.step, iv.value.value, iv.value.type]);
      for (const a of prepared.userAttrs) await q(UPSERT_TRIAL_ATTR("trial_user_attributes"), [trialId, a.key, a.json]);
      for (const a of prepared.systemAttrs) await q(UPSERT_TRIAL_ATTR("trial_system_attributes"), [trialId, a.key, a.json]);
      if (claimedKey === undefined) return { ...prepared.record, trialId, number };
      await q(`INSERT INTO tunebook_claims (study_id, "key", trial_id) VALUES ($1, $2, $3)`, [studyId, claimedKey, trialId]);
      return { ...prepared.record, trialId, number, claimedKey };
    });
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    return this.transaction(async (q) => {
      await this.checkStudy(q, studyId);
      // SKIP LOCKED: a trial another worker is claiming right now is not ours to wait for.
      const rows = await q<{ trial_id: number }>(
        "SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED",
        [studyId],
      );
      if (!rows.length) return null;
      const trialId = rows[0].trial_id;
      await q("UPDATE trials SET state = 'RUNNING', datetime_start = $1 WHERE trial_id = $2", [formatDatetime(new Date()), trialId]);
      return (await loadTrials(q, "t.trial_id = $1", [trialId]))[0];
    });
  }

  async setTrialParam(trialId: number, name: string, value: ParamValue, distribution: DistributionJson): Promise<void> {
    checkName("A parameter name", name);
    const internal = internalParam(name, value, distribution);
    const json = distributionToJson(distribution);
    await this.progressTransaction(async (q) => {
      const number = await this.lockMutableTrial(q, trialId);
      const existing = await q<{ distribution_json: string }>(
        "SELECT distribution_json FROM trial_params WHERE trial_id = $1 AND param_name = $2",
        [trialId, name],
      );
      if (existing.length && existing[0].distribution_json !== json) {
        checkParamDistribution(number, name, distributionFromJson(existing[0].distribution_json), distribution);
      }
      await q(UPSERT_PARAM, [trialId, name, internal, json]);
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    checkStep(step);
    if (typeof value !== "number") throw new ValueError(`An intermediate value must be a number, got ${show(value)}.`);
    const encoded = encodeValue(value);
    await this.progressTransaction(async (q) => {
      await this.lockMutableTrial(q, trialId);
      await q(UPSERT_INTERMEDIATE, [trialId, step, encoded.value, encoded.type]);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.setTrialAttr("trial_user_attributes", trialId, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.setTrialAttr("trial_system_attributes", trialId, key, value);
  }

  async finishTrial(trialId: number, state: FinishedState, value: number | null, error?: string): Promise<void> {
    checkTrialState(state, FINISHED_STATES);
    const encoded = value === null ? null : encodeObjectiveValue(value);
    if (error !== undefined && typeof error !== "string") throw new ValueError(`A trial's error must be a string, got ${show(error)}.`);
    await this.transaction(async (q) => {
      await this.lockMutableTrial(q, trialId);
      await finish(q, trialId, state, encoded, error);
    });
  }

  /* ---- trials: reads ---- */

  async getTrial(trialId: number): Promise<TrialRecord> {
    return this.snapshot(async (q) => {
      const [trial] = await loadTrials(q, "t.trial_id = $1", [trialId]);
      if (!trial) throw new NotFoundError(`No trial with id ${show(trialId)} in ${this.url}.`);
      return trial;
    });
  }

  async getAllTrials(studyId: number, options: { states?: readonly TrialState[]; fromTrialId?: number } = {}): Promise<TrialRecord[]> {
    const { states, fromTrialId } = options;
    const stateFilter = statesSql(states);
    return this.snapshot(async (q) => {
      const trials =
        stateFilter === null
          ? []
          : fromTrialId === undefined
            ? await loadTrials(q, `t.study_id = $1${stateFilter}`, [studyId])
            : await loadTrials(q, `t.trial_id >= $1 AND t.study_id = $2${stateFilter}`, [fromTrialId, studyId]);
      if (trials.length === 0) await this.checkStudy(q, studyId);
      return trials;
    });
  }

  async countTrials(studyId: number, states?: readonly TrialState[]): Promise<number> {
    const stateFilter = statesSql(states);
    return this.snapshot(async (q) => {
      await this.checkStudy(q, studyId);
      if (stateFilter === null) return 0;
      return (await q<{ n: number }>(`SELECT COUNT(*) AS n FROM trials t WHERE t.study_id = $1${stateFilter}`, [studyId]))[0].n;
    });
  }

  /* ---- coordination ---- */

  async claimedKeys(studyId: number): Promise<Set<string>> {
    return this.snapshot(async (q) => {
      await this.checkStudy(q, studyId);
      return new Set((await q<{ key: string }>(`SELECT "key" FROM tunebook_claims WHERE study_id = $1`, [studyId])).map((r) => r.key));
    });
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    // The database's clock, as Optuna uses it: workers on many machines share one time.
    await this.progressTransaction((q) =>
      q(
        `INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, LOCALTIMESTAMP FROM trials WHERE trial_id = $1 AND state = 'RUNNING'
         ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`,
        [trialId],
      ),
    );
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<TrialRecord[]> {
    if (!(graceSeconds >= 0)) throw new ValueError(`graceSeconds must be a number >= 0, got ${show(graceSeconds)}.`);
    // Without a heartbeat row, a trial's start counts as its last sign of life (written by its worker's clock).
    const startCutoff = formatDatetime(new Date(Date.now() - graceSeconds * 1000));
    return this.transaction(async (q) => {
      await this.checkStudy(q, studyId);
      const stale = await q<{ trial_id: number }>(
        `SELECT t.trial_id FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id
         WHERE t.study_id = $1 AND t.state = 'RUNNING'
           AND CASE WHEN h.heartbeat IS NOT NULL THEN h.heartbeat < LOCALTIMESTAMP - make_interval(secs => $2)
                    ELSE t.datetime_start < $3::timestamp END
         ORDER BY t.number FOR UPDATE OF t SKIP LOCKED`,
        [studyId, graceSeconds, startCutoff],
      );
      const failed: TrialRecord[] = [];
      for (const { trial_id } of stale) {
        await finish(q, trial_id, "FAIL", null, staleMessage(graceSeconds));
        failed.push(...(await loadTrials(q, "t.trial_id = $1", [trial_id])));
      }
      return failed;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.poolPromise;
    this.poolPromise = null;
    if (pending) await pending.then((pool) => pool.end()).catch(() => undefined);
  }

  /* ---- internals ---- */

  private pool(): Promise<Pool> {
    if (this.closed) return Promise.reject(new StorageError(`The storage ${this.url} is closed; open it again.`));
    if (!this.poolPromise) {
      this.poolPromise = this.connect();
      // A failed connection is not kept: the next call tries again.
      this.poolPromise.catch(() => (this.poolPromise = null));
    }
    return this.poolPromise;
  }

  private async connect(): Promise<Pool> {
    const pg = (await import("pg")).default;
    const pool = new pg.Pool({
      connectionString: this.connectionString,
      max: this.poolSize,
      // Per-pool parsers (pg's global ones stay untouched): timestamps as Optuna's text, COUNT(*) as a number.
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") => {
          if (oid === TIMESTAMP_OID) return (text: string) => text;
          if (oid === INT8_OID) return (text: string) => Number(text);
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on("error", () => undefined);
    try {
      await this.prepareSchema(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw this.translate(error);
    }
    return pool;
  }

  /** Creates or migrates the schema under an advisory lock, so concurrent workers do it once. */
  private async prepareSchema(pool: Pool): Promise<void> {
    const client = await pool.connect();
    const q: Query = async (sql, args) => (await client.query(sql, args as unknown[])).rows;
    const check = (state: SchemaState) => checkSchema(state, `The PostgreSQL database ${this.url}`, this.url, this.mustExist);
    try {
      if (!check(await inspectSchema(q))) return;
      await q("BEGIN");
      try {
        await q("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK_KEY]);
        const state = await inspectSchema(q);
        if (check(state)) {
          if (!state.tables.has("studies")) for (const sql of OPTUNA_POSTGRES_DDL) await q(sql);
          for (const migration of MIGRATIONS) {
            if (migration.version <= state.ours) continue;
            for (const sql of migration.postgres) await q(sql);
          }
          await q("DELETE FROM tunebook_schema");
          await q("INSERT INTO tunebook_schema (version) VALUES ($1)", [TUNEBOOK_SCHEMA_VERSION]);
        }
        await q("COMMIT");
      } catch (error) {
        await q("ROLLBACK").catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** A query function over the pool, for single statements. */
  private async query(): Promise<Query> {
    const pool = await this.pool();
    return async (sql, args) => {
      try {
        return (await pool.query(sql, args as unknown[])).rows;
      } catch (error) {
        throw this.translate(error);
      }
    };
  }

  /** Runs `body` in a READ COMMITTED transaction, retrying it when it loses a deadlock or serialization race. */
  private transaction<T>(body: (q: Query) => Promise<T>): Promise<T> {
    return this.withClient("BEGIN", body);
  }

  /**
   * A transaction for a running trial's progress (a param, a reported value, an
   * attribute, a heartbeat): committed without waiting for the WAL flush. A server
   * crash may lose the last fraction of a second of such writes, never a finished trial:
   * finishing commits durably, and a durable commit flushes every earlier commit too.
   */
  private progressTransaction<T>(body: (q: Query) => Promise<T>): Promise<T> {
    return this.withClient("BEGIN; SET LOCAL synchronous_commit TO OFF", body);
  }

  /** Runs `body` in a read-only transaction that sees one snapshot. */
  private snapshot<T>(body: (q: Query) => Promise<T>): Promise<T> {
    return this.withClient("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body);
  }

  private async withClient<T>(begin: string, body: (q: Query) => Promise<T>): Promise<T> {
    const pool = await this.pool();
    const deadline = Date.now() + this.retryTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw this.translate(error);
      }
      const q: Query = async (sql, args) => (await client.query(sql, args as unknown[])).rows;
      try {
        await q(begin);
        const result = await body(q);
        await q("COMMIT");
        client.release();
        return result;
      } catch (error) {
        let broken = false;
        await q("ROLLBACK").catch(() => (broken = true));
        client.release(broken);
        if (!RETRYABLE.has(pgCode(error) ?? "") || Date.now() >= deadline) throw this.translate(error);
        await new Promise((done) => setTimeout(done, Math.min(250, 2 ** Math.min(attempt, 8)) * (0.5 + this.jitter.random())));
      }
    }
  }

  private noStudy(studyId: number): NotFoundError {
    return new NotFoundError(`No study with id ${show(studyId)} in ${this.url}.`);
  }

  private async checkStudy(q: Query, studyId: number): Promise<void> {
    if (!(await q("SELECT 1 AS found FROM studies WHERE study_id = $1", [studyId])).length) throw this.noStudy(studyId);
  }

  /** Locks the study's row against other writers of its trial numbers (not against FK checks). */
  private async lockStudy(q: Query, studyId: number): Promise<void> {
    if (!(await q("SELECT study_id FROM studies WHERE study_id = $1 FOR NO KEY UPDATE", [studyId])).length) throw this.noStudy(studyId);
  }

  /** Locks the trial's row and returns its number; throws unless it exists and is not finished. */
  private async lockMutableTrial(q: Query, trialId: number): Promise<number> {
    const [row] = await q<{ number: number; state: string }>("SELECT number, state FROM trials WHERE trial_id = $1 FOR NO KEY UPDATE", [
      trialId,
    ]);
    if (!row) throw new NotFoundError(`No trial with id ${show(trialId)} in ${this.url}.`);
    if (FINISHED_STATES.includes(row.state as TrialState))
      throw new TrialFinishedError(`Trial ${row.number} is already ${row.state} and cannot change.`);
    return row.number;
  }

  private async setStudyAttr(table: string, studyId: number, key: string, value: JsonValue): Promise<void> {
    checkName("An attribute key", key);
    const json = pythonJson(value);
    await this.transaction(async (q) => {
      await this.checkStudy(q, studyId);
      await q(UPSERT_STUDY_ATTR(table), [studyId, key, json]);
    });
  }

  private async setTrialAttr(table: string, trialId: number, key: string, value: JsonValue): Promise<void> {
    checkName("An attribute key", key);
    const json = pythonJson(value);
    await this.progressTransaction(async (q) => {
      if (!(await q("SELECT 1 AS found FROM trials WHERE trial_id = $1", [trialId])).length)
        throw new NotFoundError(`No trial with id ${show(trialId)} in ${this.url}.`);
      await q(UPSERT_TRIAL_ATTR(table), [trialId, key, json]);
    });
  }

  /** Connection and permission failures become `StorageError`s naming the server; bugs pass through. */
  private translate(error: unknown): unknown {
    if (error instanceof TunebookError) return error;
    const code = pgCode(error);
    const message = (error as Error)?.message ?? String(error);
    const where = `PostgreSQL at ${this.url}`;
    switch (code) {
      case "ECONNREFUSED":
        return new StorageError(`Cannot connect to ${where}: connection refused. Is the server running and listening there?`);
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return new StorageError(`Cannot connect to ${where}: unknown host (${message}).`);
      case "28P01":
      case "28000":
        return new StorageError(`${where} refused the login: ${message}. Check the user and password in the URL.`);
      case "3D000":
        return new StorageError(`${where}: ${message}. Create the database first (e.g. createdb <name>) or fix the URL.`);
      case "42501":
        return new StorageError(`${where}: permission denied (${message}); the user needs rights to create and write tables.`);
      case "40001":
      case "40P01":
      case "55P03":
        return new StorageError(
          `${where} stayed too contended to finish a transaction within ${Math.round(this.retryTimeoutMs / 1000)} s: ${message}.`,
        );
    }
    if (code === "57P01" || code === "57P03" || code === "08006" || code === "08001" || code === "ECONNRESET") {
      return new StorageError(`Lost the connection to ${where}: ${message}.`);
    }
    return error;
  }
}

const UPSERT_PARAM = `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES ($1, $2, $3, $4)
  ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json`;
const UPSERT_VALUE = `INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES ($1, 0, $2, $3)
  ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type`;
const UPSERT_INTERMEDIATE = `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES ($1, $2, $3, $4)
  ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`;
const UPSERT_TRIAL_ATTR = (table: string): string =>
  `INSERT INTO ${table} (trial_id, "key", value_json) VALUES ($1, $2, $3) ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json`;
const UPSERT_STUDY_ATTR = (table: string): string =>
  `INSERT INTO ${table} (study_id, "key", value_json) VALUES ($1, $2, $3) ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json`;

async function finish(
  q: Query,
  trialId: number,
  state: FinishedState,
  value: EncodedValue | null,
  error: string | undefined,
): Promise<void> {
  await q("UPDATE trials SET state = $1, datetime_complete = $2 WHERE trial_id = $3", [state, formatDatetime(new Date()), trialId]);
  if (value) await q(UPSERT_VALUE, [trialId, value.value, value.type]);
  else await q("DELETE FROM trial_values WHERE trial_id = $1", [trialId]);
  if (error !== undefined) await q(UPSERT_TRIAL_ATTR("trial_system_attributes"), [trialId, SYSTEM_ATTR.failReason, pythonJson(error)]);
}

/** Trials matching `where` (over `trials t`) with their params, values and attributes: one query per table. */
async function loadTrials(q: Query, where: string, args: readonly unknown[]): Promise<TrialRecord[]> {
  const rows = await q<TrialRow>(
    `SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete, v.value, v.value_type
     FROM trials t LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
     WHERE ${where} ORDER BY t.number`,
    args,
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.trial_id);
  const params = await q<ParamRow>(
    "SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE trial_id = ANY($1::int[])",
    [ids],
  );
  const intermediates = await q<IntermediateRow>(
    "SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE trial_id = ANY($1::int[])",
    [ids],
  );
  const attrs = await q<TrialAttrRow>(
    `SELECT trial_id, 0 AS system, "key", value_json FROM trial_user_attributes WHERE trial_id = ANY($1::int[])
     UNION ALL SELECT trial_id, 1 AS system, "key", value_json FROM trial_system_attributes WHERE trial_id = ANY($1::int[])`,
    [ids],
  );
  return assembleTrials(rows, params, intermediates, attrs);
}

async function summaries(q: Query, studyId?: number): Promise<StudySummary[]> {
  const one = studyId !== undefined;
  const args = one ? [studyId] : [];
  const studies = await q<StudyRowSql>(
    `SELECT s.study_id, s.study_name, d.direction::text AS direction FROM studies s
     LEFT JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0
     ${one ? "WHERE s.study_id = $1" : ""} ORDER BY s.study_id`,
    args,
  );
  if (studies.length === 0) return [];
  const attrs = await q<StudyAttrRow>(
    `SELECT study_id, 0 AS system, "key", value_json FROM study_user_attributes ${one ? "WHERE study_id = $1" : ""}
     UNION ALL SELECT study_id, 1 AS system, "key", value_json FROM study_system_attributes ${one ? "WHERE study_id = $1" : ""}`,
    args,
  );
  const counts = await q<StudyCountRow>(
    `SELECT study_id, state::text AS state, COUNT(*) AS n FROM trials ${one ? "WHERE study_id = $1" : ""} GROUP BY study_id, state`,
    args,
  );
  const times = await q<StudyTimesRow>(
    `SELECT study_id, MIN(datetime_start) AS min_start, MIN(datetime_complete) AS min_complete,
            MAX(datetime_start) AS max_start, MAX(datetime_complete) AS max_complete
     FROM trials ${one ? "WHERE study_id = $1" : ""} GROUP BY study_id`,
    args,
  );
  const best = await q<StudyBestRow>(
    `SELECT study_id, number, value, value_type FROM (
       SELECT t.study_id, t.number, v.value, v.value_type::text AS value_type,
              ROW_NUMBER() OVER (PARTITION BY t.study_id ORDER BY ${BEST_ORDER_SQL}) AS position
       FROM trials t
       JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
       JOIN study_directions d ON d.study_id = t.study_id AND d.objective = 0
       WHERE t.state = 'COMPLETE' ${one ? "AND t.study_id = $1" : ""}
     ) AS ranked WHERE position = 1`,
    args,
  );
  return assembleSummaries(studies, attrs, counts, times, best);
}

async function inspectSchema(q: Query): Promise<SchemaState> {
  const tables = new Set(
    (await q<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")).map(
      (r) => r.table_name,
    ),
  );
  const revision = tables.has("alembic_version")
    ? ((await q<{ version_num: string }>("SELECT version_num FROM alembic_version"))[0]?.version_num ?? null)
    : null;
  const ours = tables.has("tunebook_schema")
    ? ((await q<{ v: number | null }>("SELECT MAX(version) AS v FROM tunebook_schema"))[0].v ?? 0)
    : 0;
  return { tables, revision, ours };
}

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function duplicated(name: string): DuplicatedStudyError {
  return new DuplicatedStudyError(
    `A study named ${JSON.stringify(name)} already exists; pass loadIfExists: true to continue it, or choose another name.`,
  );
}

/** The URL with its password replaced, for messages and `storage.url`. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
  }
}
