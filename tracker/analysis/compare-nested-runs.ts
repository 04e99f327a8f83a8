import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { DistributionJson, ParamValue, StudyDirection, StudySummary } from "../../core/records.js";
import { type NestedRun, nestedRunsOf } from "../../tune/nested-record.js";
import { type NestedStability, nestedStability } from "../../tune/nested-stability.js";
import { type Comparison, compareAlgorithms } from "./compare.js";

/**
 * Nested cross-validation runs compared (typically one run per algorithm of an
 * experiment, read back from their inner studies' records): ranked by their mean outer
 * score, with the paired tests over outer folds between the best run and each other.
 * Comparing studies by their best trials favours the one whose validation folds happened
 * to flatter it most (the winner's curse); an outer fold scored the chosen
 * configuration once, on rows its tuning never saw. The numbers equal `compareNested`'s
 * (tunebook/select) on the same runs.
 */

/** One run, as `nestedRunEntries` builds it from the studies' summaries. */
export interface NestedRunEntry {
  run: NestedRun;
  /** Its inner studies' direction: "maximize" when the scorer's greater values are better. */
  direction: StudyDirection;
  /**
   * Per fold of `run.folds`, the distributions of the chosen trial's parameters: they tell
   * floats (and log scales) apart in the stability. Default: none, every parameter
   * compared for equality.
   */
  distributions?: readonly (Readonly<Record<string, DistributionJson>> | null | undefined)[];
}

/** What one outer fold chose, and how it scored. */
export interface NestedFoldChoice {
  /** 0-based outer fold. */
  fold: number;
  /** The inner study that tuned on it. */
  study: string;
  params: Record<string, ParamValue>;
  /** The chosen trial's number and inner cross-validation score. */
  trialNumber: number;
  innerBest: number;
  /** The chosen configuration's score on the outer test rows. */
  outerScore: number;
  nTrain: number;
  nTest: number;
}

export interface NestedRunStanding {
  /** The run's name (its inner studies are `${name}/outer-1`, ...). */
  name: string;
  experiment: string | null;
  direction: StudyDirection;
  /** The scorer's name, e.g. "accuracy". */
  scoring: string;
  /** The splitters, e.g. { outer: "StratifiedKFold(nSplits=5)", inner: "StratifiedKFold(nSplits=3)" }. */
  cv: { outer: string; inner: string };
  nOuter: number;
  /** Every outer fold has a record. */
  complete: boolean;
  /** Outer scores in fold order, of the folds recorded. */
  outerScores: number[];
  /** Mean and population standard deviation of `outerScores`, as `nestedCrossValidate` gives them. */
  mean: number;
  std: number;
  folds: NestedFoldChoice[];
  /** How much the chosen parameters agree across the outer folds. */
  stability: NestedStability;
  /**
   * Why the run is not ranked with the others (unfinished, other outer folds, another
   * scorer); absent when it is.
   */
  excluded?: string;
}

export interface NestedRunsComparison {
  /** The ranked runs' direction and scorer; null when no run is ranked. */
  direction: StudyDirection | null;
  scoring: string | null;
  /** The ranked runs, best mean outer score first, then the excluded ones in the order given. */
  standings: NestedRunStanding[];
  /** Paired tests of the best run (a) against each other ranked run (b), in ranking order. */
  tests: Comparison[];
  /** Why there are no tests, when there are none. */
  noTestReason?: string;
  /** Mean outer training and test rows: the t-test's correction n_test / n_train. */
  nTrain: number | null;
  nTest: number | null;
}

export interface CompareNestedRunsOptions {
  /** Significance level of the tests. Default 0.05. */
  alpha?: number;
}

const WHERE = "compareNestedRuns";

/**
 * The nested cross-validation runs among these studies (e.g. an experiment's), each with
 * its direction (its first study's), in the order their first study appears.
 */
export function nestedRunEntries(
  summaries: readonly Pick<StudySummary, "name" | "experiment" | "systemAttrs" | "direction">[],
): NestedRunEntry[] {
  const directions = new Map(summaries.map((s) => [s.name, s.direction]));
  return nestedRunsOf(summaries).map((run) => ({ run, direction: directions.get(run.folds[0].study) ?? "maximize" }));
}

/**
 * Ranks nested runs by mean outer score and tests the best against each other over the
 * outer folds: the corrected resampled t-test (n_test / n_train from the records) and the
 * Wilcoxon signed-rank test. Only runs on the same outer folds pair: the complete runs
 * sharing the most common folds, scorer and direction are ranked; the others are listed
 * with the reason.
 */
