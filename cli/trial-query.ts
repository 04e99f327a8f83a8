import { show } from "../core/errors.js";
import type { StudyDirection, TrialRecord } from "../core/records.js";
import { filterFields, type TrialOrder } from "../core/trial-filter/ast.js";
import { unknownParamsHint } from "../core/trial-filter/hints.js";
import { parseFilterField } from "../core/trial-filter/parser.js";
import { openStorage } from "../tracker/storage/open.js";
import type { Storage, TrialQueryOptions } from "../tracker/storage/storage.js";
import { UsageError } from "./args.js";

/** How many trials are read to tell a misspelled parameter from one no trial matched. */
const PARAM_SAMPLE = 1000;

/**
 * `--sort`'s value: a field as filters name it, then optionally `asc` (the default) or
 * `desc`, e.g. `value`, `"params.lr desc"`, `"duration desc"`.
 */
export function parseSortOption(text: string): TrialOrder {
  const match = /^(.*?)(?:\s+(asc|desc))?\s*$/i.exec(text)!;
  try {
    return { field: parseFilterField(match[1]), direction: (match[2]?.toLowerCase() ?? "asc") as "asc" | "desc" };
  } catch (error) {
    throw new UsageError(
      `--sort takes a field and optionally asc or desc, e.g. "value" or "params.lr desc"; ${show(text)} is not one: ${(error as Error).message}`,
    );
  }
}

/**
 * One page of a study's trials, as `Storage.queryTrials` answers, read from the storage at
 * `url`; with a `hint` when nothing matched because the filter or sort names a parameter
 * the study's trials do not have (most often a typo, which the filter language itself cannot see).
 */
export async function readTrialPage(
  url: string | undefined,
  study: string,
  query: TrialQueryOptions,
): Promise<{ trials: TrialRecord[]; total: number; directions: StudyDirection[]; hint: string | null }> {
  const storage = await openStorage(url, { readOnly: true, mustExist: true });
  try {
    const studyId = await storage.getStudyIdByName(study);
    const { directions } = await storage.getStudy(studyId);
    const page = await storage.queryTrials(studyId, query);
    const hint = page.total === 0 ? await missingParamsHint(storage, studyId, query) : null;
    return { ...page, directions, hint };
  } finally {
    await storage.close();
  }
}

/** `unknownParamsHint` for the parameters the query reads, against those of (a sample of) the study's trials. */
async function missingParamsHint(storage: Storage, studyId: number, query: TrialQueryOptions): Promise<string | null> {
  const fields = [...(query.where ? filterFields(query.where) : []), ...(query.orderBy ? [query.orderBy.field] : [])];
  if (!fields.some((f) => f.kind === "param")) return null;
  const { trials, total } = await storage.sampleTrials(studyId, PARAM_SAMPLE);
  if (trials.length === 0) return null;
  const known = [...new Set(trials.flatMap((t) => Object.keys(t.distributions)))];
  return unknownParamsHint(fields, known, trials.length < total ? `none of ${trials.length} trials sampled from ${total}` : "no trial");
}
