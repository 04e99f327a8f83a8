import { show } from "../core/errors.js";
import { printable } from "../core/terminal.js";
import { type DiffInput, diffStudies, type StudyDiff } from "../tracker/analysis/study-diff.js";
import { EXACT_TRIALS } from "../tracker/server/study-cache.js";
import { openStorage } from "../tracker/storage/open.js";
import type { Storage } from "../tracker/storage/storage.js";
import { formatTable } from "./table.js";

/** What `tunebook diff` read: the difference, and per study whether its search space came from a sample of its trials. */
export interface DiffRead {
  diff: StudyDiff;
  /** One line per study read from a sample, e.g. `study "big": search space from 20412 of 250000 trials`. */
  sampled: string[];
}

/** The difference between the studies named `a` and `b`, read from a read-only opening of `url`. */
export async function readDiff(url: string | undefined, a: string, b: string): Promise<DiffRead> {
  const storage = await openStorage(url, { readOnly: true, mustExist: true });
  try {
    const sampled: string[] = [];
    const inputA = await readStudy(storage, a, sampled);
    const inputB = await readStudy(storage, b, sampled);
    return { diff: diffStudies(inputA, inputB), sampled };
  } finally {
    await storage.close();
  }
}

/** Reads a study whole up to the tracker UI's bound, and a larger one as the storage's sample. */
async function readStudy(storage: Storage, name: string, sampled: string[]): Promise<DiffInput> {
  const studyId = await storage.getStudyIdByName(name);
  const summary = await storage.getStudy(studyId);
  const { trials, total } = await storage.sampleTrials(studyId, EXACT_TRIALS);
  if (trials.length < total) sampled.push(`study ${show(name)}: search space from ${trials.length} of ${total} trials (a sample)`);
  return { summary, trials };
}

/**
 * The difference as text: the headlines, then each section under its name, either
 * "identical" or a table of the fields that differ (field | A | B); "not recorded" where a
 * study has no value ("(absent)" for a parameter outside its search space).
 */
export function diffText(diff: StudyDiff): string {
  const out = [printable(`A: ${diff.a.name} (study ${diff.a.id})`), printable(`B: ${diff.b.name} (study ${diff.b.id})`)];
  if (diff.headlines.length > 0) out.push("", ...diff.headlines.map((h) => printable(`* ${h}`)));
  out.push("");
  for (const section of diff.sections) {
    if (section.identical) {
      out.push(`${section.name}: identical`);
      continue;
    }
    // A parameter one study does not have is absent from its space; anything else was not recorded.
    const missing = section.name === "search space" ? "(absent)" : "(not recorded)";
    const rows = section.rows.map((r) => [r.field, r.a ?? missing, r.b ?? missing]);
    if (out.at(-1) !== "") out.push("");
    out.push(`${section.name}:`, formatTable(["field", "A", "B"], rows), "");
  }
  return out.join("\n").trimEnd();
}
