import { closeSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
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
  encodeObjectiveValue,
  encodeValue,
  formatDatetime,
  type IntermediateRow,
  internalParam,
  notFoundStudy,
  type ParamRow,
  parseDatetime,
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
import { checkSchema, MIGRATIONS, OPTUNA_SQLITE_DDL, type SchemaState, TUNEBOOK_SCHEMA_VERSION } from "./schema.js";
import type { CreateStudyOptions, CreateTrialOptions, FinishedState, Storage, TrialTemplate } from "./storage.js";

export interface SqliteStorageOptions {
  /** Refuse to open a file that does not exist instead of creating it (for readers such as the UI). Default `false`. */
  mustExist?: boolean;
  /**
   * `"normal"` (default): in WAL mode every commit survives a crash or kill of the process,
   * but a power loss or OS crash may lose the last commits. `"full"`: every commit is
   * synced to disk too (slower).
   */
  synchronous?: "normal" | "full";
  /** How long SQLite waits for another process's write lock before reporting busy, in ms. Default 10000. */
  busyTimeoutMs?: number;
  /** How long tunebook keeps retrying a busy database (on top of `busyTimeoutMs`) before giving up, in ms. Default 120000. */
  retryTimeoutMs?: number;
}

const OPTION_KEYS = ["mustExist", "synchronous", "busyTimeoutMs", "retryTimeoutMs"] as const;
const SQLITE_HEADER = "SQLite format 3\0";

type Row = Record<string, unknown>;

/**
 * Storage in one SQLite file, with Optuna's schema. Safe for many processes on one
 * machine: WAL, immediate transactions for every write (trial numbers are assigned
 * inside them), and retries while another process holds the lock, so "database is
 * locked" never reaches the caller.
 *
 * Durability: a write is committed before its promise resolves, so it survives the
 * process being killed; with the default `synchronous: "normal"` a power loss or OS
 * crash may lose the last commits (`"full"` syncs each one). A RUNNING trial counts as
 * alive from its start until its first heartbeat, and from its latest heartbeat after.
 */
export class SqliteStorage implements Storage {
  readonly url: string;
  /** Absolute path of the database file (or `:memory:`). */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly inTransaction: Database.Transaction<(body: () => unknown) => unknown>;
  private readonly retryTimeoutMs: number;
  private readonly jitter = new Rng();

  constructor(path: string, options: SqliteStorageOptions = {}) {
    checkOptionKeys("SqliteStorage", options, OPTION_KEYS);
    const { mustExist = false, synchronous = "normal", busyTimeoutMs = 10_000, retryTimeoutMs = 120_000 } = options;
    if (synchronous !== "normal" && synchronous !== "full") {
      throw new ValueError(`SqliteStorage: synchronous must be "normal" or "full", got ${show(synchronous)}.`);
    }
    for (const [key, v] of [
      ["busyTimeoutMs", busyTimeoutMs],
      ["retryTimeoutMs", retryTimeoutMs],
    ] as const) {
      if (!Number.isFinite(v) || v < 0)
        throw new ValueError(`SqliteStorage: ${key} must be a number of milliseconds >= 0, got ${show(v)}.`);
    }
    const memory = path === ":memory:";
    this.path = memory ? path : resolve(path);
    this.url = `sqlite:${this.path}`;
    this.retryTimeoutMs = retryTimeoutMs;
    if (!memory) checkFile(this.path, mustExist);
    try {
      this.db = new Database(this.path, { fileMustExist: mustExist, timeout: busyTimeoutMs });
    } catch (error) {
      throw new StorageError(`Cannot open the SQLite database ${this.path}: ${(error as Error).message}.`);
    }
    try {
      // Check before changing anything, so a database tunebook refuses stays byte for byte as it was.
      const check = (state: SchemaState) => checkSchema(state, `The SQLite database ${this.path}`, `sqlite:///${this.path}`, mustExist);
      const needsWork = retrySyncValue(() => check(inspectSchema(this.db)), retryTimeoutMs, this.path);
      retrySync(
        () => {
          if (!memory && this.db.pragma("journal_mode", { simple: true }) !== "wal") this.db.pragma("journal_mode = WAL");
        },
        retryTimeoutMs,
        this.path,
      );
      this.db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      // Fold the WAL back into the database every ~16 MB instead of SQLite's 4 MB: each
      // checkpoint syncs the file, and at 4 MB that costs more than the trials themselves.
      this.db.pragma("wal_autocheckpoint = 4000");
      // better-sqlite3's default, stated: tunebook's writes keep Optuna's foreign keys.
      this.db.pragma("foreign_keys = ON");
      if (needsWork) retrySync(() => migrate(this.db, check), retryTimeoutMs, this.path);
    } catch (error) {
      this.db.close();
      throw translate(error, this.path);
    }
    this.inTransaction = this.db.transaction((body: () => unknown) => body());
  }

  /* ---- studies ---- */

  async createStudy(options: CreateStudyOptions): Promise<number> {
    const { name, experiment = null } = options;
    checkName("A study name", name);
    const direction = directionToSql(options.direction);
    if (experiment !== null && typeof experiment !== "string")
      throw new ValueError(`experiment must be a string, got ${show(experiment)}.`);
    return this.write(() => {
      if (this.get("SELECT study_id FROM studies WHERE study_name = ?", name)) {
        throw new DuplicatedStudyError(
          `A study named ${JSON.stringify(name)} already exists; pass loadIfExists: true to continue it, or choose another name.`,
        );
      }
      const studyId = Number(this.run("INSERT INTO studies (study_name) VALUES (?)", name).lastInsertRowid);
      this.run("INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, 0)", direction, studyId);
      if (experiment !== null)
        this.run(UPSERT_STUDY_ATTR("study_system_attributes"), studyId, SYSTEM_ATTR.experiment, pythonJson(experiment));
      return studyId;
    });
  }

  async getStudyIdByName(name: string): Promise<number> {
    return this.read(() => {
      const row = this.get("SELECT study_id FROM studies WHERE study_name = ?", name);
      if (row) return row.study_id as number;
      const known = this.all("SELECT study_name FROM studies ORDER BY study_id").map((r) => r.study_name as string);
      throw notFoundStudy(name, known);
    });
  }

  async getStudy(studyId: number): Promise<StudySummary> {
    return this.read(() => {
      this.checkStudy(studyId);
      return this.summaries(studyId)[0];
    });
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.read(() => this.summaries());
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.write(() => {
      this.checkStudy(studyId);
      for (const table of [
        "trial_params",
        "trial_values",
        "trial_intermediate_values",
        "trial_user_attributes",
        "trial_system_attributes",
        "trial_heartbeats",
      ]) {
        this.run(`DELETE FROM ${table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)`, studyId);
      }
      for (const table of [
        "trials",
        "tunebook_claims",
        "study_user_attributes",
        "study_system_attributes",
        "study_directions",
        "studies",
      ]) {
        this.run(`DELETE FROM ${table} WHERE study_id = ?`, studyId);
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
    return this.write(() => {
      this.checkStudy(studyId);
      if (maxTrials !== undefined) {
        const used = this.get("SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND state <> 'FAIL'", studyId)!.n as number;
        if (used >= maxTrials) return null;
      }
      let claimedKey: string | undefined;
      if (claimOneOf) {
        claimedKey = claimOneOf.find(
          (key) => !this.get(`SELECT 1 AS taken FROM tunebook_claims WHERE study_id = ? AND "key" = ?`, studyId, key),
        );
        if (claimedKey === undefined) return null;
      }
      // Numbers are assigned inside the immediate transaction: no two writers can see the same MAX.
      const number = this.get("SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = ?", studyId)!.n as number;
      const trialId = Number(
        this.run(
          "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?)",
          number,
          studyId,
          prepared.state,
          prepared.datetimeStart,
          prepared.datetimeComplete,
        ).lastInsertRowid,
      );
      for (const p of prepared.params) this.run(UPSERT_PARAM, trialId, p.name, p.internal, p.distributionJson);
      if (prepared.value) this.run(UPSERT_VALUE, trialId, prepared.value.value, prepared.value.type);
      for (const iv of prepared.intermediates) this.run(UPSERT_INTERMEDIATE, trialId, iv.step, iv.value.value, iv.value.type);
      for (const a of prepared.userAttrs) this.run(UPSERT_TRIAL_ATTR("trial_user_attributes"), trialId, a.key, a.json);
      for (const a of prepared.systemAttrs) this.run(UPSERT_TRIAL_ATTR("trial_system_attributes"), trialId, a.key, a.json);
      if (claimedKey === undefined) return { ...prepared.record, trialId, number };
      this.run(`INSERT INTO tunebook_claims (study_id, "key", trial_id) VALUES (?, ?, ?)`, studyId, claimedKey, trialId);
      return { ...prepared.record, trialId, number, claimedKey };
    });
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    return this.write(() => {
      this.checkStudy(studyId);
      const row = this.get("SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1", studyId);
      if (!row) return null;
      const trialId = row.trial_id as number;
      this.run(
        "UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ? AND state = 'WAITING'",
        formatDatetime(new Date()),
        trialId,
      );
      return this.loadTrials("t.trial_id = ?", [trialId])[0];
    });
  }

  async setTrialParam(trialId: number, name: string, value: ParamValue, distribution: DistributionJson): Promise<void> {
    checkName("A parameter name", name);
    const internal = internalParam(name, value, distribution);
    const json = distributionToJson(distribution);
    await this.write(() => {
      const row = this.get(
        "SELECT t.number, t.state, p.distribution_json FROM trials t LEFT JOIN trial_params p ON p.trial_id = t.trial_id AND p.param_name = ? WHERE t.trial_id = ?",
        name,
        trialId,
      );
      this.checkMutable(trialId, row);
      const existing = row!.distribution_json as string | null;
      if (existing !== null && existing !== json) {
        checkParamDistribution(row!.number as number, name, distributionFromJson(existing), distribution);
      }
      this.run(UPSERT_PARAM, trialId, name, internal, json);
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    checkStep(step);
    if (typeof value !== "number") throw new ValueError(`An intermediate value must be a number, got ${show(value)}.`);
    const encoded = encodeValue(value);
    await this.write(() => {
      this.mutableTrial(trialId);
      this.run(UPSERT_INTERMEDIATE, trialId, step, encoded.value, encoded.type);
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
    await this.write(() => {
      this.mutableTrial(trialId);
      this.finish(trialId, state, encoded, error);
    });
  }

  /* ---- trials: reads ---- */

  async getTrial(trialId: number): Promise<TrialRecord> {
    return this.read(() => {
      const [trial] = this.loadTrials("t.trial_id = ?", [trialId]);
      if (!trial) throw new NotFoundError(`No trial with id ${trialId} in ${this.url}.`);
      return trial;
    });
  }

  async getAllTrials(studyId: number, options: { states?: readonly TrialState[]; fromTrialId?: number } = {}): Promise<TrialRecord[]> {
    const { states, fromTrialId } = options;
    const stateFilter = statesSql(states);
    return this.read(() => {
      const trials =
        stateFilter === null
          ? []
          : fromTrialId === undefined
            ? this.loadTrials(`t.study_id = ?${stateFilter}`, [studyId])
            : // From an id on, walk the primary key from there (`+` keeps SQLite off the study index).
              this.loadTrials(`t.trial_id >= ? AND +t.study_id = ?${stateFilter}`, [fromTrialId, studyId]);
      if (trials.length === 0) this.checkStudy(studyId);
      return trials;
    });
  }

  async countTrials(studyId: number, states?: readonly TrialState[]): Promise<number> {
    const stateFilter = statesSql(states);
    return this.read(() => {
      this.checkStudy(studyId);
      if (stateFilter === null) return 0;
      return this.get(`SELECT COUNT(*) AS n FROM trials t WHERE t.study_id = ?${stateFilter}`, studyId)!.n as number;
    });
  }

  /* ---- coordination ---- */

  async claimedKeys(studyId: number): Promise<Set<string>> {
    return this.read(() => {
      this.checkStudy(studyId);
      return new Set(this.all(`SELECT "key" FROM tunebook_claims WHERE study_id = ?`, studyId).map((r) => r.key as string));
    });
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.retry(() =>
      this.run(
        `INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, ? FROM trials WHERE trial_id = ? AND state = 'RUNNING'
         ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`,
        formatDatetime(new Date(), true),
        trialId,
      ),
    );
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<TrialRecord[]> {
    if (!(graceSeconds >= 0)) throw new ValueError(`graceSeconds must be a number >= 0, got ${show(graceSeconds)}.`);
    const cutoff = Date.now() - graceSeconds * 1000;
    // Look first without the write lock: usually nothing is stale, and other workers keep writing.
    const candidates = await this.read(() => {
      this.checkStudy(studyId);
      return this.staleTrialIds(studyId, cutoff);
    });
    if (candidates.length === 0) return [];
    return this.write(() => {
      const stale = this.staleTrialIds(studyId, cutoff);
      for (const trialId of stale) this.finish(trialId, "FAIL", null, staleMessage(graceSeconds));
      return stale.flatMap((trialId) => this.loadTrials("t.trial_id = ?", [trialId]));
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    this.statements.clear();
  }

  /* ---- internals ---- */

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private get(sql: string, ...args: unknown[]): Row | undefined {
    return this.stmt(sql).get(...args) as Row | undefined;
  }

  private all(sql: string, ...args: unknown[]): Row[] {
    return this.stmt(sql).all(...args) as Row[];
  }

  private run(sql: string, ...args: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...args);
  }

  /** Runs `body` in an immediate transaction (the write lock taken up front), retrying while busy. */
  private write<T>(body: () => T): Promise<T> {
    return this.retry(() => this.inTransaction.immediate(body) as T);
  }

  /** Runs `body` in a read transaction, so its queries see one snapshot. */
  private read<T>(body: () => T): Promise<T> {
    return this.retry(() => this.inTransaction.deferred(body) as T);
  }

  private async retry<T>(operation: () => T): Promise<T> {
    const deadline = Date.now() + this.retryTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return operation();
      } catch (error) {
        if (!isBusy(error)) throw translate(error, this.path);
        if (Date.now() >= deadline) throw busyError(this.path, this.retryTimeoutMs);
        await new Promise((done) => setTimeout(done, backoffMs(attempt, this.jitter)));
      }
    }
  }

  private checkStudy(studyId: number): void {
    if (!this.get("SELECT 1 AS found FROM studies WHERE study_id = ?", studyId)) {
      throw new NotFoundError(`No study with id ${show(studyId)} in ${this.url}.`);
    }
  }

  /** Throws unless the trial exists and is not finished. */
  private mutableTrial(trialId: number): void {
    this.checkMutable(trialId, this.get("SELECT number, state FROM trials WHERE trial_id = ?", trialId));
  }

  private checkMutable(trialId: number, row: Row | undefined): void {
    if (!row) throw new NotFoundError(`No trial with id ${show(trialId)} in ${this.url}.`);
    if (FINISHED_STATES.includes(row.state as TrialState)) {
      throw new TrialFinishedError(`Trial ${row.number} is already ${row.state} and cannot change.`);
    }
  }

  private finish(
    trialId: number,
    state: FinishedState,
    value: { value: number | null; type: string } | null,
    error: string | undefined,
  ): void {
    this.run("UPDATE trials SET state = ?, datetime_complete = ? WHERE trial_id = ?", state, formatDatetime(new Date()), trialId);
    if (value) this.run(UPSERT_VALUE, trialId, value.value, value.type);
    else this.run("DELETE FROM trial_values WHERE trial_id = ?", trialId);
    if (error !== undefined) this.run(UPSERT_TRIAL_ATTR("trial_system_attributes"), trialId, SYSTEM_ATTR.failReason, pythonJson(error));
  }

  /** RUNNING trials of the study whose last sign of life is older than `cutoff` (ms), by number. */
  private staleTrialIds(studyId: number, cutoff: number): number[] {
    const running = this.all(
      "SELECT t.trial_id, t.datetime_start, h.heartbeat FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.study_id = ? AND t.state = 'RUNNING' ORDER BY t.number",
      studyId,
    );
    return running
      .filter((r) => {
        const alive = lastSignOfLife(r);
        return alive !== null && alive.getTime() < cutoff;
      })
      .map((r) => r.trial_id as number);
  }

  private async setStudyAttr(table: string, studyId: number, key: string, value: JsonValue): Promise<void> {
    checkName("An attribute key", key);
    const json = pythonJson(value);
    await this.write(() => {
      this.checkStudy(studyId);
      this.run(UPSERT_STUDY_ATTR(table), studyId, key, json);
    });
  }

  private async setTrialAttr(table: string, trialId: number, key: string, value: JsonValue): Promise<void> {
    checkName("An attribute key", key);
    const json = pythonJson(value);
    await this.write(() => {
      if (!this.get("SELECT 1 AS found FROM trials WHERE trial_id = ?", trialId))
        throw new NotFoundError(`No trial with id ${show(trialId)} in ${this.url}.`);
      this.run(UPSERT_TRIAL_ATTR(table), trialId, key, json);
    });
  }

  /**
   * Trials matching `where` (over `trials t`), with everything that hangs off them: one
   * query per table for the whole set, each child table reached through its trial_id index.
   */
  private loadTrials(where: string, args: readonly unknown[]): TrialRecord[] {
    const rows = this.all(
      `SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete, v.value, v.value_type
       FROM trials t LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
       WHERE ${where} ORDER BY t.number`,
      ...args,
    ) as unknown as TrialRow[];
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
    const params = this.all(
      `SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE ${filter}`,
      ...filterArgs,
    ) as unknown as ParamRow[];
    const intermediates = this.all(
      `SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE ${filter}`,
      ...filterArgs,
    ) as unknown as IntermediateRow[];
    const attrs = this.all(
      `SELECT trial_id, 0 AS system, "key", value_json FROM trial_user_attributes WHERE ${filter}
       UNION ALL SELECT trial_id, 1 AS system, "key", value_json FROM trial_system_attributes WHERE ${filter}`,
      ...filterArgs,
      ...filterArgs,
    ) as unknown as TrialAttrRow[];
    return assembleTrials(rows, params, intermediates, attrs);
  }

  /** Summaries of one study or all, from a handful of grouped queries. */
  private summaries(studyId?: number): StudySummary[] {
    const one = studyId !== undefined;
    const args = one ? [studyId] : [];
    const studies = this.all(
      `SELECT s.study_id, s.study_name, d.direction FROM studies s
       LEFT JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0
       ${one ? "WHERE s.study_id = ?" : ""} ORDER BY s.study_id`,
      ...args,
    ) as unknown as StudyRowSql[];
    const attrs = this.all(
      `SELECT study_id, 0 AS system, "key", value_json FROM study_user_attributes ${one ? "WHERE study_id = ?" : ""}
       UNION ALL SELECT study_id, 1 AS system, "key", value_json FROM study_system_attributes ${one ? "WHERE study_id = ?" : ""}`,
      ...args,
      ...args,
    ) as unknown as StudyAttrRow[];
    const counts = this.all(
      `SELECT study_id, state, COUNT(*) AS n FROM trials ${one ? "WHERE study_id = ?" : ""} GROUP BY study_id, state`,
      ...args,
    ) as unknown as StudyCountRow[];
    const times = this.all(
      `SELECT study_id, MIN(datetime_start) AS min_start, MIN(datetime_complete) AS min_complete,
              MAX(datetime_start) AS max_start, MAX(datetime_complete) AS max_complete
       FROM trials ${one ? "WHERE study_id = ?" : ""} GROUP BY study_id`,
      ...args,
    ) as unknown as StudyTimesRow[];
    const best = this.all(
      `SELECT study_id, number, value, value_type FROM (
         SELECT t.study_id, t.number, v.value, v.value_type,
                ROW_NUMBER() OVER (PARTITION BY t.study_id ORDER BY ${BEST_ORDER_SQL}) AS position
         FROM trials t
         JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
         JOIN study_directions d ON d.study_id = t.study_id AND d.objective = 0
         WHERE t.state = 'COMPLETE' ${one ? "AND t.study_id = ?" : ""}
       ) AS ranked WHERE position = 1`,
      ...args,
    ) as unknown as StudyBestRow[];
    return assembleSummaries(studies, attrs, counts, times, best);
  }
}

const UPSERT_PARAM = `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)
  ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json`;
const UPSERT_VALUE = `INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, ?)
  ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type`;
const UPSERT_INTERMEDIATE = `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)
  ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`;
const UPSERT_TRIAL_ATTR = (table: string): string =>
  `INSERT INTO ${table} (trial_id, "key", value_json) VALUES (?, ?, ?) ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json`;
const UPSERT_STUDY_ATTR = (table: string): string =>
  `INSERT INTO ${table} (study_id, "key", value_json) VALUES (?, ?, ?) ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json`;

/**
 * When a RUNNING trial's worker last showed it was alive: its latest heartbeat (UTC, as
 * Optuna takes it from SQLite's CURRENT_TIMESTAMP), else its start (a trial counts as
 * alive when it starts; writing a heartbeat row for every trial would cost two page writes).
 */
function lastSignOfLife(row: Row): Date | null {
  if (row.heartbeat != null) return parseDatetime(row.heartbeat as string, true);
  return parseDatetime(row.datetime_start as string | null);
}

/** Refuses, before SQLite touches anything, a path that cannot hold a database. */
function checkFile(path: string, mustExist: boolean): void {
  const dir = dirname(path);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new StorageError(
      `Cannot open the SQLite database ${path}: the directory ${dir} does not exist. Create it first (mkdir -p ${JSON.stringify(dir)}) or choose another path; tunebook does not create directories.`,
    );
  }
  if (!dirStat.isDirectory()) throw new StorageError(`Cannot open the SQLite database ${path}: ${dir} is not a directory.`);
  let fileStat: Stats;
  try {
    fileStat = statSync(path);
  } catch {
    if (mustExist)
      throw new StorageError(`The SQLite database ${path} does not exist (nothing was created). Check the path, or run a study first.`);
    return;
  }
  if (fileStat.isDirectory()) throw new StorageError(`${path} is a directory, not an SQLite database file; give the path of a .db file.`);
  if (fileStat.size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new StorageError(`Cannot read ${path}: ${(error as Error).message}.`);
  }
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) {
    throw new StorageError(
      `${path} is not an SQLite database (it does not start with the SQLite header); tunebook left it untouched. Give the path of a tunebook or Optuna database, or a new file.`,
    );
  }
}

function inspectSchema(db: Database.Database): SchemaState {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
  );
  const revision = tables.has("alembic_version")
    ? ((db.prepare("SELECT version_num FROM alembic_version").get() as { version_num: string } | undefined)?.version_num ?? null)
    : null;
  const ours = tables.has("tunebook_schema")
    ? ((db.prepare("SELECT MAX(version) AS v FROM tunebook_schema").get() as { v: number | null }).v ?? 0)
    : 0;
  return { tables, revision, ours };
}

/** Creates or migrates the schema in one immediate transaction. */
function migrate(db: Database.Database, check: (state: SchemaState) => boolean): void {
  db.transaction(() => {
    // Look again under the write lock: another process may have done it meanwhile.
    const state = inspectSchema(db);
    if (!check(state)) return;
    if (!state.tables.has("studies")) for (const sql of OPTUNA_SQLITE_DDL) db.exec(sql);
    for (const migration of MIGRATIONS) {
      if (migration.version <= state.ours) continue;
      for (const sql of migration.sqlite) db.exec(sql);
    }
    db.exec("DELETE FROM tunebook_schema");
    db.prepare("INSERT INTO tunebook_schema (version) VALUES (?)").run(TUNEBOOK_SCHEMA_VERSION);
  }).immediate();
}

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}

function backoffMs(attempt: number, rng: Rng): number {
  return Math.min(250, 2 ** Math.min(attempt, 8)) * (0.5 + rng.random());
}

function busyError(path: string, waitedMs: number): StorageError {
  return new StorageError(
    `The SQLite database ${path} stayed locked by another process for more than ${Math.round(waitedMs / 1000)} s; nothing was written. Check for a process stuck inside a transaction.`,
  );
}

/** Retries at open time, where there is no event loop to yield to yet. */
function retrySyncValue<T>(operation: () => T, timeoutMs: number, path: string): T {
  const deadline = Date.now() + timeoutMs;
  const rng = new Rng();
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) throw busyError(path, timeoutMs);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, backoffMs(attempt, rng));
    }
  }
}

function retrySync(operation: () => void, timeoutMs: number, path: string): void {
  retrySyncValue(operation, timeoutMs, path);
}

/** User-caused SQLite failures become `StorageError`s naming the file; bugs pass through. */
function translate(error: unknown, path: string): unknown {
  if (error instanceof TunebookError) return error;
  if (error instanceof Database.SqliteError) {
    const code = error.code;
    if (code === "SQLITE_NOTADB")
      return new StorageError(`${path} is not an SQLite database (${error.message}); tunebook left it untouched.`);
    if (code.startsWith("SQLITE_READONLY"))
      return new StorageError(
        `The SQLite database ${path} is read-only (${error.message}); tunebook needs to write to it and to its directory.`,
      );
    if (code === "SQLITE_FULL") return new StorageError(`The disk holding ${path} is full; nothing was written.`);
    if (code.startsWith("SQLITE_CORRUPT")) return new StorageError(`The SQLite database ${path} is damaged (${error.message}).`);
    if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_PERM")) {
      return new StorageError(`Cannot use the SQLite database ${path}: ${error.message} (${code}).`);
    }
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new StorageError(`The storage ${path} is closed; open it again.`);
  }
  return error;
}
