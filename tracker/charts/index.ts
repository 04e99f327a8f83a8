/**
 * Vega-Lite chart builders shared by the tracker UI and the notebook display. Each
 * chart is a pure data function (trials → rows) and a spec function (rows → spec);
 * `studyChart` composes a study's charts for both, with one importance policy
 * (`studyImportance`). `renderSvg` (Vega on Node, loaded lazily) turns a spec into
 * an SVG string.
 */

export * from "./class-balance.js";
export * from "./cluster-projection.js";
export * from "./cluster-quality.js";
export * from "./common.js";
export * from "./compare-history.js";
export * from "./contour.js";
export * from "./convergence.js";
export * from "./correlation.js";
export * from "./curve-spec.js";
export * from "./curves.js";
export * from "./edf.js";
export * from "./explained-variance.js";
export * from "./feature-association.js";
export * from "./feature-histograms.js";
export * from "./fold-scores.js";
export * from "./history.js";
export * from "./hypervolume-history.js";
export * from "./importance.js";
export * from "./intermediate-values.js";
export * from "./nested-scores.js";
export * from "./objective-importance.js";
export * from "./parallel-coordinates.js";
export * from "./pareto-front.js";
export * from "./recorded-curves.js";
export { compileToVega, renderSvg } from "./render.js";
export * from "./silhouette-plot.js";
export * from "./slice.js";
export type {
  ComparisonCharts,
  MultiObjectiveComparisonCharts,
  StudyChart,
  StudyChartKind,
  StudyChartScope,
  StudyCharts,
  StudyChartsOptions,
} from "./study-charts.js";
export {
  chartApplies,
  chartScope,
  comparisonCharts,
  isStudyChartKind,
  kindsFor,
  multiObjectiveComparisonCharts,
  STUDY_CHART_KINDS,
  studyChart,
  studyCharts,
} from "./study-charts.js";
export { IMPORTANCE_MAX_TRIALS, type StudyImportance, studyImportance } from "./study-importance.js";
export * from "./timeline.js";
export * from "./train-validation-gap.js";
