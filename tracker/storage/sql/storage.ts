import { DuplicatedStudyError, NotFoundError, StorageError, show, TrialFinishedError } from "../../../core/errors.js";
import { userAttrValue } from "../../../core/json.js";
import { nameProblem } from "../../../core/limits.js";
import {
  type DistributionJson,
  FINISHED_STATES,
  type JsonValue,
  type ParamValue,
  type StudySummary,
  SYSTEM_ATTR,
  type TrialRecord,
  type TrialState,
} from "../../../core/records.js";
import {
  checkAttrKey,
  checkCreateOptions,
  checkFinish,
  checkGrace,
  checkIntermediate,
  checkParam,
  checkParamDistribution,
  checkStudyOptions,
  notFoundStudy,
  staleMessage,
  valueCountError,
} from "../checks.js";
import {
  directionFromSql,
  directionToSql,
  distributionFromJson,
  distributionToJson,
  type EncodedValue,
  encodeValue,
  formatDatetime,
  pythonJson,
} from "../optuna-encoding.js";
import { checkSampleLimit, sampleStep, unfinishedCap } from "../sample.js";
import type {
  CreateStudyOptions,
  CreateTrialOptions,
  FinishedState,
  Storage,
  TrialPage,
  TrialQueryOptions,
  TrialSample,
  TrialTemplate,
} from "../storage.js";
import { checkTrialQuery } from "../trial-query.js";
import { rebuildStatements, STATS_TABLE } from "./aggregates.js";
import { placeholders, query, queryFirst, type Sql, type SqlDialect } from "./port.js";
import { loadSummaries, loadSummariesFromStats, loadTrials, padded, paddedLength, statesSql } from "./reads.js";
import { type Grace, staleTrialIds } from "./stale.js";
import {
  type AttrTable,
  STUDY_SYSTEM_ATTRS,
  STUDY_TABLES,
  STUDY_USER_ATTRS,
  TRIAL_CHILD_TABLES,
  TRIAL_SYSTEM_ATTRS,
  TRIAL_USER_ATTRS,
  UPSERT_INTERMEDIATE,
  UPSERT_PARAM,
  UPSERT_VALUE,
} from "./statements.js";
import { queryTrialPage } from "./trial-filter-sql.js";
import { type PreparedTrial, prepareTrial } from "./trial-template.js";

/**
 * Storage in an SQL database with Optuna's schema, on any dialect. Each method checks its
 * arguments, then runs its steps as one transaction of the dialect's. Steps are generator
 * methods (statements out, rows in), created once: a generator function created per call
 * would cost more than the statements it runs on SQLite.
 *
 * Trial numbers, the trial budget and claims are decided inside the transaction that
 * inserts the trial, under the study's lock (SQLite: the database's write lock), so many
 * writers never share a number or overshoot. A RUNNING trial counts as alive from its
 * start until its first heartbeat, and from its latest heartbeat after.
 *
 * On a dialect opened read-only every writer throws a `StorageError` before any statement,
 * and reads cope with a database that has only Optuna's tables (no `tunebook_*` ones yet).
 */
