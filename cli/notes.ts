import { NotFoundError, show } from "../core/errors.js";
import { printable, printableLines } from "../core/terminal.js";
import { openStorage } from "../tracker/storage/open.js";
import type { Storage } from "../tracker/storage/storage.js";
import { changeStudyTags, noteOf, setStudyNote, setTrialNote, tagsOf } from "../tune/notes.js";

/**
 * `tunebook note` and `tunebook tag`. The study (and trial) are found through a read-only
 * opening first, so a command refused for an unknown name leaves the database as it was;
 * the storage is opened for writing only to write.
 */

/** Where the note goes: a study, or one of its trials by number. */
export interface NoteTarget {
  storage: string | undefined;
  study: string;
  /** A trial's number in the study; undefined for the study's own note. */
  trial?: number;
}

/** Prints the note (nothing on stdout when there is none), or sets it to `markdown` (`""` clears it). */
export async function noteCommand(target: NoteTarget, markdown: string | undefined): Promise<void> {
  const found = await reading(target.storage, async (storage) => {
    const studyId = await storage.getStudyIdByName(target.study);
    if (target.trial === undefined) return { studyId, trialId: null, note: noteOf((await storage.getStudy(studyId)).systemAttrs) };
    const trial = await storage.getTrialByNumber(studyId, target.trial);
    if (trial === null) throw noSuchTrial(target.study, target.trial, await storage.countTrials(studyId));
    return { studyId, trialId: trial.trialId, note: noteOf(trial.systemAttrs) };
  });
  const what = target.trial === undefined ? `Study ${show(target.study)}` : `Trial ${target.trial} of ${show(target.study)}`;
  if (markdown === undefined) {
    if (found.note === null) console.error(printable(`${what} has no note; set one with tunebook note <study> "text".`));
    else process.stdout.write(`${printableLines(found.note)}${found.note.endsWith("\n") ? "" : "\n"}`);
    return;
  }
  await writing(target.storage, (storage) =>
    found.trialId === null
      ? setStudyNote(storage, found.studyId, markdown, "note")
      : setTrialNote(storage, found.trialId, markdown, "note"),
  );
  console.log(printable(markdown === "" ? `${what}: note cleared.` : `${what}: note set (${markdown.length} characters).`));
}

/** Prints a study's tags, one a line, after adding `add` or removing `remove` (both checked by the caller). */
export async function tagCommand(
  url: string | undefined,
  study: string,
  change: { add?: readonly string[]; remove?: readonly string[] },
): Promise<void> {
  const found = await reading(url, async (storage) => {
    const studyId = await storage.getStudyIdByName(study);
    return { studyId, tags: tagsOf((await storage.getStudy(studyId)).systemAttrs) };
  });
  const changing = (change.add?.length ?? 0) + (change.remove?.length ?? 0) > 0;
  const tags = changing ? await writing(url, (storage) => changeStudyTags(storage, found.studyId, change, "tag")) : found.tags;
  if (tags.length === 0) console.error(printable(`Study ${show(study)} has no tags; add some with tunebook tag <study> <tag>...`));
  for (const tag of tags) console.log(printable(tag));
}

async function reading<T>(url: string | undefined, read: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(url, { readOnly: true, mustExist: true });
  try {
    return await read(storage);
  } finally {
    await storage.close();
  }
}

async function writing<T>(url: string | undefined, write: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(url, { mustExist: true });
  try {
    return await write(storage);
  } finally {
    await storage.close();
  }
}

function noSuchTrial(study: string, number: number, count: number): NotFoundError {
  const numbers = count === 0 ? "it has no trials yet" : `its trials are numbered 0 to ${count - 1}`;
  return new NotFoundError(`study ${show(study)} has no trial number ${number}; ${numbers} (tunebook trials lists them).`);
}
