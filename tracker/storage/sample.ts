import { show, ValueError } from "../../core/errors.js";
import type { StudyDirection, TrialRecord } from "../../core/records.js";

/**
 * Which trials `Storage.sampleTrials` picks, for storages that hold the trials in memory
 * (the SQL storage picks the same ones in SQL): every trial when there are at most `limit`;
 * otherwise every k-th by number, each objective's record trials by buckets of k numbers,
 * and the latest unfinished ones (at most `limit / 10`). `trials` are ordered by number.
 *
 * Record trials: in each bucket, the first COMPLETE trial with the bucket's best value, for
 * the buckets whose best beats every bucket before. So the best trial is in, and the best
 * so far drawn from the sample is exact at every bucket's end (within a bucket, a smaller
 * improvement before the bucket's best may be missed). Records are by value alone, so in a
 * study with constraints they may all be infeasible: `bestNumber`, the study's best trial as
 * its summary gives it (feasible), joins the sample too.
 */
export function sampledNumbers(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  limit: number,
  bestNumber: number | null = null,
): Set<number> {
  const picked = new Set<number>();
  if (trials.length <= limit) {
    for (const t of trials) picked.add(t.number);
    return picked;
  }
  const k = sampleStep(trials.length, limit);
  for (const t of trials) if (t.number % k === 0) picked.add(t.number);
  for (const [objective, direction] of directions.entries()) {
    const buckets = new Map<number, { key: number; number: number }>();
    for (const t of trials) {
      if (t.state !== "COMPLETE" || t.values === null || t.values.length <= objective) continue;
      const key = direction === "maximize" ? -t.values[objective] : t.values[objective];
      const bucket = Math.floor(t.number / k);
      const found = buckets.get(bucket);
      if (!found || key < found.key) buckets.set(bucket, { key, number: t.number });
    }
    let record: number | null = null;
    for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
      const { key, number } = buckets.get(bucket)!;
      if (record !== null && !(key < record)) continue;
      record = key;
      picked.add(number);
    }
  }
  if (bestNumber !== null) picked.add(bestNumber);
  const unfinished = trials.filter((t) => t.state === "RUNNING" || t.state === "WAITING");
  for (const t of unfinished.slice(-unfinishedCap(limit))) picked.add(t.number);
  return picked;
}

/** k of "every k-th trial": the smallest step that keeps that part within `limit`. */
export function sampleStep(total: number, limit: number): number {
  return Math.max(1, Math.ceil(total / limit));
}

/** At most this many unfinished trials join a sample. */
export function unfinishedCap(limit: number): number {
  return Math.floor(limit / 10);
}

/** A sample's limit must be a whole number of trials, at least 10 (room for the unfinished ones). */
export function checkSampleLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 10) {
    throw new ValueError(`sampleTrials: limit must be an integer >= 10, got ${show(limit)}.`);
  }
}
