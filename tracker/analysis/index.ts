/** Analyses of stored trials, shared by the tracker UI and the notebook display. */

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
export {
  compareAlgorithms,
  correctedTTest,
  FOLD_SCORES_ATTR,
  foldScores,
  normalCdf,
  normalSf,
  rankData,
  studentTCdf,
  studentTSf,
  summarizeScores,
  wilcoxonSignedRank,
} from "./compare.js";
export type { HypervolumeStanding, MultiObjectiveComparison, RepeatGroup } from "./compare-multi-objective.js";
export { compareMultiObjective, repeatOf } from "./compare-multi-objective.js";
export type {
  CompareNestedRunsOptions,
  NestedFoldChoice,
  NestedRunEntry,
  NestedRunStanding,
  NestedRunsComparison,
} from "./compare-nested-runs.js";
export { compareNestedRuns, nestedRunEntries } from "./compare-nested-runs.js";
export type { StudiesComparison, StudyEntry, StudyStanding } from "./compare-studies.js";
export { compareStudies } from "./compare-studies.js";
export type { ConstraintColumn } from "./constraints.js";
export { constraintColumns, feasibilityOf } from "./constraints.js";
export type { ImportanceMethod, ImportanceOptions, ImportanceResult, ParamImportance } from "./importance.js";
export { paramImportances } from "./importance.js";
export { OBJECTIVE_NAMES_ATTR, objectiveTitles, objectiveValue, storedObjectiveNames, trialsForObjective } from "./objectives.js";
export type { FrontMark, HypervolumeHistory, HypervolumePoint, ParetoSummary } from "./pareto-front.js";
export { frontMarks, hypervolumeHistory, paretoSummary, studyReferencePoint } from "./pareto-front.js";
export type { RefinedParam, RefinedSpace, RefineOptions } from "./refine.js";
export { refineSearchSpace } from "./refine.js";
export type { AnalysisParam, InferredSpace, SkippedParam } from "./space.js";
export { inferSpace } from "./space.js";
export type { BestSoFarPoint, EcdfPoint, HistogramBin, HistogramOptions } from "./summaries.js";
export {
  bestSoFar,
  completedWithValue,
  countByState,
  downsample,
  downsampleIndices,
  ecdf,
  histogram,
  MAX_CHART_POINTS,
} from "./summaries.js";
