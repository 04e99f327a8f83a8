import { show, ValueError } from "./errors.js";

/**
 * What a study can hold: the bounds of Optuna's schema (tracker/storage/schema.ts), stated
 * once. Every storage checks them the same way, so memory, SQLite and PostgreSQL accept and
 * refuse the same values; the engine checks them where a value is given, so a bad one fails
 * at its call, not when the trial's queued writes land at its end.
 */

/**
 * Study names, parameter names and attribute keys are VARCHAR(512): at most 512 characters,
 * counted as code points (as PostgreSQL counts them; SQLite does not enforce the length).
 */
export const MAX_NAME_LENGTH = 512;
/** Steps of intermediate values are INTEGER: 32-bit signed. */
export const MIN_STEP = -(2 ** 31);
export const MAX_STEP = 2 ** 31 - 1;
/** Datetimes as Optuna reads them back, with Python's `datetime`: years 1 to 9999. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/**
 * Why `name` cannot be stored as a name or key, or null if it can. A NUL cannot be stored by
 * PostgreSQL; a lone surrogate is not Unicode text and would be stored altered (as U+FFFD).
 */
export function nameProblem(name: unknown): string | null {
  if (typeof name !== "string") return `must be a string, got ${show(name)}`;
  const problem = storedTextProblem(name);
  if (problem) return `${shortShow(name)} ${problem}`;
  if (name.length > MAX_NAME_LENGTH) {
    const characters = codePointCount(name);
    if (characters > MAX_NAME_LENGTH)
      return `${shortShow(name)} is ${characters} characters long; at most ${MAX_NAME_LENGTH} fit in the database. Use a shorter one`;
  }
  return null;
}

/** Throws a `ValueError` naming `what` and the value unless `name` can be stored as a name or key. */
export function checkName(what: string, name: unknown): asserts name is string {
  const problem = nameProblem(name);
  if (problem) throw new ValueError(`${what} ${problem}.`);
}

/** Throws a `ValueError` naming `what` and the value unless `step` is a 32-bit integer. */
export function checkStep(what: string, step: unknown): asserts step is number {
  if (!(Number.isInteger(step) && (step as number) >= MIN_STEP && (step as number) <= MAX_STEP)) {
    throw new ValueError(
      `${what} must be an integer from ${MIN_STEP} to ${MAX_STEP} (the database stores steps as 32-bit integers), got ${show(step)}.`,
    );
  }
}

/** Throws a `ValueError` naming `what` and the value unless `date` is a valid `Date` in the years Optuna reads. */
export function checkDatetime(what: string, date: unknown): asserts date is Date {
  const year = date instanceof Date ? date.getFullYear() : Number.NaN;
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
    const shown = !(date instanceof Date) ? show(date) : Number.isNaN(date.getTime()) ? "Invalid Date" : date.toISOString();
    throw new ValueError(`${what} must be a Date in the years ${MIN_YEAR} to ${MAX_YEAR}, got ${shown}.`);
  }
}

/** A long name, cut for a message: its start is enough to recognise it. */
function shortShow(name: string): string {
  return name.length > 60 ? `${show(name.slice(0, 57))}...` : show(name);
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Why a database cannot store `text` as it is, or null: "contains a NUL character ...",
 * which PostgreSQL refuses, or "contains a lone surrogate ...", which is not Unicode text
 * and would be stored altered (as U+FFFD).
 */
export function storedTextProblem(text: string): string | null {
  const nul = text.indexOf("\u0000");
  if (nul >= 0) return `contains a NUL character ("\\u0000", at index ${nul}), which databases cannot store; remove it`;
  const surrogate = loneSurrogateIndex(text);
  if (surrogate >= 0)
    return `contains a lone surrogate (half of a UTF-16 pair, at index ${surrogate}), which is not Unicode text and cannot be stored; fix the string`;
  return null;
}

/** Index of the first unpaired surrogate in `text`, or -1. */
function loneSurrogateIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return i;
  }
  return -1;
}
