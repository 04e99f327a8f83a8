import { StorageError, show, ValueError } from "../../core/errors.js";
import type { CategoricalChoice, DistributionJson, JsonValue, StudyDirection } from "../../core/records.js";

/**
 * Optuna's on-disk conventions: how values, datetimes, JSON, distributions and directions
 * look in its tables, so that Optuna reads what tunebook writes and the other way round.
 */

/** Optuna's `TrialValueType` / `TrialIntermediateValueType`: non-finite values are a type with a NULL value. */
export type StoredValueType = "FINITE" | "INF_POS" | "INF_NEG" | "NAN";

/** A value ready for `trial_values` / `trial_intermediate_values`. */
export interface EncodedValue {
  value: number | null;
  type: StoredValueType;
}

export function encodeValue(value: number): EncodedValue {
  if (Number.isNaN(value)) return { value: null, type: "NAN" };
  if (value === Infinity) return { value: null, type: "INF_POS" };
  if (value === -Infinity) return { value: null, type: "INF_NEG" };
  return { value, type: "FINITE" };
}

/** A trial's objective value: Optuna has no NaN type for it, so NaN is refused. */
export function encodeObjectiveValue(value: number): EncodedValue {
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
 * `datetime.now()` writes it.
 */
export function formatDatetime(d: Date): string {
  const [y, mo, day, h, mi, s, ms] = [
    d.getFullYear(),
    d.getMonth() + 1,
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
    d.getMilliseconds(),
  ];
  return `${String(y).padStart(4, "0")}-${pad2(mo)}-${pad2(day)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}.${String(ms).padStart(3, "0")}000`;
}

const DATETIME_TEXT = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?$/;

/**
 * Reads `formatDatetime`'s text (and Optuna's variants: no fraction, `T`, date only); microseconds are cut
 * to milliseconds. `utc` reads it as UTC: heartbeats come from the database's clock, UTC in SQLite.
 */
export function parseDatetime(text: string | Date | null, utc = false): Date | null {
  if (text === null) return null;
  if (text instanceof Date) return new Date(text.getTime());
  const m = DATETIME_TEXT.exec(text);
  if (!m) throw new StorageError(`Cannot read the stored datetime ${JSON.stringify(text)}; expected YYYY-MM-DD HH:MM:SS.ffffff.`);
  const parts = [+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), +`${m[7] ?? "0"}00`.slice(0, 3)] as const;
  const date = utc ? new Date(Date.UTC(...parts)) : new Date(...parts);
  // Date's constructors read the years 0 to 99 as 1900 to 1999; set the year itself.
  if (parts[0] < 100) {
    if (utc) date.setUTCFullYear(parts[0], parts[1], parts[2]);
    else date.setFullYear(parts[0], parts[1], parts[2]);
  }
  return date;
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
