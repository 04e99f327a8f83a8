import { StorageError } from "../../core/errors.js";
import {
  describeDistribution,
  emptyCounts,
  type JsonValue,
  type StudySummary,
  SYSTEM_ATTR,
  setOwn,
  type TrialRecord,
  type TrialState,
  toExternal,
} from "../../core/records.js";
import { decodeValue, directionFromSql, distributionFromJson, parseDatetime, parsePythonJson } from "./optuna-encoding.js";

/** Rows of Optuna's tables, as the SQL storage reads them, assembled into records. */

/** Stored names are data: a key like "__proto__" becomes an own property, never a prototype. */
export interface TrialRow {
  trial_id: number;
  number: number;
  state: string;
  datetime_start: string | Date | null;
  datetime_complete: string | Date | null;
  /** From `trial_values` (objective 0), joined in. */
  value: number | null;
  value_type: string | null;
}
/** A value of an objective after the first (those come joined into `TrialRow`). */
export interface ObjectiveValueRow {
  trial_id: number;
  objective: number;
  value: number | null;
  value_type: string;
}
export interface ParamRow {
  trial_id: number;
  param_name: string;
  param_value: number;
  distribution_json: string;
}
export interface IntermediateRow {
  trial_id: number;
  step: number;
  intermediate_value: number | null;
  intermediate_value_type: string;
}
/** `system` is 1 for trial_system_attributes, 0 for trial_user_attributes. */
export interface TrialAttrRow {
  trial_id: number;
  system: number;
  key: string;
  value_json: string;
}

export function assembleTrials(
  rows: readonly TrialRow[],
  params: readonly ParamRow[],
  intermediates: readonly IntermediateRow[],
  attrs: readonly TrialAttrRow[],
  otherValues: readonly ObjectiveValueRow[] = [],
): TrialRecord[] {
  const byId = new Map<number, TrialRecord>();
  const trials = rows.map((row) => {
    const first = row.value_type === null ? null : decodeValue(row.value, row.value_type);
    const trial: TrialRecord = {
      trialId: row.trial_id,
      number: row.number,
      state: row.state as TrialState,
      params: {},
      distributions: {},
      value: first,
      values: first === null ? null : [first],
      intermediateValues: {},
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: parseDatetime(row.datetime_start),
      datetimeComplete: parseDatetime(row.datetime_complete),
    };
    byId.set(row.trial_id, trial);
    return trial;
  });
  // Ordered by trial and objective: each extends the values before it, as long as none is missing.
  for (const v of otherValues) {
    const trial = byId.get(v.trial_id);
    if (!trial?.values || trial.values.length !== v.objective) continue;
    trial.values.push(decodeValue(v.value, v.value_type));
    trial.value = null;
  }
  for (const p of params) {
    const trial = byId.get(p.trial_id);
    if (!trial) continue;
    const distribution = distributionFromJson(p.distribution_json);
    setOwn(trial.distributions, p.param_name, distribution);
    try {
      setOwn(trial.params, p.param_name, toExternal(distribution, p.param_value));
    } catch {
      throw new StorageError(
        `Trial ${trial.number}: stored value ${p.param_value} of parameter ${JSON.stringify(p.param_name)} does not fit ${describeDistribution(distribution)}.`,
      );
    }
  }
  for (const iv of intermediates) {
    const trial = byId.get(iv.trial_id);
    if (trial) trial.intermediateValues[iv.step] = decodeValue(iv.intermediate_value, iv.intermediate_value_type);
  }
  for (const a of attrs) {
    const trial = byId.get(a.trial_id);
    if (!trial) continue;
    const value = attachAttr(trial, a);
    if (a.system && a.key === SYSTEM_ATTR.failReason && typeof value === "string") trial.error = value;
  }
  return trials;
}

export interface StudyRowSql {
  study_id: number;
  study_name: string;
}
/** One per objective, in the objectives' order. */
export interface StudyDirectionRow {
  study_id: number;
  direction: string;
}
export interface StudyAttrRow {
  study_id: number;
  system: number;
  key: string;
  value_json: string;
}
export interface StudyCountRow {
  study_id: number;
  state: string;
  n: number;
}
export interface StudyTimesRow {
  study_id: number;
  min_start: string | Date | null;
  min_complete: string | Date | null;
  max_start: string | Date | null;
  max_complete: string | Date | null;
}
export interface StudyBestRow {
  study_id: number;
  number: number;
  value: number | null;
  value_type: string;
  /** The trial's `constraints` system attribute, as stored; null for none. */
  constraints_json: string | null;
}

export function assembleSummaries(
  studies: readonly StudyRowSql[],
  directions: readonly StudyDirectionRow[],
  attrs: readonly StudyAttrRow[],
  counts: readonly StudyCountRow[],
  times: readonly StudyTimesRow[],
  best: readonly StudyBestRow[],
): StudySummary[] {
  const byId = new Map<number, StudySummary>();
  const summaries = studies.map((s) => {
    const summary: StudySummary = {
      studyId: s.study_id,
      name: s.study_name,
      direction: "minimize",
      directions: [],
      experiment: null,
      userAttrs: {},
      systemAttrs: {},
      counts: emptyCounts(),
      bestValue: null,
      bestTrialNumber: null,
      datetimeStart: null,
      lastActivity: null,
    };
    byId.set(s.study_id, summary);
    return summary;
  });
  for (const d of directions) byId.get(d.study_id)?.directions.push(directionFromSql(d.direction));
  for (const s of summaries) {
    // Optuna writes a direction per objective; a study without any minimised, as NOT_SET did.
    if (s.directions.length === 0) s.directions.push("minimize");
    s.direction = s.directions[0];
  }
  for (const a of attrs) {
    const s = byId.get(a.study_id);
    if (!s) continue;
    const value = attachAttr(s, a);
    if (a.system && a.key === SYSTEM_ATTR.experiment) s.experiment = typeof value === "string" ? value : null;
  }
  for (const c of counts) {
    const s = byId.get(c.study_id);
    if (s && c.state in s.counts) s.counts[c.state as TrialState] += Number(c.n);
  }
  for (const t of times) {
    const s = byId.get(t.study_id);
    if (!s) continue;
    const starts = [t.min_start, t.min_complete].map((d) => parseDatetime(d)).filter((d): d is Date => d !== null);
    const lasts = [t.max_start, t.max_complete].map((d) => parseDatetime(d)).filter((d): d is Date => d !== null);
    s.datetimeStart = starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : null;
    s.lastActivity = lasts.length ? new Date(Math.max(...lasts.map((d) => d.getTime()))) : null;
  }
  for (const b of best) {
    const s = byId.get(b.study_id);
    // Several objectives have no single best value (Optuna's best_trials is a Pareto front).
    if (!s || s.directions.length > 1) continue;
    s.bestValue = decodeValue(b.value, b.value_type);
    s.bestTrialNumber = b.number;
  }
  return summaries;
}

/** Stores an attribute row in its study's or trial's attributes; returns the value. */
function attachAttr(
  owner: { userAttrs: Record<string, JsonValue>; systemAttrs: Record<string, JsonValue> },
  row: { system: number; key: string; value_json: string },
): JsonValue {
  const value = parsePythonJson(row.value_json);
  setOwn(row.system ? owner.systemAttrs : owner.userAttrs, row.key, value);
  return value;
}
