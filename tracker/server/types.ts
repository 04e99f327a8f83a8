/**
 * The JSON the server sends, shared by the route code and the page scripts
 * (which import these types only). Dates travel as ISO strings; parameter values
 * in their external form (the choice itself for categoricals).
 */
import type { DistributionJson, JsonValue, ParamValue, StudyDirection, TrialState } from "../../core/records.js";
import type { Comparison } from "../analysis/compare.js";
import type { RefinedSpace } from "../analysis/refine.js";

/** A Vega-Lite specification, as built by tracker/charts. */
export type { ChartSpec } from "../charts/common.js";
/** Names of the charts of the study page (tracker/charts composes them). */
export type { StudyChartKind } from "../charts/study-charts.js";

import type { ChartSpec } from "../charts/common.js";
import type { StudyChartKind } from "../charts/study-charts.js";

export interface ApiError {
  error: {
    /** HTTP status, repeated for clients that only see the body. */
    status: number;
    message: string;
    /** The query or path parameter at fault, for 400s. */
    param?: string;
  };
}

export interface StudyJson {
  id: number;
  name: string;
  direction: StudyDirection;
  experiment: string | null;
  /** The sampler's name (study system attribute `tunebook:sampler`), if recorded. */
  sampler: string | null;
  pruner: string | null;
  counts: Record<TrialState, number>;
  total: number;
  bestValue: number | null;
  bestTrialNumber: number | null;
  datetimeStart: string | null;
  lastActivity: string | null;
  userAttrs: Record<string, JsonValue>;
}

export interface ExperimentGroup {
  /** null: studies that belong to no experiment. */
  experiment: string | null;
  studies: StudyJson[];
}

export interface StudiesResponse {
  storage: string;
  experiments: ExperimentGroup[];
}

export interface ParamInfo {
  name: string;
  distribution: DistributionJson;
  kind: "float" | "int" | "categorical";
  log: boolean;
  /** How many trials have the parameter (fewer than all: conditional). */
  count: number;
}

export interface StudyResponse {
  study: StudyJson;
  params: ParamInfo[];
  /** Changes whenever anything shown about the study changes: poll and compare. */
  version: string;
  /** True while a trial is RUNNING or WAITING. */
  running: boolean;
}

export interface ChartResponse {
  kind: StudyChartKind;
  version: string;
  /** null when the chart cannot be drawn yet; `note` says why. */
  spec: ChartSpec | null;
  note?: string;
}

/** One row of the trials table. */
export interface TrialRowJson {
  number: number;
  state: TrialState;
  value: number | null;
  params: Record<string, ParamValue>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
  durationSeconds: number | null;
}

export interface TrialsResponse {
  version: string;
  /** Rows matching the filters (before pagination). */
  total: number;
  offset: number;
  limit: number;
  sort: string;
  order: "asc" | "desc";
  /** Parameter columns, in display order. */
  params: string[];
  rows: TrialRowJson[];
}

export interface TrialJson extends TrialRowJson {
  trialId: number;
  studyId: number;
  studyName: string;
  direction: StudyDirection;
  distributions: Record<string, DistributionJson>;
  intermediateValues: Array<{ step: number; value: number }>;
  /** `userAttrs.fold_scores` when it is a list of numbers. */
  foldScores: number[] | null;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  error: string | null;
}

export interface TrialResponse {
  trial: TrialJson;
  /** Trials in the study (numbers run from 0 to this minus one). */
  trialCount: number;
  /** A chart of the intermediate values, when there are any. */
  intermediateChart: ChartSpec | null;
}

export interface CompareRow {
  study: StudyJson;
  /** Fold scores of the study's best trial (empty when it recorded none). */
  foldScores: number[];
  /** Mean ± sample std of those fold scores; null without fold scores. */
  mean: number | null;
  std: number | null;
}

export interface CompareResponse {
  /** The studies' shared direction, or "mixed" (then nothing is ranked). */
  direction: StudyDirection | "mixed";
  /** In the order asked for. */
  rows: CompareRow[];
  bestSoFarChart: ChartSpec | null;
  foldChart: ChartSpec | null;
  /** The paired tests between the two studies with the best values, when both have fold scores on the same folds. */
  test: Comparison | null;
  /** Why there is no test (or another caveat). */
  note?: string;
}

export interface RefineResponse {
  study: StudyJson;
  /** The narrowed space and its code; null when the study has no COMPLETE trial yet (see `note`). */
  refined: RefinedSpace | null;
  note?: string;
}
