import { ValueError } from "../../core/errors.js";
import type { StudyDirection, StudySummary, TrialRecord } from "../../core/records.js";
import { type Comparison, type ComparisonOptions, compareAlgorithms, foldScores, type ScoreSummary, summarizeScores } from "./compare.js";
import { bestSoFar } from "./summaries.js";

/**
 * Several studies side by side (typically one per algorithm in an experiment): each
 * one's best trial and its fold scores, ranked, and the paired tests between the best
 * two — what a "compare" page or a notebook comparison shows.
 */

export interface StudyEntry {
  summary: StudySummary;
  trials: readonly TrialRecord[];
}

export interface StudyStanding {
  name: string;
  direction: StudyDirection;
  bestValue: number | null;
  bestTrialNumber: number | null;
  /** COMPLETE trials with a value. */
  nComplete: number;
  /** Fold scores of the best trial, when its objective stored them. */
  foldScores: number[] | null;
  /** Mean ± std of those fold scores. */
  foldSummary: ScoreSummary | null;
}

export interface StudiesComparison {
  /** Best first (by the first study's direction); studies without a completed trial last. */
  standings: StudyStanding[];
  /** Paired tests between the best two, when both best trials have fold scores over the same number of folds. */
  test: Comparison | null;
  /** Why there is no test, when there is none. */
  noTestReason?: string;
}

export function compareStudies(entries: readonly StudyEntry[], options: Omit<ComparisonOptions, "direction"> = {}): StudiesComparison {
  if (entries.length === 0) throw new ValueError("compareStudies: give at least one study.");
  const direction = entries[0].summary.direction;
  const standings = entries.map(({ summary, trials }): StudyStanding => {
    const series = bestSoFar(trials, summary.direction);
    const bestPoint = series.filter((p) => p.improved).pop();
    const best = bestPoint === undefined ? undefined : trials.find((t) => t.number === bestPoint.number);
    const scores = best ? foldScores(best) : null;
    return {
      name: summary.name,
      direction: summary.direction,
      bestValue: bestPoint?.value ?? null,
      bestTrialNumber: bestPoint?.number ?? null,
      nComplete: series.length,
      foldScores: scores,
      foldSummary: scores ? summarizeScores(scores) : null,
    };
  });
  const sign = direction === "minimize" ? 1 : -1;
  standings.sort((a, b) => {
    if (a.bestValue === null || b.bestValue === null) return (a.bestValue === null ? 1 : 0) - (b.bestValue === null ? 1 : 0);
    return sign * (a.bestValue - b.bestValue);
  });
  const [first, second] = standings;
  let noTestReason: string | undefined;
  if (second === undefined) noTestReason = "only one study";
  else if (first.foldScores === null || second.foldScores === null)
    noTestReason = "the best trials recorded no fold scores (crossValidate with a trial records them, as userAttrs.fold_scores)";
  else if (first.foldScores.length !== second.foldScores.length)
    noTestReason = `the best trials have ${first.foldScores.length} and ${second.foldScores.length} fold scores; a paired test needs the same folds`;
  else if (first.foldScores.length < 2) noTestReason = "a paired test needs at least 2 folds";
  const test =
    noTestReason === undefined
      ? compareAlgorithms(
          { name: first.name, scores: first.foldScores! },
          { name: second.name, scores: second.foldScores! },
          { ...options, direction },
        )
      : null;
  return noTestReason === undefined ? { standings, test } : { standings, test, noTestReason };
}
