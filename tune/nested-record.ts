import type { JsonValue, ParamValue, StudySummary } from "../core/records.js";

/**
 * What nested cross-validation (`nestedCrossValidate` in tunebook/select) records on each
 * inner study, in a study system attribute, so that the outer scores of a run can be
 * rebuilt from storage alone: the run's name, which outer fold the study tuned on, the
 * parameters it chose and their score on the outer test rows.
 */

/** Study system attribute holding the `NestedFoldRecord` of an inner study. */
export const NESTED_ATTR = "tunebook:nested";

/** One outer fold of a nested cross-validation run, as its inner study records it. */
export interface NestedFoldRecord {
  /** The run's name; its inner studies are `${run}/outer-1`, `${run}/outer-2`, ... */
  run: string;
  /** 0-based index of the outer fold this study tuned on. */
  outerFold: number;
  /** Number of outer folds in the run. */
  nOuter: number;
  /** Score of the chosen parameters, refitted on the outer training rows, on the outer test rows. */
  outerScore: number;
  /** The parameters the inner study chose (its best trial's). */
  params: Record<string, ParamValue>;
  /** The chosen trial's inner cross-validation score (the study's best value). */
  innerBest: number;
  /** The chosen trial's number in the inner study. */
  trialNumber: number;
  /** Outer training and test rows. */
  nTrain: number;
  nTest: number;
  /** The scorer's name, e.g. "accuracy"; the study's direction says which way is better. */
  scoring: string;
  /** The splitters, e.g. "StratifiedKFold(nSplits=5)". */
  outer: string;
  inner: string;
  /** A hash of the outer test rows' positions: runs with the same fingerprints had the same outer folds. */
  testFingerprint: string;
}

/** A nested cross-validation run as storage holds it: its inner studies' records, by outer fold. */
export interface NestedRun {
  run: string;
  /** The experiment its inner studies belong to (null when they have none). */
  experiment: string | null;
  nOuter: number;
  /** The records found, in outer-fold order (a fold appears once; the first study found wins). */
  folds: (NestedFoldRecord & { study: string })[];
  /** Every outer fold has a record: the run finished. */
  complete: boolean;
  /** Outer scores in fold order, of the folds found. */
  outerScores: number[];
  /** Mean and (population) standard deviation of `outerScores`. */
  mean: number;
  std: number;
}

/** The record in a study's system attributes, or null when it has none (or one that cannot be read). */
export function nestedFoldRecord(systemAttrs: Readonly<Record<string, JsonValue>>): NestedFoldRecord | null {
  const raw = Object.hasOwn(systemAttrs, NESTED_ATTR) ? systemAttrs[NESTED_ATTR] : null;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const { run, outerFold, nOuter, outerScore, params, innerBest, trialNumber, nTrain, nTest, scoring, outer, inner, testFingerprint } = raw;
  const counts = [outerFold, nOuter, trialNumber, nTrain, nTest];
  if (typeof run !== "string" || !counts.every((c) => typeof c === "number" && Number.isInteger(c) && c >= 0)) return null;
  if ((outerFold as number) >= (nOuter as number) || typeof outerScore !== "number" || typeof innerBest !== "number") return null;
  if (params === null || typeof params !== "object" || Array.isArray(params)) return null;
  if (!Object.values(params).every((v) => v === null || ["string", "number", "boolean"].includes(typeof v))) return null;
  if (typeof scoring !== "string" || typeof outer !== "string" || typeof inner !== "string" || typeof testFingerprint !== "string") {
    return null;
  }
  return {
    run,
    outerFold: outerFold as number,
    nOuter: nOuter as number,
    outerScore,
    params: params as Record<string, ParamValue>,
    innerBest,
    trialNumber: trialNumber as number,
    nTrain: nTrain as number,
    nTest: nTest as number,
    scoring,
    outer,
    inner,
    testFingerprint,
  };
}

/**
 * The nested cross-validation runs among these studies (e.g. `storage.listStudies()`),
 * one per run name and experiment, in the order their first study appears; studies
 * without a record are skipped.
 */
export function nestedRunsOf(summaries: readonly Pick<StudySummary, "name" | "experiment" | "systemAttrs">[]): NestedRun[] {
  const runs = new Map<
    string,
    { run: string; experiment: string | null; nOuter: number; byFold: Map<number, NestedRun["folds"][number]> }
  >();
  for (const summary of summaries) {
    const record = nestedFoldRecord(summary.systemAttrs);
    if (!record) continue;
    const key = JSON.stringify([summary.experiment, record.run]);
    let run = runs.get(key);
    if (!run) {
      run = { run: record.run, experiment: summary.experiment, nOuter: record.nOuter, byFold: new Map() };
      runs.set(key, run);
    }
    run.nOuter = Math.max(run.nOuter, record.nOuter);
    if (!run.byFold.has(record.outerFold)) run.byFold.set(record.outerFold, { ...record, study: summary.name });
  }
  return [...runs.values()].map(({ run, experiment, nOuter, byFold }) => {
    const folds = [...byFold.values()].sort((a, b) => a.outerFold - b.outerFold);
    const outerScores = folds.map((f) => f.outerScore);
    const n = outerScores.length; // at least 1: a run exists because a record names it
    const mean = outerScores.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(outerScores.reduce((acc, s) => acc + (s - mean) ** 2, 0) / n);
    return { run, experiment, nOuter, folds, complete: folds.length === nOuter, outerScores, mean, std };
  });
}
