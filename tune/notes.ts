/**
 * Notes and tags: what the user concluded about a study or a trial (Markdown), and labels to
 * find studies by. Stored as system attributes (`tunebook:note`, `tunebook:tags`), which
 * Optuna keeps and ignores.
 */
import { show, ValueError } from "../core/errors.js";
import { storedTextProblem } from "../core/limits.js";
import { type JsonValue, SYSTEM_ATTR } from "../core/records.js";
import type { Storage } from "../tracker/storage/storage.js";

/** A note holds at most this many characters (a long write-up belongs in a file the note links to). */
export const MAX_NOTE_LENGTH = 100_000;
/** A tag holds at most this many characters. */
export const MAX_TAG_LENGTH = 64;
/** A study holds at most this many tags. */
export const MAX_TAGS = 100;

/** `markdown` checked as a note: a string of at most `MAX_NOTE_LENGTH` characters that databases can store. */
export function checkNote(where: string, markdown: unknown): string {
  if (typeof markdown !== "string") throw new ValueError(`${where}: the note must be a Markdown string, got ${show(markdown)}.`);
  if (markdown.length > MAX_NOTE_LENGTH) {
    throw new ValueError(
      `${where}: the note is ${markdown.length} characters long; at most ${MAX_NOTE_LENGTH} are kept. Shorten it, or link to a longer write-up.`,
    );
  }
  const problem = storedTextProblem(markdown);
  if (problem) throw new ValueError(`${where}: the note ${problem}.`);
  return markdown;
}

/**
 * `tags` checked: each a non-empty string of at most `MAX_TAG_LENGTH` characters, without
 * commas (a list of tags is written with them) and without spaces at its ends, trimmed.
 */
export function checkTags(where: string, tags: readonly unknown[]): string[] {
  const checked: string[] = [];
  for (const tag of tags) {
    if (typeof tag !== "string") throw new ValueError(`${where}: a tag must be a string, got ${show(tag)}.`);
    const trimmed = tag.trim();
    if (trimmed === "") throw new ValueError(`${where}: a tag must not be empty or only spaces, got ${show(tag)}.`);
    if (trimmed.includes(",")) {
      throw new ValueError(
        `${where}: the tag ${show(tag)} contains a comma, which separates tags; give them one by one, e.g. ${show(trimmed.split(",")[0].trim())}.`,
      );
    }
    if (/\s/.test(trimmed))
      throw new ValueError(
        `${where}: the tag ${show(tag)} contains a space; join its words with "-", e.g. ${show(trimmed.replace(/\s+/g, "-"))}.`,
      );
    if (trimmed.length > MAX_TAG_LENGTH)
      throw new ValueError(
        `${where}: the tag ${show(tag.slice(0, 20))}... is ${trimmed.length} characters long; at most ${MAX_TAG_LENGTH} fit.`,
      );
    const problem = storedTextProblem(trimmed);
    if (problem) throw new ValueError(`${where}: the tag ${show(tag)} ${problem}.`);
    checked.push(trimmed);
  }
  return checked;
}

/** The tags in system attributes: the sorted, distinct strings stored (an empty list when none). */
export function tagsOf(systemAttrs: Record<string, JsonValue>): string[] {
  const value = Object.hasOwn(systemAttrs, SYSTEM_ATTR.tags) ? systemAttrs[SYSTEM_ATTR.tags] : undefined;
  return Array.isArray(value) ? normaliseTags(value.filter((t): t is string => typeof t === "string")) : [];
}

/** The note in system attributes, or null when there is none (an empty note is none). */
export function noteOf(systemAttrs: Record<string, JsonValue>): string | null {
  const value = Object.hasOwn(systemAttrs, SYSTEM_ATTR.note) ? systemAttrs[SYSTEM_ATTR.note] : undefined;
  return typeof value === "string" && value !== "" ? value : null;
}

/** Sorted (by code unit, the same everywhere) and distinct. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Adds or removes a study's tags; returns them as stored. */
export async function changeStudyTags(
  storage: Storage,
  studyId: number,
  change: { add?: readonly string[]; remove?: readonly string[] },
  where: string,
): Promise<string[]> {
  const current = tagsOf((await storage.getStudy(studyId)).systemAttrs);
  const removed = new Set(change.remove ?? []);
  const next = normaliseTags([...current, ...(change.add ?? [])].filter((t) => !removed.has(t)));
  if (next.length > MAX_TAGS)
    throw new ValueError(`${where}: a study holds at most ${MAX_TAGS} tags, and this would make ${next.length}; remove some first.`);
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.tags, next);
  return next;
}

/** Sets a study's note (`""` clears it). */
export async function setStudyNote(storage: Storage, studyId: number, markdown: string, where: string): Promise<void> {
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.note, checkNote(where, markdown));
}

/** Sets a trial's note by its storage id (`""` clears it); finished trials take notes too. */
export async function setTrialNote(storage: Storage, trialId: number, markdown: string, where: string): Promise<void> {
  await storage.setTrialSystemAttr(trialId, SYSTEM_ATTR.note, checkNote(where, markdown));
}
