/** Analyses of stored trials, shared by the tracker UI and the notebook display. */
export { paramImportances } from "./importance.js";
export type { ImportanceMethod, ImportanceOptions, ImportanceResult, ParamImportance } from "./importance.js";
export {
  compareAlgorithms,
  correctedTTest,
  foldScores,
  FOLD_SCORES_ATTR,
  summarizeScores,
  wilcoxonSignedRank,
  rankData,
  studentTSf,
  studentTCdf,
  normalSf,
  normalCdf,
} from "./compare.js";
export type {
  AlgorithmScores,
  Alternative,
  Comparison,
  ComparisonOptions,
  CorrectedTTestOptions,
  ScoreSummary,
  TTestResult,
  WilcoxonOptions,
  WilcoxonResult,
} from "./compare.js";
export { compareStudies } from "./compare-studies.js";
export type { StudiesComparison, StudyEntry, StudyStanding } from "./compare-studies.js";
export { refineSearchSpace } from "./refine.js";
export type { RefinedParam, RefinedSpace, RefineOptions } from "./refine.js";
export { bestSoFar, completedWithValue, countByState, downsample, downsampleIndices, ecdf, histogram, MAX_CHART_POINTS } from "./summaries.js";
export type { BestSoFarPoint, EcdfPoint, HistogramBin, HistogramOptions } from "./summaries.js";
export { inferSpace } from "./space.js";
export type { AnalysisParam, InferredSpace, SkippedParam } from "./space.js";
