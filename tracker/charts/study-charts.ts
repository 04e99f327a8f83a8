import { TunebookError } from "../../core/errors.js";
import type { StudySummary, TrialRecord } from "../../core/records.js";
import { compareStudies, type StudiesComparison, type StudyEntry } from "../analysis/compare-studies.js";
import { type ImportanceResult, paramImportances } from "../analysis/importance.js";
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
import { timelineData, timelineSpec } from "./timeline.js";

/** Every chart of a study page, and of a comparison of studies, in one call. */

export interface StudyChartsOptions {
  /** A precomputed importance (default: computed here with fANOVA; null to skip it). */
  importance?: ImportanceResult | null;
  /** End of trials still running (default: now). */
  now?: Date;
  /** Axis title of the objective (default "Objective value"). */
  valueTitle?: string;
}

export interface StudyCharts {
  history: ChartSpec;
  slice: ChartSpec;
  parallel: ChartSpec;
  contour: ChartSpec;
  intermediate: ChartSpec;
  edf: ChartSpec;
  timeline: ChartSpec;
  importance: ChartSpec;
  /** The importance the contour and the bar chart were drawn from (null when it could not be assessed). */
  importanceResult: ImportanceResult | null;
}

function importanceOf(trials: readonly TrialRecord[]): ImportanceResult | null {
  try {
    return paramImportances(trials);
  } catch (error) {
    if (error instanceof TunebookError) return null; // too few trials: the chart says so
    throw error;
  }
}

export function studyCharts(study: StudySummary, trials: readonly TrialRecord[], options: StudyChartsOptions = {}): StudyCharts {
  const { direction, name } = study;
  const valueTitle = options.valueTitle;
  const importance = options.importance === undefined ? importanceOf(trials) : options.importance;
  return {
    history: historySpec(historyData(trials, direction), { direction, study: name, valueTitle }),
    slice: sliceSpec(sliceData(trials), { study: name, valueTitle }),
    parallel: parallelSpec(parallelData(trials, { direction, valueTitle }), { study: name, direction }),
    contour: contourSpec(contourData(trials, { importance: importance ?? undefined, direction }), { study: name, direction, valueTitle }),
    intermediate: intermediateSpec(intermediateData(trials), { study: name }),
    edf: edfSpec(edfData([{ name, trials }]), { valueTitle }),
    timeline: timelineSpec(timelineData(trials, { now: options.now }), { study: name }),
    importance: importanceSpec(importance ? importanceData(importance) : [], { study: name, method: importance?.method }),
    importanceResult: importance,
  };
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
