import { NotFoundError, StorageError, show, ValueError } from "../../core/errors.js";
import {
  type CategoricalChoice,
  type DistributionJson,
  describeDistribution,
  emptyCounts,
  isFinished,
  type JsonValue,
  type ParamValue,
  type StudyDirection,
  type StudySummary,
  SYSTEM_ATTR,
  sameDistribution,
  setOwn,
  TRIAL_STATES,
  type TrialRecord,
  type TrialState,
  toExternal,
  toInternal,
} from "../../core/records.js";
import type { CreateTrialOptions, TrialTemplate } from "./storage.js";

/** Helpers every storage implementation shares. */

export function cloneTrial(t: TrialRecord): TrialRecord {
  return {
    ...t,
    params: { ...t.params },
    distributions: structuredClone(t.distributions),
    intermediateValues: { ...t.intermediateValues },
    userAttrs: structuredClone(t.userAttrs),
    systemAttrs: structuredClone(t.systemAttrs),
    datetimeStart: t.datetimeStart && new Date(t.datetimeStart),
    datetimeComplete: t.datetimeComplete && new Date(t.datetimeComplete),
  };
}

export function notFoundStudy(name: string, known: string[]): NotFoundError {
  const list = known.length
    ? ` Known studies: ${known
        .slice(0, 20)
        .map((n) => JSON.stringify(n))
        .join(", ")}${known.length > 20 ? ", ..." : ""}.`
    : " The storage has no studies yet.";
  return new NotFoundError(`No study named ${JSON.stringify(name)}.${list}`);
}

/** A parameter set twice in one trial must keep its distribution. */
export function checkParamAgainst(trial: TrialRecord, name: string, distribution: DistributionJson): void {
  const existing = Object.hasOwn(trial.distributions, name) ? trial.distributions[name] : undefined;
  if (existing && !sameDistribution(existing, distribution)) {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)} of trial ${trial.number} was already set with ${describeDistribution(existing)}; cannot set it again with ${describeDistribution(distribution)}.`,
    );
  }
}

/** The same check as `checkParamAgainst`, for storages that hold only the stored distribution. */
export function checkParamDistribution(
  trialNumber: number,
  name: string,
  existing: DistributionJson | undefined,
  distribution: DistributionJson,
): void {
  if (existing && !sameDistribution(existing, distribution)) {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)} of trial ${trialNumber} was already set with ${describeDistribution(existing)}; cannot set it again with ${describeDistribution(distribution)}.`,
    );
  }
}

/** A parameter's internal (stored) form; a value outside its distribution is a `ValueError`. */
export function internalParam(name: string, value: ParamValue, distribution: DistributionJson): number {
  if (distribution.name !== "CategoricalDistribution" && typeof value !== "number") {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)} must be a number for ${describeDistribution(distribution)}, got ${show(value)}.`,
    );
  }
  try {
    return toInternal(distribution, value);
  } catch {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)}: ${show(value)} is not one of the choices of ${describeDistribution(distribution)}.`,
    );
  }
}

/* ---- Optuna's on-disk conventions, shared by the SQL storages ---- */

/** Optuna's `TrialValueType` / `TrialIntermediateValueType`: non-finite values are a type with a NULL value. */
export type StoredValueType = "FINITE" | "INF_POS" | "INF_NEG" | "NAN";

export function encodeValue(value: number): { value: number | null; type: StoredValueType } {
  if (Number.isNaN(value)) return { value: null, type: "NAN" };
  if (value === Infinity) return { value: null, type: "INF_POS" };
  if (value === -Infinity) return { value: null, type: "INF_NEG" };
  return { value, type: "FINITE" };
}

/** A trial's objective value: Optuna has no NaN type for it, so NaN is refused. */
export function encodeObjectiveValue(value: number): { value: number | null; type: StoredValueType } {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValueError(
      `A trial's value ${show(value)} cannot be stored: it must be a number or ±Infinity (finish the trial as FAIL instead).`,
    );
  }
  return encodeValue(value);
}

export function decodeValue(value: number | null, type: string): number {
  if (type === "INF_POS") return Infinity;
  if (type === "INF_NEG") return -Infinity;
  if (type === "NAN" || value === null) return NaN;
  return value;
}

const pad2 = (n: number): string => (n < 10 ? "0" : "") + n;

/**
 * Optuna's datetime text (`YYYY-MM-DD HH:MM:SS.ffffff`), in naive local time as Python's
 * `datetime.now()` writes it; `utc` for heartbeats, which Optuna takes from SQLite's UTC clock.
 */
