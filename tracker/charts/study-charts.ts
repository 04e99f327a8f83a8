import type { StudySummary, TrialRecord } from "../../core/records.js";
import { compareStudies, type StudiesComparison, type StudyEntry } from "../analysis/compare-studies.js";
import type { ImportanceResult } from "../analysis/importance.js";
import type { ChartSpec } from "./common.js";
import { compareHistoryData, compareHistorySpec } from "./compare-history.js";
import { contourData, contourSpec } from "./contour.js";
import { edfData, edfSpec } from "./edf.js";
import { foldScoresData, foldScoresSpec } from "./fold-scores.js";
import { historyData, historySpec } from "./history.js";
import { importanceData, importanceSpec } from "./importance.js";
import { intermediateData, intermediateSpec } from "./intermediate-values.js";
import { parallelData, parallelSpec } from "./parallel-coordinates.js";
import { sliceData, sliceSpec } from "./slice.js";
import { type StudyImportance, studyImportance } from "./study-importance.js";
import { timelineData, timelineSpec } from "./timeline.js";

/**
 * The one study-chart composer: every chart of a study, built the same way for the
 * tracker UI (which caps points and memoises) and the notebook's `show` (which wraps
 * the spec into a display bundle). Each builder is a chart file's data function
 * followed by its spec function.
 */

/** Names of a study's charts. */
export type StudyChartKind = "history" | "slice" | "parallel" | "contour" | "intermediate" | "edf" | "timeline" | "importance";

export interface StudyChartsOptions {
  /** Cap on the points a chart ships (default: each data function's own, 5,000). */
  maxPoints?: number;
  /** End of trials still running, in the timeline (default: now). */
  now?: Date;
  /** Axis title of the objective (default "Objective value"). */
  valueTitle?: string;
  /**
   * The study's importance, asked for only by the charts that use it (default:
   * `studyImportance(trials)`, computed at most once per call). Pass one to share or
   * memoise it.
   */
  importance?: () => StudyImportance;
}

/** One chart of a study. */
export interface StudyChart {
  spec: ChartSpec;
  /** A caveat to show with the chart (e.g. what importance was fitted on, or why there is none). */
  note?: string;
}

interface StudyChartInput extends Omit<StudyChartsOptions, "importance"> {
  study: StudySummary;
  trials: readonly TrialRecord[];
  importance: () => StudyImportance;
}

type StudyChartBuilder = (input: StudyChartInput) => StudyChart;

/** One builder per chart kind: a kind without one does not type-check. */
const STUDY_CHART_BUILDERS: Record<StudyChartKind, StudyChartBuilder> = {
  history: ({ study: { name, direction }, trials, maxPoints, valueTitle }) => ({
    spec: historySpec(historyData(trials, direction, { maxPoints }), { direction, study: name, valueTitle }),
  }),
  slice: ({ study, trials, maxPoints, valueTitle }) => ({
    spec: sliceSpec(sliceData(trials, { maxPoints }), { study: study.name, valueTitle }),
  }),
  parallel: ({ study: { name, direction }, trials, maxPoints, valueTitle }) => ({
    spec: parallelSpec(parallelData(trials, { direction, valueTitle, maxPoints }), { study: name, direction }),
  }),
  contour: ({ study: { name, direction }, trials, maxPoints, valueTitle, importance }) => {
    // The two most important parameters when importance ranks two; else the first two by name.
    const { result } = importance();
    const ranked = result && result.importances.length >= 2 ? { importance: result } : {};
    return { spec: contourSpec(contourData(trials, { direction, maxPoints, ...ranked }), { study: name, direction, valueTitle }) };
  },
  intermediate: ({ study, trials, maxPoints }) => ({
    spec: intermediateSpec(intermediateData(trials, { maxPoints }), { study: study.name }),
  }),
  edf: ({ study, trials, maxPoints, valueTitle }) => ({
    spec: edfSpec(edfData([{ name: study.name, trials }], { maxPoints }), { valueTitle }),
  }),
  timeline: ({ study, trials, maxPoints, now }) => ({
    spec: timelineSpec(timelineData(trials, { now, maxPoints }), { study: study.name }),
  }),
  importance: ({ study, importance }) => {
    const { result, note } = importance();
    const spec = importanceSpec(result ? importanceData(result) : [], { study: study.name, method: result?.method });
    return note ? { spec, note } : { spec };
  },
};

/** Every chart kind, in the builders' order. */
export const STUDY_CHART_KINDS = Object.keys(STUDY_CHART_BUILDERS) as readonly StudyChartKind[];

/** True for the name of a study chart. */
export function isStudyChartKind(name: string): name is StudyChartKind {
  return Object.hasOwn(STUDY_CHART_BUILDERS, name);
}

function input(study: StudySummary, trials: readonly TrialRecord[], options: StudyChartsOptions): StudyChartInput {
  let computed: StudyImportance | undefined;
  const importance = options.importance ?? (() => (computed ??= studyImportance(trials)));
  return { ...options, study, trials, importance };
}

/** One chart of a study. */
export function studyChart(
  kind: StudyChartKind,
  study: StudySummary,
  trials: readonly TrialRecord[],
  options: StudyChartsOptions = {},
): StudyChart {
  return STUDY_CHART_BUILDERS[kind](input(study, trials, options));
}

export type StudyCharts = Record<StudyChartKind, ChartSpec> & {
  /** Caveats to show with the charts, by kind (see `StudyChart.note`). */
  notes: Partial<Record<StudyChartKind, string>>;
  /** The importance the contour and the bar chart were drawn from (null when it could not be assessed). */
  importanceResult: ImportanceResult | null;
};

/** Every chart of a study page in one call, importance computed once. */
export function studyCharts(study: StudySummary, trials: readonly TrialRecord[], options: StudyChartsOptions = {}): StudyCharts {
  const shared = input(study, trials, options);
  const specs = {} as Record<StudyChartKind, ChartSpec>;
  const notes: Partial<Record<StudyChartKind, string>> = {};
  for (const kind of STUDY_CHART_KINDS) {
    const { spec, note } = STUDY_CHART_BUILDERS[kind](shared);
    specs[kind] = spec;
    if (note) notes[kind] = note;
  }
  return { ...specs, notes, importanceResult: shared.importance().result };
}

export interface ComparisonCharts {
  /** Best-so-far curves overlaid. */
  bestSoFar: ChartSpec;
  /** Fold scores of each study's best trial. */
  foldScores: ChartSpec;
  /** Standings and the paired tests between the best two. */
  comparison: StudiesComparison;
}

export function comparisonCharts(entries: readonly StudyEntry[], options: { valueTitle?: string } = {}): ComparisonCharts {
  const comparison = compareStudies(entries);
  const withFolds = comparison.standings.filter((s) => s.foldScores !== null).map((s) => ({ name: s.name, scores: s.foldScores! }));
  return {
    bestSoFar: compareHistorySpec(
      compareHistoryData(entries.map((e) => ({ name: e.summary.name, direction: e.summary.direction, trials: e.trials }))),
      { valueTitle: options.valueTitle, studies: comparison.standings.map((s) => s.name) },
    ),
    foldScores: foldScoresSpec(foldScoresData(withFolds)),
    comparison,
  };
}
