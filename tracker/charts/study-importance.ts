import { ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import { type ImportanceResult, paramImportances } from "../analysis/importance.js";
import { completedWithValue, downsample } from "../analysis/summaries.js";

/**
 * The importance a study's charts are drawn from, the same in the tracker UI and the
 * notebook: which trials fANOVA is fitted on, the caveats shown with it, and what a
 * user sees when it cannot be assessed.
 */

/**
 * fANOVA is fitted on at most this many COMPLETE trials, evenly spread over the study
 * (deterministic). At 1,000 trials the ranking is settled and the shares move by less
 * than their spread over the trees, in about a fifth of a second; twice as many
 * trials take twice as long, which a page recomputing it while a study runs feels.
 */
export const IMPORTANCE_MAX_TRIALS = 1000;

/** An importance with the caveats to show beside it, or the reason there is none. */
export type StudyImportance =
  | {
      result: ImportanceResult;
      /** What the importance was fitted on, parameters left out, or a warning; absent when there is nothing to say. */
      note?: string;
    }
  | {
      result: null;
      /** Why importance could not be assessed (too few COMPLETE trials), as the user should read it. */
      note: string;
    };

/**
 * fANOVA importance of a study's trials, sampled down to `IMPORTANCE_MAX_TRIALS`.
 * Too few trials is the one failure a user can cause: it comes back as a note, not
 * an exception; anything else is a bug and is thrown.
 */
export function studyImportance(trials: readonly TrialRecord[]): StudyImportance {
  const complete = completedWithValue(trials);
  const sample = downsample(complete, IMPORTANCE_MAX_TRIALS);
  let result: ImportanceResult;
  try {
    result = paramImportances(sample);
  } catch (error) {
    if (error instanceof ValueError) return { result: null, note: error.message };
    throw error;
  }
  const notes = [
    sample.length < complete.length ? `Fitted on ${sample.length} of the ${complete.length} completed trials, evenly spread.` : "",
    result.skipped.length ? `Not assessed: ${result.skipped.map((p) => `${p.name} (${p.reason})`).join("; ")}.` : "",
    result.warning ?? "",
  ].filter(Boolean);
  return notes.length ? { result, note: notes.join(" ") } : { result };
}