export function formatDatetime(d: Date, utc = false): string {
  const [y, mo, day, h, mi, s, ms] = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  return `${String(y).padStart(4, "0")}-${pad2(mo)}-${pad2(day)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}.${String(ms).padStart(3, "0")}000`;
}

const DATETIME_TEXT = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?$/;

/** Reads `formatDatetime`'s text (and Optuna's variants: no fraction, `T`, date only); microseconds are cut to milliseconds. */
export function parseDatetime(text: string | Date | null, utc = false): Date | null {
  if (text === null) return null;
  if (text instanceof Date) return new Date(text.getTime());
  const m = DATETIME_TEXT.exec(text);
  if (!m) throw new StorageError(`Cannot read the stored datetime ${JSON.stringify(text)}; expected YYYY-MM-DD HH:MM:SS.ffffff.`);
  const parts = [+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), +`${m[7] ?? "0"}00`.slice(0, 3)] as const;
  return utc ? new Date(Date.UTC(...parts)) : new Date(...parts);
}

/**
 * JSON text as Python's `json.dumps` writes it (", " and ": " separators, non-ASCII
 * escaped, NaN and ±Infinity as bare words), so what tunebook stores reads like
 * what Optuna stores.
 */
export function pythonJson(value: JsonValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (Number.isNaN(value)) return "NaN";
      if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    default:
      if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
      return (
        "{" +
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
          .join(", ") +
        "}"
      );
  }
}

const NON_FINITE_MARK = "\u0000tunebook:";

/** Parses JSON text, also Python's (bare NaN, Infinity, -Infinity outside strings). */
export function parsePythonJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const word = ["NaN", "Infinity", "-Infinity"].find((w) => text.startsWith(w, i));
    if (word) {
      out += JSON.stringify(NON_FINITE_MARK + word);
      i += word.length - 1;
    } else {
      out += c;
    }
  }
  return JSON.parse(out, (_key, v: unknown) =>
    typeof v === "string" && v.startsWith(NON_FINITE_MARK) ? Number(v.slice(NON_FINITE_MARK.length)) : v,
  ) as JsonValue;
}

/** Python prints integral floats with ".0"; Optuna's FloatDistribution JSON looks like that. */
function pythonFloat(x: number): string {
  const text = pythonJson(x);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/**
 * Optuna's `distribution_to_json` text, key order and spacing included, e.g.
 * `{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}`.
 */
export function distributionToJson(d: DistributionJson): string {
  switch (d.name) {
    case "FloatDistribution": {
      const a = d.attributes;
      const step = a.step == null ? "null" : pythonFloat(a.step);
      return `{"name": "FloatDistribution", "attributes": {"step": ${step}, "low": ${pythonFloat(a.low)}, "high": ${pythonFloat(a.high)}, "log": ${a.log ? "true" : "false"}}}`;
    }
    case "IntDistribution": {
      const a = d.attributes;
      return `{"name": "IntDistribution", "attributes": {"log": ${a.log ? "true" : "false"}, "step": ${pythonJson(a.step)}, "low": ${pythonJson(a.low)}, "high": ${pythonJson(a.high)}}}`;
    }
    case "CategoricalDistribution":
      return `{"name": "CategoricalDistribution", "attributes": {"choices": ${pythonJson(d.attributes.choices)}}}`;
  }
}

const parsedDistributions = new Map<string, DistributionJson>();

/** Reads Optuna's distribution JSON, including the names Optuna used before 3.0. */
export function distributionFromJson(text: string): DistributionJson {
  let d = parsedDistributions.get(text);
  if (!d) {
    d = normaliseDistribution(text);
    if (parsedDistributions.size >= 4096) parsedDistributions.clear();
    parsedDistributions.set(text, d);
  }
  return cloneDistribution(d);
}

export function cloneDistribution(d: DistributionJson): DistributionJson {
  if (d.name === "CategoricalDistribution") return { name: d.name, attributes: { choices: d.attributes.choices.slice() } };
  return { name: d.name, attributes: { ...d.attributes } } as DistributionJson;
}

function normaliseDistribution(text: string): DistributionJson {
  const json = parsePythonJson(text) as { name?: unknown; attributes?: Record<string, JsonValue> } | null;
  const a = json?.attributes ?? {};
  const num = (v: JsonValue | undefined): number => (typeof v === "number" ? v : NaN);
  const float = (log: boolean, step: JsonValue | undefined): DistributionJson => ({
    name: "FloatDistribution",
    attributes: { low: num(a.low), high: num(a.high), log, step: step == null ? null : num(step) },
  });
  const int = (log: boolean): DistributionJson => ({
    name: "IntDistribution",
    attributes: { low: num(a.low), high: num(a.high), log, step: a.step == null ? 1 : num(a.step) },
  });
  switch (json?.name) {
    case "FloatDistribution":
      return float(a.log === true, a.step);
    case "IntDistribution":
      return int(a.log === true);
    case "CategoricalDistribution":
      return {
        name: "CategoricalDistribution",
        attributes: { choices: Array.isArray(a.choices) ? (a.choices as CategoricalChoice[]) : [] },
      };
    // Optuna before 3.0
    case "UniformDistribution":
      return float(false, null);
    case "LogUniformDistribution":
      return float(true, null);
    case "DiscreteUniformDistribution":
      return float(false, a.q);
    case "IntUniformDistribution":
      return int(false);
    case "IntLogUniformDistribution":
      return int(true);
    default:
      throw new StorageError(`Cannot read the stored distribution ${text}: unknown distribution name ${show(json?.name)}.`);
  }
}

/* ---- Rows of Optuna's tables, turned into records ---- */

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
): TrialRecord[] {
  const byId = new Map<number, TrialRecord>();
  const trials = rows.map((row) => {
    const trial: TrialRecord = {
      trialId: row.trial_id,
      number: row.number,
      state: row.state as TrialState,
      params: {},
      distributions: {},
      value: row.value_type === null ? null : decodeValue(row.value, row.value_type),
      intermediateValues: {},
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: parseDatetime(row.datetime_start),
      datetimeComplete: parseDatetime(row.datetime_complete),
    };
    byId.set(row.trial_id, trial);
    return trial;
  });
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
    const value = parsePythonJson(a.value_json);
    setOwn(a.system ? trial.systemAttrs : trial.userAttrs, a.key, value);
    if (a.system && a.key === SYSTEM_ATTR.failReason && typeof value === "string") trial.error = value;
  }
  return trials;
}

