import type { JsonValue } from "../core/records.js";

/**
 * What a study records about its locked test set, in a study system attribute so that
 * every process, the tracker UI, `show(study)` and `tunebook studies` read the same
 * count: the test rows' size and fingerprint, and every look at them.
 */

/** Study system attribute holding the `LockboxRecord`. */
export const LOCKBOX_ATTR = "tunebook:lockbox";

/** One look at the test rows through `study.evaluateTest`. */
export interface LockboxLook {
  /** When the rows were handed over (ISO time). */
  at: string;
  /** The trial whose parameters were scored. */
  trialNumber: number;
  /** That trial's value in the study (its validation score); null with several objectives. */
  validation: number | null;
  /** The test score; null while the look runs, or when it failed (see `error`). */
  test: number | null;
  /** Why the look gave no score (the callback threw, or returned no finite score). */
  error?: string;
  /** What the callback returned besides `score`. */
  details?: Record<string, JsonValue>;
}

export interface LockboxRecord {
  /** Rows in the test set. */
  testRows: number;
  /** Hash of the test rows: another split of the data has another fingerprint. */
  fingerprint: string;
  /** Every look, oldest first; each counts, whether it gave a score or not. */
  looks: LockboxLook[];
}

/** The record in a study's system attributes, or null when it has none (or one that cannot be read). */
export function lockboxRecord(systemAttrs: Readonly<Record<string, JsonValue>>): LockboxRecord | null {
  const raw = Object.hasOwn(systemAttrs, LOCKBOX_ATTR) ? systemAttrs[LOCKBOX_ATTR] : null;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const { testRows, fingerprint, looks } = raw;
  if (typeof testRows !== "number" || typeof fingerprint !== "string" || !Array.isArray(looks)) return null;
  return { testRows, fingerprint, looks: looks.flatMap(readLook) };
}

function readLook(entry: JsonValue): LockboxLook[] {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return [];
  const { at, trialNumber, validation, test, error, details } = entry;
  if (typeof at !== "string" || typeof trialNumber !== "number") return [];
  const look: LockboxLook = {
    at,
    trialNumber,
    validation: typeof validation === "number" ? validation : null,
    test: typeof test === "number" ? test : null,
  };
  if (typeof error === "string") look.error = error;
  if (details !== null && typeof details === "object" && !Array.isArray(details)) look.details = details;
  return [look];
}

/** "used 2 times", "used 1 time", "not used yet". */
export function testSetUses(record: LockboxRecord): string {
  const n = record.looks.length;
  return n === 0 ? "not used yet" : `used ${n} time${n === 1 ? "" : "s"}`;
}

/** "used 2 times (30 rows; last: test 0.91 for trial 12, validation 0.95)", for the tables that show a study. */
export function describeTestSet(record: LockboxRecord, format: (value: number) => string = String): string {
  const last = record.looks.at(-1);
  const parts = [`${record.testRows} rows`];
  if (last) {
    const validation = last.validation === null ? "" : `, validation ${format(last.validation)}`;
    parts.push(
      last.test === null
        ? `last look failed (trial ${last.trialNumber})`
        : `last: test ${format(last.test)} for trial ${last.trialNumber}${validation}`,
    );
  }
  return `${testSetUses(record)} (${parts.join("; ")})`;
}
