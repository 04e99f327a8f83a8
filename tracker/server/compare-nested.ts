import type { DistributionJson, StudySummary, TrialRecord } from "../../core/records.js";
import { nestedFoldRecord } from "../../tune/nested-record.js";
import { compareNestedRuns, type NestedRunEntry, nestedRunEntries } from "../analysis/compare-nested-runs.js";
import { nestedScoresData, nestedScoresSpec } from "../charts/nested-scores.js";
import type { ServerContext } from "./context.js";
import type { NestedCompareJson } from "./types.js";

/** Nested runs compared at once: at most this many (each is one colour in the chart). */
export const MAX_NESTED_RUNS = 12;

/**
 * The nested cross-validation runs that `selected` studies belong to, each whole (every
 * inner study of the run in its experiment, from `listAll`, default every study), compared by their outer scores;
 * null when no selected study is an inner study of a run.
 */
export async function nestedComparisonJson(
  ctx: ServerContext,
  selected: readonly StudySummary[],
  listAll: () => Promise<readonly StudySummary[]> = () => ctx.listStudies(),
): Promise<NestedCompareJson | null> {
  const keyOf = (experiment: string | null, run: string) => JSON.stringify([experiment, run]);
  const wanted = new Set(
    selected.flatMap((s) => {
      const record = nestedFoldRecord(s.systemAttrs);
      return record ? [keyOf(s.experiment, record.run)] : [];
    }),
  );
  if (wanted.size === 0) return null;
  const all = await listAll();
  const found = nestedRunEntries(all).filter((e) => wanted.has(keyOf(e.run.experiment, e.run.run)));
  const entries = found.slice(0, MAX_NESTED_RUNS);
  const ids = new Map(all.map((s) => [s.name, s.studyId]));
  const withDistributions: NestedRunEntry[] = [];
  for (const entry of entries) {
    const distributions = await Promise.all(entry.run.folds.map((f) => chosenDistributions(ctx, ids.get(f.study), f.trialNumber)));
    withDistributions.push({ ...entry, distributions });
  }
  const { standings, ...comparison } = compareNestedRuns(withDistributions);
  const scorers = new Set(standings.map((s) => s.scoring));
  const [scorer] = scorers;
  // Runs that cannot pair scored other rows: drawn on the same fold axis they would mislead.
  const ranked = standings.filter((s) => s.excluded === undefined);
  const drawn = ranked.length > 0 ? ranked : standings;
  const chart = nestedScoresSpec(nestedScoresData(drawn), {
    runs: entries.map((e) => e.run.run).filter((run) => drawn.some((s) => s.name === run)),
    scoreTitle: scorers.size === 1 ? `${scorer} on the outer test rows` : "Score on the outer test rows",
  });
  return {
    ...comparison,
    rows: standings.map((s) => ({ ...s, folds: s.folds.map((f) => ({ ...f, studyId: ids.get(f.study) ?? null })) })),
    chart,
    ...(found.length > entries.length ? { note: `Showing the first ${entries.length} of ${found.length} nested runs.` } : {}),
  };
}

/** The distributions of the trial an inner study chose: they tell floats and log scales apart in the stability. */
async function chosenDistributions(
  ctx: ServerContext,
  studyId: number | undefined,
  number: number,
): Promise<Record<string, DistributionJson> | null> {
  if (studyId === undefined) return null;
  const { trials } = await ctx.studyById(studyId);
  const trial: TrialRecord | undefined = trials[number]?.number === number ? trials[number] : trials.find((t) => t.number === number);
  return trial?.distributions ?? null;
}