export interface StudyRowSql {
  study_id: number;
  study_name: string;
  direction: string | null;
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
}

/** Optuna stores MINIMIZE, MAXIMIZE (and NOT_SET in old studies, which minimised). */
export function directionFromSql(direction: string | null): StudyDirection {
  return direction === "MAXIMIZE" ? "maximize" : "minimize";
}

export function directionToSql(direction: StudyDirection): "MINIMIZE" | "MAXIMIZE" {
  if (direction !== "minimize" && direction !== "maximize") {
    throw new ValueError(`direction must be "minimize" or "maximize", got ${show(direction)}.`);
  }
  return direction === "maximize" ? "MAXIMIZE" : "MINIMIZE";
}

export function assembleSummaries(
  studies: readonly StudyRowSql[],
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
      direction: directionFromSql(s.direction),
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
  for (const a of attrs) {
    const s = byId.get(a.study_id);
    if (!s) continue;
    const value = parsePythonJson(a.value_json);
    setOwn(a.system ? s.systemAttrs : s.userAttrs, a.key, value);
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
    if (!s) continue;
    s.bestValue = decodeValue(b.value, b.value_type);
    s.bestTrialNumber = b.number;
  }
  return summaries;
}

/**
 * Orders a study's COMPLETE trials best first in SQL: ±Infinity rank by their type, then the
 * value signed by the direction, then the trial number (the first of equal values wins).
 * Expects the aliases `v` (trial_values), `d` (study_directions) and `t` (trials).
 */
export const BEST_ORDER_SQL = `
  CASE WHEN v.value_type = 'FINITE' THEN 1
       WHEN (v.value_type = 'INF_NEG') = (d.direction = 'MAXIMIZE') THEN 2 ELSE 0 END,
  CASE WHEN d.direction = 'MAXIMIZE' THEN -v.value ELSE v.value END,
  t.number`;

/* ---- Validation and preparation shared by the SQL storages ---- */

/** Optuna's columns for names and keys are VARCHAR(512). */
export function checkName(what: string, name: string): void {
  if (typeof name !== "string") throw new ValueError(`${what} must be a string, got ${show(name)}.`);
  if (name.length > 512) throw new ValueError(`${what} ${show(name)} is ${name.length} characters long; at most 512 fit in the database.`);
}

