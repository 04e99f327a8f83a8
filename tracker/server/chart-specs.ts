import type { StudySummary, TrialRecord } from "../../core/records.js";
import type { CachedStudy } from "./study-cache.js";
import type { ChartSpec, StudyChartKind } from "./types.js";

/** The study page's charts, each built by tracker/charts from the cached trials. */
export const STUDY_CHART_KINDS: readonly StudyChartKind[] = ["history", "slice", "parallel", "contour", "intermediate", "edf", "timeline", "importance"];

export interface BuiltChart {
  spec: ChartSpec | null;
  note?: string;
}

export function studyChart(kind: StudyChartKind, study: CachedStudy): BuiltChart {
  return study.memoise(`chart-${kind}`, () => ({ spec: null, note: "charts are not available yet" }));
}

export function trialIntermediateChart(_trial: TrialRecord, _study: StudySummary): ChartSpec | null {
  return null;
}

export function compareBestSoFarChart(_studies: readonly CachedStudy[]): ChartSpec | null {
  return null;
}

export function compareFoldsChart(_rows: readonly import("./types.js").CompareRow[]): ChartSpec | null {
  return null;
}
