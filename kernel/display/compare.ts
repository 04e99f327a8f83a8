import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { StudyDirection, StudySummary, TrialRecord } from "../../core/records.js";
import type { Comparison } from "../../tracker/analysis/compare.js";
import type { MultiObjectiveComparison } from "../../tracker/analysis/compare-multi-objective.js";
import { compareStudies as analyseStudies } from "../../tracker/analysis/compare-studies.js";
import { objectiveTitles } from "../../tracker/analysis/objectives.js";
import { compareHistoryData, compareHistorySpec } from "../../tracker/charts/compare-history.js";
import { foldScoresData, foldScoresSpec } from "../../tracker/charts/fold-scores.js";
import { compareHypervolumeData, compareHypervolumeSpec } from "../../tracker/charts/hypervolume-history.js";
import { multiObjectiveComparisonCharts } from "../../tracker/charts/study-charts.js";
import { Study } from "../../tune/study.js";
import type { MimeBundle } from "./output.js";
import { escapeHtml, formatValue, tableBundle } from "./table.js";
import { vegaLiteBundle } from "./vega.js";

/** One study of a comparison, through its best trial. */
export interface ComparedStudy {
  name: string;
  direction: StudyDirection;
  bestValue: number | null;
  bestTrial: number | null;
  /** COMPLETE trials. */
  complete: number;
  /** The best trial's fold scores (user attribute `fold_scores`, as crossValidate records them); empty if none. */
  foldScores: number[];
  mean: number | null;
  std: number | null;
}

/**
 * Several studies side by side (typically one per algorithm of an experiment): the
 * best trial of each, their best-so-far curves, their fold scores, and the paired
 * tests between the two best. `show` draws it.
 */
export class StudyComparison {
  constructor(
    readonly direction: StudyDirection | "mixed",
    readonly studies: ComparedStudy[],
    /** Corrected t-test and Wilcoxon between the two studies with the best values, when both have fold scores. */
    readonly test: Comparison | null,
    /** Why there is no test, when there is none. */
    readonly note: string | null,
    /** @internal The trials behind the best-so-far chart. */
    readonly trials: ReadonlyMap<string, readonly TrialRecord[]>,
    /**
     * Studies with the same several objectives: compared by hypervolume against one
     * reference point, with the paired tests between algorithms repeated over seeds; null otherwise.
     */
    readonly multiObjective: (MultiObjectiveComparison & { objectives: string[] }) | null = null,
  ) {}
}

export interface CompareStudiesOptions {
  /** Significance level of the tests (default 0.05). */
  alpha?: number;
}

/** Compares studies (an array, or `studies` as `%%tune` cells leave them). */
export async function compareStudies(
  studies: readonly Study[] | Readonly<Record<string, Study>>,
  options: CompareStudiesOptions = {},
): Promise<StudyComparison> {
  checkOptionKeys("compareStudies", options, ["alpha"]);
  const list = Array.isArray(studies) ? [...(studies as readonly Study[])] : Object.values(studies as Record<string, Study>);
  if (list.length < 2 || list.some((s) => !(s instanceof Study))) {
    throw new ValueError(
      `compareStudies: expected at least two studies, got ${list.length === 0 ? "none" : list.every((s) => s instanceof Study) ? "one" : show(list)}.`,
    );
  }
  const alpha = options.alpha ?? 0.05;
  const trials = new Map<string, TrialRecord[]>();
  const entries = await Promise.all(
    list.map(async (study) => {
      const [summary, all] = await Promise.all([study.summary(), study.trials()]);
      trials.set(study.name, all);
      return { summary, trials: all };
    }),
  );
  const mixed = new Set(entries.map((e) => e.summary.directions.join(","))).size > 1;
  if (entries.some((e) => e.summary.directions.length > 1)) return compareMultiObjective(entries, trials, mixed, alpha);
  // The tracker's comparison ranks the studies and picks the two to test; shown here in the order given.
  const analysis = analyseStudies(entries, { alpha });
  const standings = new Map(analysis.standings.map((s) => [s.name, s]));
  const rows = entries.map(({ summary }): ComparedStudy => {
    const s = standings.get(summary.name)!;
    return {
      name: s.name,
      direction: s.direction,
      bestValue: s.bestValue,
      bestTrial: s.bestTrialNumber,
      complete: s.nComplete,
      foldScores: s.foldScores ?? [],
      mean: s.foldSummary?.mean ?? null,
      std: s.foldSummary?.std ?? null,
    };
  });
  if (mixed) {
    return new StudyComparison(
      "mixed",
      rows,
      null,
      "The studies do not share a direction (some minimise, some maximise): nothing is ranked or tested.",
      trials,
    );
  }
  const note = analysis.noTestReason ? `No paired test: ${analysis.noTestReason}.` : null;
  return new StudyComparison(rows[0].direction, rows, analysis.test, note, trials);
}