export function checkTrialState(state: string, allowed: readonly TrialState[]): void {
  if (!allowed.includes(state as TrialState)) {
    throw new ValueError(`Unknown trial state ${show(state)}; expected one of ${allowed.join(", ")}.`);
  }
}

export function checkStep(step: number): void {
  if (!Number.isSafeInteger(step)) throw new ValueError(`An intermediate value's step must be an integer, got ${show(step)}.`);
}

/** A value ready for `trial_values` / `trial_intermediate_values`. */
export interface EncodedValue {
  value: number | null;
  type: StoredValueType;
}

/** A `TrialTemplate` checked and turned into rows, plus the record it becomes (without id and number). */
export interface PreparedTrial {
  state: TrialState;
  datetimeStart: string | null;
  datetimeComplete: string | null;
  params: { name: string; internal: number; distributionJson: string }[];
  value: EncodedValue | null;
  intermediates: { step: number; value: EncodedValue }[];
  userAttrs: { key: string; json: string }[];
  systemAttrs: { key: string; json: string }[];
  record: Omit<TrialRecord, "trialId" | "number">;
}

/** Validates a template before any write, with the defaults `InMemoryStorage` uses. */
export function prepareTrial(template: TrialTemplate, now: Date): PreparedTrial {
  const state = template.state ?? "RUNNING";
  checkTrialState(state, TRIAL_STATES);
  const params: PreparedTrial["params"] = [];
  const externalParams: Record<string, ParamValue> = {};
  const distributions: Record<string, DistributionJson> = {};
  for (const [name, value] of Object.entries(template.params ?? {})) {
    checkName("A parameter name", name);
    const distribution = template.distributions?.[name];
    if (!distribution) {
      throw new ValueError(
        `Parameter ${JSON.stringify(name)} has no distribution in the trial template; pass distributions[${JSON.stringify(name)}] too.`,
      );
    }
    params.push({ name, internal: internalParam(name, value, distribution), distributionJson: distributionToJson(distribution) });
    setOwn(externalParams, name, value);
    setOwn(distributions, name, cloneDistribution(distribution));
  }
  const value = template.value == null ? null : encodeObjectiveValue(template.value);
  const intermediateValues: Record<number, number> = {};
  const intermediates: PreparedTrial["intermediates"] = [];
  for (const [key, v] of Object.entries(template.intermediateValues ?? {})) {
    const step = Number(key);
    checkStep(step);
    intermediates.push({ step, value: encodeValue(v) });
    intermediateValues[step] = v;
  }
  const userAttrs = structuredClone(template.userAttrs ?? {});
  const systemAttrs = structuredClone(template.systemAttrs ?? {});
  if (template.error !== undefined) systemAttrs[SYSTEM_ATTR.failReason] = template.error;
  const attrRows = (attrs: Record<string, JsonValue>) =>
    Object.entries(attrs).map(([key, v]) => {
      checkName("An attribute key", key);
      return { key, json: pythonJson(v) };
    });
  const datetimeStart = template.datetimeStart !== undefined ? template.datetimeStart : state === "WAITING" ? null : now;
  const datetimeComplete = template.datetimeComplete !== undefined ? template.datetimeComplete : isFinished(state) ? now : null;
  return {
    state,
    datetimeStart: datetimeStart && formatDatetime(datetimeStart),
    datetimeComplete: datetimeComplete && formatDatetime(datetimeComplete),
    params,
    value,
    intermediates,
    userAttrs: attrRows(userAttrs),
    systemAttrs: attrRows(systemAttrs),
    record: {
      state,
      params: externalParams,
      distributions,
      value: template.value ?? null,
      intermediateValues,
      userAttrs,
      systemAttrs,
      datetimeStart: datetimeStart && new Date(datetimeStart),
      datetimeComplete: datetimeComplete && new Date(datetimeComplete),
      ...(template.error !== undefined ? { error: template.error } : {}),
    },
  };
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

/** `createTrial`'s options, checked before any write. */
export function checkCreateOptions(options: CreateTrialOptions): CreateTrialOptions {
  const { maxTrials, claimOneOf } = options;
  if (maxTrials !== undefined && !(typeof maxTrials === "number" && maxTrials >= 0)) {
    throw new ValueError(`maxTrials must be a number >= 0, got ${show(maxTrials)}.`);
  }
  if (claimOneOf !== undefined) {
    if (!Array.isArray(claimOneOf)) throw new ValueError(`claimOneOf must be an array of keys, got ${show(claimOneOf)}.`);
    for (const key of claimOneOf) checkName("A claim key", key);
  }
  return options;
}