export class SqlStorage implements Storage {
  readonly url: string;
  private readonly dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
    this.url = dialect.url;
  }

  /* ---- studies ---- */

  async createStudy(options: CreateStudyOptions): Promise<number> {
    this.checkWritable("createStudy");
    const directions = checkStudyOptions(options).map(directionToSql);
    const { name, experiment = null } = options;
    try {
      return await this.dialect.transaction("write", () => this.insertStudy(name, directions, experiment));
    } catch (error) {
      // Two processes creating the same name at once: the unique index decides.
      if (this.dialect.isUniqueViolation(error)) throw duplicated(name);
      throw error;
    }
  }

  private *insertStudy(name: string, directions: readonly string[], experiment: string | null): Sql<number> {
    if (yield* queryFirst("SELECT study_id FROM studies WHERE study_name = ?", [name])) throw duplicated(name);
    const inserted = yield* queryFirst<{ study_id: number }>("INSERT INTO studies (study_name) VALUES (?) RETURNING study_id", [name]);
    const studyId = inserted!.study_id;
    for (const [objective, direction] of directions.entries()) {
      yield* query("INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)", [direction, studyId, objective]);
    }
    if (experiment !== null) yield* query(STUDY_SYSTEM_ATTRS.upsert, [studyId, SYSTEM_ATTR.experiment, pythonJson(experiment)]);
    return studyId;
  }

  async getStudyIdByName(name: string): Promise<number> {
    return this.dialect.transaction("snapshot", () => this.findStudyId(name));
  }

  private *findStudyId(name: string): Sql<number> {
    // A name no database can hold (a NUL, say) names no study: looking it up would be a driver error.
    const row =
      nameProblem(name) === null
        ? yield* queryFirst<{ study_id: number }>("SELECT study_id FROM studies WHERE study_name = ?", [name])
        : undefined;
    if (row) return row.study_id;
    const known = yield* query<{ study_name: string }>("SELECT study_name FROM studies ORDER BY study_id");
    throw notFoundStudy(
      name,
      known.map((r) => r.study_name),
    );
  }

  async getStudy(studyId: number): Promise<StudySummary> {
    const [summary] = await this.readSummaries(studyId);
    if (!summary) throw this.noStudy(studyId);
    return summary;
  }

  private async readSummaries(studyId?: number): Promise<StudySummary[]> {
    const read = await this.dialect.transaction("snapshot", () => this.summariesFromStats(studyId));
    // Stale aggregates were summarised by the scan this time; rebuilt, the next read is quick again.
    // Read-only, they stay as they are and every read scans those studies (it must not write).
    if (read.stale.length > 0 && !this.dialect.readOnly) {
      await this.dialect.transaction("write", () => this.rebuildStats(read.stale));
    }
    return read.summaries;
  }

  private *summariesFromStats(studyId?: number): Sql<{ summaries: StudySummary[]; stale: number[] }> {
    const read = yield* loadSummariesFromStats(studyId, this.dialect.syntax.tableExists);
    // No aggregates table: a database tunebook never migrated, opened read-only. Scan.
    return read ?? { summaries: yield* loadSummaries(studyId), stale: [] };
  }

  private *rebuildStats(studyIds: readonly number[]): Sql<void> {
    for (const studyId of studyIds) for (const { sql } of rebuildStatements(true)) yield* query(sql, [studyId]);
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.readSummaries();
  }

  async deleteStudy(studyId: number): Promise<void> {
    this.checkWritable("deleteStudy");
    await this.dialect.transaction("write", () => this.deleteStudyRows(studyId));
  }

  private *deleteStudyRows(studyId: number): Sql<void> {
    yield* this.lockStudy(studyId);
    for (const table of TRIAL_CHILD_TABLES) {
      yield* query(`DELETE FROM ${table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)`, [studyId]);
    }
    for (const table of STUDY_TABLES) yield* query(`DELETE FROM ${table} WHERE study_id = ?`, [studyId]);
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.checkWritable("setStudyUserAttr");
    value = userAttrValue("setStudyUserAttr", key, value);
    await this.setAttr(STUDY_USER_ATTRS, studyId, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.checkWritable("setStudySystemAttr");
    await this.setAttr(STUDY_SYSTEM_ATTRS, studyId, key, value);
  }

  /* ---- trials: writes ---- */

  async createTrial(
    studyId: number,
    template: TrialTemplate = {},
    options: CreateTrialOptions = {},
  ): Promise<(TrialRecord & { claimedKey?: string }) | null> {
    this.checkWritable("createTrial");
    const checked = checkCreateOptions(options);
    const prepared = prepareTrial(template, new Date());
    return this.dialect.transaction("write", () => this.insertTrial(studyId, prepared, checked));
  }

  private *insertTrial(
    studyId: number,
    prepared: PreparedTrial,
    { maxTrials, claimOneOf }: CreateTrialOptions,
  ): Sql<(TrialRecord & { claimedKey?: string }) | null> {
    const objectives = yield* this.lockStudyObjectives(studyId);
    if (prepared.values && prepared.values.length !== objectives) yield* this.refuseValueCount(studyId, null, prepared.record.values);
    if (maxTrials !== undefined) {
      const used = yield* queryFirst<{ n: number }>("SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND state <> 'FAIL'", [studyId]);
      if (used!.n >= maxTrials) return null;
    }
    let claimedKey: string | undefined;
    if (claimOneOf) {
      claimedKey = yield* this.firstUnclaimed(studyId, claimOneOf);
      if (claimedKey === undefined) return null;
    }
    const next = yield* queryFirst<{ n: number }>("SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = ?", [studyId]);
    const number = next!.n;
    const inserted = yield* queryFirst<{ trial_id: number }>(
      "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?) RETURNING trial_id",
      [number, studyId, prepared.state, prepared.datetimeStart, prepared.datetimeComplete],
    );
    const trialId = inserted!.trial_id;
    for (const p of prepared.params) yield* query(UPSERT_PARAM, [trialId, p.name, p.internal, p.distributionJson]);
    yield* writeValues(trialId, prepared.values);
    for (const iv of prepared.intermediates) yield* query(UPSERT_INTERMEDIATE, [trialId, iv.step, iv.value.value, iv.value.type]);
    for (const a of prepared.userAttrs) yield* query(TRIAL_USER_ATTRS.upsert, [trialId, a.key, a.json]);
    for (const a of prepared.systemAttrs) yield* query(TRIAL_SYSTEM_ATTRS.upsert, [trialId, a.key, a.json]);
    if (claimedKey === undefined) return { ...prepared.record, trialId, number };
    yield* query(`INSERT INTO tunebook_claims (study_id, "key", trial_id) VALUES (?, ?, ?)`, [studyId, claimedKey, trialId]);
    return { ...prepared.record, trialId, number, claimedKey };
  }

  /** The first of `keys` not yet claimed in the study, asking about `keysPerLookup` keys per statement. */
  private *firstUnclaimed(studyId: number, keys: readonly string[]): Sql<string | undefined> {
    const size = this.dialect.syntax.keysPerLookup;
    for (let start = 0; start < keys.length; start += size) {
      const batch = keys.slice(start, start + size);
      const rows = yield* query<{ key: string }>(
        `SELECT "key" FROM tunebook_claims WHERE study_id = ? AND "key" IN (${placeholders(batch.length)})`,
        [studyId, ...batch],
      );
      const taken = new Set(rows.map((r) => r.key));
      const free = batch.find((key) => !taken.has(key));
      if (free !== undefined) return free;
    }
    return undefined;
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    this.checkWritable("claimWaitingTrial");
    return this.dialect.transaction("write", () => this.claimWaiting(studyId));
  }

  private *claimWaiting(studyId: number): Sql<TrialRecord | null> {
    yield* this.checkStudy(studyId);
    // Skipping locked rows: a trial another worker is claiming right now is not ours to wait for.
    const row = yield* queryFirst<{ trial_id: number }>(
      `SELECT t.trial_id FROM trials t WHERE t.study_id = ? AND t.state = 'WAITING' ORDER BY t.number LIMIT 1${this.dialect.syntax.skipLockedRows("t")}`,
      [studyId],
    );
    if (!row) return null;
    yield* query("UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ? AND state = 'WAITING'", [
      formatDatetime(new Date()),
      row.trial_id,
    ]);
    const [trial] = yield* loadTrials("t.trial_id = ?", [row.trial_id], "unknown");
    return trial;
  }

  async setTrialParam(trialId: number, name: string, value: ParamValue, distribution: DistributionJson): Promise<void> {
    this.checkWritable("setTrialParam");
    const internal = checkParam(name, value, distribution);
    const json = distributionToJson(distribution);
    await this.dialect.transaction("progress", () => this.writeParam(trialId, name, internal, json, distribution));
  }

  private *writeParam(trialId: number, name: string, internal: number, json: string, distribution: DistributionJson): Sql<void> {
    const row = yield* queryFirst<TrialStateRow & { distribution_json: string | null }>(
      `SELECT t.number, t.state, p.distribution_json FROM trials t LEFT JOIN trial_params p ON p.trial_id = t.trial_id AND p.param_name = ?
       WHERE t.trial_id = ?${this.dialect.syntax.lockRows("t")}`,
      [name, trialId],
    );
    this.checkMutable(trialId, row);
    const existing = row!.distribution_json;
    if (existing !== null && existing !== json) {
      checkParamDistribution(row!.number, name, distributionFromJson(existing), distribution);
    }
    yield* query(UPSERT_PARAM, [trialId, name, internal, json]);
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    this.checkWritable("setTrialIntermediateValue");
    checkIntermediate(step, value);
    const encoded = encodeValue(value);
    await this.dialect.transaction("progress", () => this.writeIntermediate(trialId, step, encoded));
  }

  private *writeIntermediate(trialId: number, step: number, encoded: EncodedValue): Sql<void> {
    yield* this.lockMutableTrial(trialId);
    yield* query(UPSERT_INTERMEDIATE, [trialId, step, encoded.value, encoded.type]);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.checkWritable("setTrialUserAttr");
    value = userAttrValue("setTrialUserAttr", key, value);
    await this.setAttr(TRIAL_USER_ATTRS, trialId, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.checkWritable("setTrialSystemAttr");
    await this.setAttr(TRIAL_SYSTEM_ATTRS, trialId, key, value);
  }

  private async setAttr(table: AttrTable, ownerId: number, key: string, value: JsonValue): Promise<void> {
    checkAttrKey(key);
    const json = pythonJson(value);
    await this.dialect.transaction(table.kind, () => this.writeAttr(table, ownerId, key, json));
  }

  private *writeAttr(table: AttrTable, ownerId: number, key: string, json: string): Sql<void> {
    if (table.owner === "study_id") yield* this.checkStudy(ownerId);
    else if (!(yield* queryFirst("SELECT 1 AS found FROM trials WHERE trial_id = ?", [ownerId]))) throw this.noTrial(ownerId);
    yield* query(table.upsert, [ownerId, key, json]);
  }

  async finishTrial(trialId: number, state: FinishedState, values: readonly number[] | null, error?: string): Promise<void> {
    this.checkWritable("finishTrial");
    const encoded = checkFinish(state, values, error);
    await this.dialect.transaction("write", () => this.finishMutable(trialId, state, values, encoded, error));
  }

  private *finishMutable(
    trialId: number,
    state: FinishedState,
    values: readonly number[] | null,
    encoded: EncodedValue[] | null,
    error: string | undefined,
  ): Sql<void> {
    const row = yield* queryFirst<TrialStateRow & { study_id: number; objectives: number }>(
      `SELECT t.number, t.state, t.study_id, (SELECT COUNT(*) FROM study_directions d WHERE d.study_id = t.study_id) AS objectives
       FROM trials t WHERE t.trial_id = ?${this.dialect.syntax.lockRows("t")}`,
      [trialId],
    );
    this.checkMutable(trialId, row);
    if (encoded && encoded.length !== Number(row!.objectives)) yield* this.refuseValueCount(row!.study_id, row!.number, values);
    yield* this.finish(trialId, state, encoded, error);
  }

  /* ---- trials: reads ---- */

  async getTrial(trialId: number): Promise<TrialRecord> {
    return this.dialect.transaction("snapshot", () => this.readTrial(trialId));
  }

  private *readTrial(trialId: number): Sql<TrialRecord> {
    const [trial] = yield* loadTrials("t.trial_id = ?", [trialId], "unknown");
    if (!trial) throw this.noTrial(trialId);
    return trial;
  }

  async getAllTrials(studyId: number, options: { states?: readonly TrialState[]; fromTrialId?: number } = {}): Promise<TrialRecord[]> {
    const { states, fromTrialId } = options;
    const stateFilter = statesSql(states);
    return this.dialect.transaction("snapshot", () => this.readTrials(studyId, stateFilter, fromTrialId));
  }

  private *readTrials(studyId: number, stateFilter: string | null, fromTrialId: number | undefined): Sql<TrialRecord[]> {
    // From an id on, walk the primary key from there (`+` keeps the planner off the study index).
    const [where, args] =
      fromTrialId === undefined ? ["t.study_id = ?", [studyId]] : ["t.trial_id >= ? AND +t.study_id = ?", [fromTrialId, studyId]];
    if (stateFilter === null) {
      yield* this.checkStudy(studyId);
      return [];
    }
    const objectives = yield* this.countObjectives(studyId);
    if (objectives === 0) yield* this.checkStudy(studyId);
    return yield* loadTrials(where + stateFilter, args, objectives);
  }

  async getTrialByNumber(studyId: number, number: number): Promise<TrialRecord | null> {
    return this.dialect.transaction("snapshot", () => this.readTrialByNumber(studyId, number));
  }

  private *readTrialByNumber(studyId: number, number: number): Sql<TrialRecord | null> {
    const objectives = yield* this.countObjectives(studyId);
    if (objectives === 0) yield* this.checkStudy(studyId);
    if (!Number.isSafeInteger(number)) return null;
    const [trial] = yield* loadTrials("t.study_id = ? AND t.number = ?", [studyId, number], objectives);
    return trial ?? null;
  }

  async sampleTrials(studyId: number, limit: number): Promise<TrialSample> {
    checkSampleLimit(limit);
    return this.dialect.transaction("snapshot", () => this.readSample(studyId, limit));
  }

  /** See `Storage.sampleTrials` and `sampledNumbers`, which picks the same trials in memory. */
  private *readSample(studyId: number, limit: number): Sql<TrialSample> {
    const directions = yield* query<{ direction: string }>("SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective", [
      studyId,
    ]);
    if (directions.length === 0) yield* this.checkStudy(studyId);
    const objectives = directions.length;
    const total = Number((yield* queryFirst<{ n: number }>("SELECT COUNT(*) AS n FROM trials WHERE study_id = ?", [studyId]))!.n);
    if (total <= limit) return { total, trials: yield* loadTrials("t.study_id = ?", [studyId], objectives) };
    // Every k-th: numbers are gap-free from 0, and the (study_id, number) index answers the filter.
    const k = sampleStep(total, limit);
    const regular = yield* loadTrials("t.study_id = ? AND t.number % ? = 0", [studyId, k], objectives);
    const extra = new Set<number>();
    for (let objective = 0; objective < objectives; objective++) {
      for (const n of yield* recordBuckets(studyId, objective, directions[objective].direction, k)) if (n % k !== 0) extra.add(n);
    }
    // The aggregates say whether the study has unfinished trials to look for, and constraints.
    const stats =
      this.dialect.readOnly && !(yield* queryFirst(this.dialect.syntax.tableExists, [STATS_TABLE]))
        ? undefined
        : yield* queryFirst<{ unfinished: number; constrained: number }>(
            `SELECT n_running + n_waiting AS unfinished, constrained FROM ${STATS_TABLE} WHERE study_id = ?`,
            [studyId],
          );
    // With constraints the records by value may all be infeasible: add the study's best (feasible) trial.
    if (stats === undefined || Number(stats.constrained)) {
      const [summary] = (yield* this.summariesFromStats(studyId)).summaries;
      const bestNumber = summary?.bestTrialNumber ?? null;
      if (bestNumber !== null && bestNumber % k !== 0) extra.add(bestNumber);
    }
    const unfinished =
      stats !== undefined && Number(stats.unfinished) === 0
        ? []
        : yield* query<{ number: number }>(
            `SELECT t.number FROM trials t WHERE t.study_id = ? AND t.state IN ('RUNNING', 'WAITING') ORDER BY t.number DESC LIMIT ?`,
            [studyId, unfinishedCap(limit)],
          );
    for (const r of unfinished) if (Number(r.number) % k !== 0) extra.add(Number(r.number));
    if (extra.size === 0) return { total, trials: regular };
    // A study that improves steadily has a record in every bucket: read them in chunks that keep clear of bound-parameter limits.
    const numbers = [...extra];
    const more: TrialRecord[] = [];
    for (let i = 0; i < numbers.length; i += 2000) {
      const chunk = numbers.slice(i, i + 2000);
      const where = `t.study_id = ? AND t.number IN (${placeholders(paddedLength(chunk.length))})`;
      more.push(...(yield* loadTrials(where, [studyId, ...padded(chunk)], objectives)));
    }
    return { total, trials: [...regular, ...more].sort((a, b) => a.number - b.number) };
  }

  async queryTrials(studyId: number, options?: TrialQueryOptions): Promise<TrialPage> {
    const q = checkTrialQuery(options);
    return this.dialect.transaction("snapshot", () => queryTrialPage(studyId, q, this.dialect.syntax.filter));
  }

  async countTrials(studyId: number, states?: readonly TrialState[]): Promise<number> {
    const stateFilter = statesSql(states);
    return this.dialect.transaction("snapshot", () => this.count(studyId, stateFilter));
  }

  private *count(studyId: number, stateFilter: string | null): Sql<number> {
    yield* this.checkStudy(studyId);
    if (stateFilter === null) return 0;
    const row = yield* queryFirst<{ n: number }>(`SELECT COUNT(*) AS n FROM trials t WHERE t.study_id = ?${stateFilter}`, [studyId]);
    return row!.n;
  }

  /* ---- coordination ---- */

  async claimedKeys(studyId: number): Promise<Set<string>> {
    return this.dialect.transaction("snapshot", () => this.readClaims(studyId));
  }

  private *readClaims(studyId: number): Sql<Set<string>> {
    yield* this.checkStudy(studyId);
    // Read-only, the database may hold only Optuna's tables: no claims table, so no claims.
    if (this.dialect.readOnly && !(yield* queryFirst(this.dialect.syntax.tableExists, ["tunebook_claims"]))) return new Set();
    const rows = yield* query<{ key: string }>(`SELECT "key" FROM tunebook_claims WHERE study_id = ?`, [studyId]);
    return new Set(rows.map((r) => r.key));
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    this.checkWritable("recordHeartbeat");
    await this.dialect.transaction("progress", () => this.writeHeartbeat(trialId));
  }

  /** The database's clock, as Optuna uses it: workers on many machines share one time. */
  private *writeHeartbeat(trialId: number): Sql<void> {
    yield* query(
      `INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, ${this.dialect.syntax.clock} FROM trials WHERE trial_id = ? AND state = 'RUNNING'
       ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`,
      [trialId],
    );
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<TrialRecord[]> {
    this.checkWritable("failStaleTrials");
    checkGrace(graceSeconds);
    const grace = { ms: graceSeconds * 1000, startCutoff: Date.now() - graceSeconds * 1000 };
    // Look first in a snapshot, without locks: usually nothing is stale, and other workers keep writing.
    const candidates = await this.dialect.transaction("snapshot", () => this.findStale(studyId, grace));
    if (candidates.length === 0) return [];
    return this.dialect.transaction("write", () => this.failStale(studyId, grace, staleMessage(graceSeconds)));
  }

  private *findStale(studyId: number, grace: Grace): Sql<number[]> {
    yield* this.checkStudy(studyId);
    return yield* staleTrialIds(studyId, grace, this.dialect.syntax.clock, "");
  }

  private *failStale(studyId: number, grace: Grace, message: string): Sql<TrialRecord[]> {
    const stale = yield* staleTrialIds(studyId, grace, this.dialect.syntax.clock, this.dialect.syntax.skipLockedRows("t"));
    for (const trialId of stale) yield* this.finish(trialId, "FAIL", null, message);
    const failed: TrialRecord[] = [];
    for (const trialId of stale) failed.push(...(yield* loadTrials("t.trial_id = ?", [trialId], "unknown")));
    return failed;
  }

  async close(): Promise<void> {
    await this.dialect.close();
  }

  /* ---- steps shared by several methods ---- */

  /** Refuses a write on a read-only storage, before any check or statement. */
  private checkWritable(operation: string): void {
    if (this.dialect.readOnly) {
      throw new StorageError(
        `Cannot ${operation}: the storage ${this.url} was opened read-only (as the tracker UI and \`tunebook studies\`, \`trials\` and \`export\` open it). Open it without readOnly to write to it.`,
      );
    }
  }

  /** Locks the study's row (see `lockStudy`) and returns its number of objectives. */
  private *lockStudyObjectives(studyId: number): Sql<number> {
    const row = yield* queryFirst<{ objectives: number }>(
      `SELECT (SELECT COUNT(*) FROM study_directions d WHERE d.study_id = s.study_id) AS objectives FROM studies s WHERE s.study_id = ?${this.dialect.syntax.lockRows("s")}`,
      [studyId],
    );
    if (!row) throw this.noStudy(studyId);
    return Number(row.objectives);
  }

  /** A study's number of objectives; 0 for no such study. */
  private *countObjectives(studyId: number): Sql<number> {
    const row = yield* queryFirst<{ n: number }>("SELECT COUNT(*) AS n FROM study_directions WHERE study_id = ?", [studyId]);
    return Number(row!.n);
  }

  /** Throws the error for values that are not one per objective of the study. */
  private *refuseValueCount(studyId: number, trialNumber: number | null, values: readonly number[] | null): Sql<never> {
    const rows = yield* query<{ direction: string }>("SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective", [
      studyId,
    ]);
    const number = trialNumber ?? (yield* queryFirst<{ n: number }>("SELECT COUNT(*) AS n FROM trials WHERE study_id = ?", [studyId]))!.n;
    throw valueCountError(
      Number(number),
      values ?? [],
      rows.map((r) => directionFromSql(r.direction)),
    );
  }

  private noStudy(studyId: number): NotFoundError {
    return new NotFoundError(`No study with id ${show(studyId)} in ${this.url}.`);
  }

  private noTrial(trialId: number): NotFoundError {
    return new NotFoundError(`No trial with id ${show(trialId)} in ${this.url}.`);
  }

  private *checkStudy(studyId: number): Sql<void> {
    if (!(yield* queryFirst("SELECT 1 AS found FROM studies WHERE study_id = ?", [studyId]))) throw this.noStudy(studyId);
  }

  /** Locks the study's row against other writers of its trials (not against foreign key checks). */
  private *lockStudy(studyId: number): Sql<void> {
    const row = yield* queryFirst(`SELECT s.study_id FROM studies s WHERE s.study_id = ?${this.dialect.syntax.lockRows("s")}`, [studyId]);
    if (!row) throw this.noStudy(studyId);
  }

  /** Locks the trial's row; throws unless it exists and is not finished. */
  private *lockMutableTrial(trialId: number): Sql<void> {
    const row = yield* queryFirst<TrialStateRow>(
      `SELECT t.number, t.state FROM trials t WHERE t.trial_id = ?${this.dialect.syntax.lockRows("t")}`,
      [trialId],
    );
    this.checkMutable(trialId, row);
  }

  private checkMutable(trialId: number, row: TrialStateRow | undefined): void {
    if (!row) throw this.noTrial(trialId);
    if (FINISHED_STATES.includes(row.state as TrialState)) {
      throw new TrialFinishedError(`Trial ${row.number} is already ${row.state} and cannot change.`);
    }
  }

  private *finish(trialId: number, state: FinishedState, values: EncodedValue[] | null, error: string | undefined): Sql<void> {
    yield* query("UPDATE trials SET state = ?, datetime_complete = ? WHERE trial_id = ?", [state, formatDatetime(new Date()), trialId]);
    if (values) yield* writeValues(trialId, values);
    else yield* query("DELETE FROM trial_values WHERE trial_id = ?", [trialId]);
    if (error !== undefined) yield* query(TRIAL_SYSTEM_ATTRS.upsert, [trialId, SYSTEM_ATTR.failReason, pythonJson(error)]);
  }
}

/**
 * One objective's record buckets (see `sampledNumbers`): the minimum of the signed value over
 * each bucket of `k` numbers, in one grouped scan; then, for each bucket whose minimum beats
 * every bucket before it, the first trial there with that minimum, by an indexed range read.
 * ±Infinity, stored without a value, ranks as the largest finite doubles.
 */
function* recordBuckets(studyId: number, objective: number, direction: string, k: number): Sql<number[]> {
  const signed = direction === "MAXIMIZE" ? "-v.value" : "v.value";
  const best = direction === "MAXIMIZE" ? "INF_POS" : "INF_NEG";
  const key = `CASE WHEN v.value_type = 'FINITE' THEN ${signed} WHEN v.value_type = '${best}' THEN -1.7e308 ELSE 1.7e308 END`;
  const from = `FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = ? WHERE t.study_id = ? AND t.state = 'COMPLETE'`;
  // k inlined (a whole number computed here): grouping by a bound parameter's expression defeats the grouping.
  const bucket = `t.number / ${Math.trunc(k)}`;
  const minima = yield* query<{ b: number; m: number }>(`SELECT ${bucket} AS b, MIN(${key}) AS m ${from} GROUP BY ${bucket} ORDER BY b`, [
    objective,
    studyId,
  ]);
  const numbers: number[] = [];
  let record: number | null = null;
  for (const { b, m } of minima) {
    const start = Number(b) * k;
    const min = Number(m);
    if (record !== null && !(min < record)) continue;
    record = min;
    const first = yield* queryFirst<{ number: number }>(
      `SELECT t.number ${from} AND t.number BETWEEN ? AND ? AND ${key} = ? ORDER BY t.number LIMIT 1`,
      [objective, studyId, start, start + k - 1, min],
    );
    if (first) numbers.push(Number(first.number));
  }
  return numbers;
}

/** A trial's values, one row per objective, as Optuna stores them. */
function* writeValues(trialId: number, values: readonly EncodedValue[] | null): Sql<void> {
  if (!values) return;
  for (const [objective, v] of values.entries()) yield* query(UPSERT_VALUE, [trialId, objective, v.value, v.type]);
}

interface TrialStateRow {
  number: number;
  state: string;
}

function duplicated(name: string): DuplicatedStudyError {
  return new DuplicatedStudyError(
    `A study named ${JSON.stringify(name)} already exists; pass loadIfExists: true to continue it, or choose another name.`,
  );
}