function compareMultiObjective(
  entries: readonly { summary: StudySummary; trials: readonly TrialRecord[] }[],
  trials: ReadonlyMap<string, readonly TrialRecord[]>,
  mixed: boolean,
  alpha: number,
): StudyComparison {
  const rows = entries.map(
    ({ summary }): ComparedStudy => ({
      name: summary.name,
      direction: summary.direction,
      bestValue: null,
      bestTrial: null,
      complete: summary.counts.COMPLETE,
      foldScores: [],
      mean: null,
      std: null,
    }),
  );
  if (mixed) {
    return new StudyComparison(
      "mixed",
      rows,
      null,
      "The studies do not have the same objectives and directions: nothing is ranked or tested.",
      trials,
    );
  }
  const { comparison } = multiObjectiveComparisonCharts(entries, { alpha });
  const note = comparison.noTestReason ? `No paired test: ${comparison.noTestReason}.` : null;
  return new StudyComparison(entries[0].summary.direction, rows, comparison.test, note, trials, {
    ...comparison,
    objectives: objectiveTitles(entries[0].summary),
  });
}

/**
 * What `show(comparison)` displays: the table, the test's verdict, the two charts; for
 * studies with several objectives, the hypervolumes, the verdict and the hypervolume curves.
 */
export async function comparisonBundles(comparison: StudyComparison): Promise<MimeBundle[]> {
  if (comparison.multiObjective) return multiObjectiveBundles(comparison, comparison.multiObjective);
  const rows = comparison.studies.map((s) => [s.name, s.bestValue, s.bestTrial, s.complete, s.mean, s.std, s.foldScores.length || null]);
  const table = tableBundle(["study", "best value", "best trial", "complete", "fold mean", "fold std", "folds"], rows, {
    caption: `${comparison.studies.length} studies${comparison.direction === "mixed" ? "" : ` (${comparison.direction})`}`,
  });
  const verdict = testText(comparison);
  const bundles: MimeBundle[] = [table, { "text/plain": verdict, "text/html": `<p>${escapeHtml(verdict).replace(/\n/g, "<br>")}</p>` }];
  if (comparison.direction !== "mixed") {
    const curves = comparison.studies.map((s) => ({ name: s.name, direction: s.direction, trials: comparison.trials.get(s.name) ?? [] }));
    bundles.push(await vegaLiteBundle(compareHistorySpec(compareHistoryData(curves), { studies: comparison.studies.map((s) => s.name) })));
  }
  const withScores = comparison.studies.filter((s) => s.foldScores.length > 0);
  if (withScores.length > 0)
    bundles.push(
      await vegaLiteBundle(
        // Every study named, scores or not, so each keeps the colour it has on the other charts.
        foldScoresSpec(foldScoresData(withScores.map((s) => ({ name: s.name, scores: s.foldScores }))), {
          studies: comparison.studies.map((s) => s.name),
        }),
      ),
    );
  return bundles;
}

async function multiObjectiveBundles(
  comparison: StudyComparison,
  mo: MultiObjectiveComparison & { objectives: string[] },
): Promise<MimeBundle[]> {
  const point = mo.referencePointOwnUnits
    ? `reference point ${mo.objectives.map((t, i) => `${t} ${formatValue(mo.referencePointOwnUnits![i])}`).join(", ")}`
    : "no feasible completed trial yet";
  const table = tableBundle(
    ["study", "hypervolume", "front", "complete", "feasible", "repeat of", "seed"],
    mo.standings.map((s) => [s.name, s.hypervolume, s.frontSize, s.nComplete, s.nFeasible, s.group, s.seed]),
    { caption: `${mo.standings.length} studies by hypervolume (${point}: defaultReferencePoint over the union of their feasible fronts)` },
  );
  const groups = mo.groups.map(
    (g) => `${g.name}: ${formatValue(g.summary.mean)} ± ${formatValue(g.summary.std)} over seeds ${g.seeds.join(", ")}`,
  );
  const verdict = [...groups, testText(comparison, "hypervolume")].join("\n");
  return [
    table,
    { "text/plain": verdict, "text/html": `<p>${escapeHtml(verdict).replace(/\n/g, "<br>")}</p>` },
    await vegaLiteBundle(compareHypervolumeSpec(compareHypervolumeData(mo.histories), { studies: comparison.studies.map((s) => s.name) })),
  ];
}

function testText(comparison: StudyComparison, scores: "fold" | "hypervolume" = "fold"): string {
  const { test } = comparison;
  if (!test) return comparison.note ?? "No paired test.";
  const f = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));
  const p = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));
  const both = test.significant.tTest && test.significant.wilcoxon;
  const neither = !test.significant.tTest && !test.significant.wilcoxon;
  const verdict = both
    ? `${test.better} is better, significantly (α = ${test.alpha}) by both tests.`
    : neither
      ? `The difference is not significant at α = ${test.alpha}: on these ${scores === "fold" ? "folds" : "seeds"} the two are not told apart.`
      : `The tests disagree at α = ${test.alpha} (t-test ${test.significant.tTest ? "significant" : "not"}, Wilcoxon ${test.significant.wilcoxon ? "significant" : "not"}).`;
  const over = scores === "fold" ? `${test.a.n} folds` : `${test.a.n} seeds (final hypervolumes)`;
  const tTest = scores === "fold" ? "Corrected resampled t-test" : "Paired t-test (independent runs: no overlap correction)";
  return (
    `${test.a.name} vs ${test.b.name} (the two best), on ${over}: ` +
    `${f(test.a.mean)} ± ${f(test.a.std)} vs ${f(test.b.mean)} ± ${f(test.b.std)}.\n` +
    `${tTest}: t = ${f(test.tTest.t)}, p = ${p(test.tTest.pValue)}; Wilcoxon signed-rank: p = ${p(test.wilcoxon.pValue)}.\n` +
    verdict
  );
}