export function compareNestedRuns(entries: readonly NestedRunEntry[], options: CompareNestedRunsOptions = {}): NestedRunsComparison {
  checkOptionKeys(WHERE, options, ["alpha"]);
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1))
    throw new ValueError(`${WHERE}: alpha must be in (0, 1), got ${show(alpha)}.`);
  const runs = entries.map(standingOf);
  const signatures = entries.map(signatureOf);
  const reference = referenceSignature(runs, signatures);
  for (const [i, run] of runs.entries()) {
    if (reference === null || signatures[i] !== reference.key) run.excluded = whyExcluded(run, entries[i], reference);
  }
  const ranked = runs.filter((r) => r.excluded === undefined);
  const direction = ranked[0]?.direction ?? null;
  const sign = direction === "minimize" ? 1 : -1;
  ranked.sort((a, b) => sign * (a.mean - b.mean)); // stable: ties keep the order given
  const standings = [...ranked, ...runs.filter((r) => r.excluded !== undefined)];
  const base = { direction, scoring: ranked[0]?.scoring ?? null, standings };
  const [best, ...others] = ranked;
  if (best === undefined) return { ...base, tests: [], noTestReason: "no finished run to rank", nTrain: null, nTest: null };
  const k = best.folds.length;
  const nTest = best.folds.reduce((acc, f) => acc + f.nTest, 0) / k;
  // As compareNested: n_train is the rows outside the test fold (exactly nRows − nTest when the folds partition the rows).
  const nTrain = best.folds.reduce((acc, f) => acc + f.nTrain + f.nTest, 0) / k - nTest;
  let noTestReason: string | undefined;
  if (others.length === 0) noTestReason = runs.length > 1 ? "no other run on the same outer folds" : "only one run";
  else if (k < 2) noTestReason = "a paired test needs at least 2 outer folds";
  const tests =
    noTestReason === undefined
      ? others.map((other) =>
          compareAlgorithms(
            { name: best.name, scores: best.outerScores },
            { name: other.name, scores: other.outerScores },
            { direction: best.direction, alpha, nTrain, nTest },
          ),
        )
      : [];
  return { ...base, tests, ...(noTestReason === undefined ? {} : { noTestReason }), nTrain, nTest };
}

function standingOf({ run, direction, distributions }: NestedRunEntry): NestedRunStanding {
  const first = run.folds[0];
  const folds = run.folds.map(
    (f): NestedFoldChoice => ({
      fold: f.outerFold,
      study: f.study,
      params: { ...f.params },
      trialNumber: f.trialNumber,
      innerBest: f.innerBest,
      outerScore: f.outerScore,
      nTrain: f.nTrain,
      nTest: f.nTest,
    }),
  );
  return {
    name: run.run,
    experiment: run.experiment,
    direction,
    scoring: first.scoring,
    cv: { outer: first.outer, inner: first.inner },
    nOuter: run.nOuter,
    complete: run.complete,
    outerScores: [...run.outerScores],
    mean: run.mean,
    std: run.std,
    folds,
    stability: nestedStability(run.folds.map((f, i) => ({ params: f.params, distributions: distributions?.[i] ?? {} }))),
  };
}

/** Runs pair when they agree on all of this: scorer, direction and each outer fold's rows. */
function signatureOf({ run, direction }: NestedRunEntry): string {
  return JSON.stringify([
    run.folds[0].scoring,
    direction,
    run.nOuter,
    run.folds.map((f) => [f.outerFold, f.testFingerprint, f.nTrain, f.nTest]),
  ]);
}

/** The folds most finished runs share (the first such run's on a tie); null when no run finished. */
function referenceSignature(runs: readonly NestedRunStanding[], signatures: readonly string[]): { key: string; index: number } | null {
  let best: { key: string; index: number; count: number } | null = null;
  for (const [index, key] of signatures.entries()) {
    if (!runs[index].complete || signatures.indexOf(key) !== index) continue;
    const count = signatures.filter((s, i) => s === key && runs[i].complete).length;
    if (best === null || count > best.count) best = { key, index, count };
  }
  return best && { key: best.key, index: best.index };
}

function whyExcluded(run: NestedRunStanding, entry: NestedRunEntry, reference: { key: string; index: number } | null): string {
  if (!run.complete) return `unfinished: ${run.folds.length} of ${run.nOuter} outer folds recorded`;
  if (reference === null) return "no finished run to pair with";
  const [scoring, direction, nOuter, folds] = JSON.parse(reference.key) as [
    string,
    StudyDirection,
    number,
    [number, string, number, number][],
  ];
  const fix = "paired tests need the same data and outer splitter";
  if (run.scoring !== scoring || run.direction !== direction)
    return `scored by ${show(run.scoring)} (${run.direction}), the others by ${show(scoring)} (${direction})`;
  if (run.nOuter !== nOuter) return `${run.nOuter} outer folds, the others ${nOuter}: ${fix}`;
  const mine = entry.run.folds;
  const test = mine.findIndex((f, i) => f.testFingerprint !== folds[i][1]);
  if (test >= 0) return `other outer folds (outer fold ${test + 1} tests other rows): ${fix}`;
  const train = Math.max(
    0,
    mine.findIndex((f, i) => f.nTrain !== folds[i][2]),
  );
  return `other outer folds (outer fold ${train + 1} trains on ${mine[train].nTrain} rows, the others on ${folds[train][2]}): ${fix}`;
}
