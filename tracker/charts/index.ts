/**
 * Vega-Lite chart builders shared by the tracker UI and the notebook display. Each
 * chart is a pure data function (trials → rows) and a spec function (rows → spec).
 * `renderSvg` (Vega on Node, loaded lazily) turns a spec into an SVG string.
 */
export * from "./common.js";
export * from "./history.js";
export * from "./slice.js";
export * from "./parallel-coordinates.js";
export * from "./contour.js";
export * from "./intermediate-values.js";
export * from "./edf.js";
export * from "./timeline.js";
export * from "./importance.js";
export * from "./compare-history.js";
export * from "./fold-scores.js";
export * from "./correlation.js";
export * from "./feature-histograms.js";
export * from "./class-balance.js";
export * from "./feature-association.js";
export { renderSvg, compileToVega } from "./render.js";
export { studyCharts, comparisonCharts } from "./study-charts.js";
export type { StudyCharts, StudyChartsOptions, ComparisonCharts } from "./study-charts.js";
