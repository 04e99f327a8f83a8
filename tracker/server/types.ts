/**
 * The JSON the server sends, shared by the route code and the page scripts
 * (which import these types only). Dates travel as ISO strings; parameter values
 * in their external form (the choice itself for categoricals).
 */
import type { DistributionJson, JsonValue, ParamValue, StudyDirection, TrialState } from "../../core/records.js";
import type { Provenance } from "../../tune/provenance-record.js";
import type { Comparison } from "../analysis/compare.js";
import type { HypervolumeStanding, RepeatGroup } from "../analysis/compare-multi-objective.js";
import type { NestedFoldChoice, NestedRunStanding, NestedRunsComparison } from "../analysis/compare-nested-runs.js";
import type { RefinedSpace } from "../analysis/refine.js";
import type { StudyDiff } from "../analysis/study-diff.js";

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
    /** For a bad filter: the 0-based offset and length of the bad part of `param`'s text. */
    position?: number;
    length?: number;
  };
}

export interface StudyJson {
  id: number;
  name: string;
  /** The first objective's direction (the only one, with one objective). */
  direction: StudyDirection;
  /** One direction per objective. */
  directions: StudyDirection[];
  /** Each objective's title with its direction (see tracker/analysis/objectives.ts). */
  objectives: string[];
  experiment: string | null;
  /** The sampler's name (study system attribute `tunebook:sampler`), if recorded. */
  sampler: string | null;
  pruner: string | null;
  counts: Record<TrialState, number>;
  total: number;
  bestValue: number | null;
  bestTrialNumber: number | null;
  /** With several objectives, what stands in for a best value; null with one. */
  pareto: ParetoJson | null;
  datetimeStart: string | null;
  lastActivity: string | null;
  userAttrs: Record<string, JsonValue>;
  /** The study's locked test set (study system attribute `tunebook:lockbox`); null without one. */
  testSet: TestSetJson | null;
  /** The study's tags, sorted (study system attribute `tunebook:tags`). */
  tags: string[];
  /** The study's note, Markdown as written (`tunebook:note`); null without one. */
  note: string | null;
}

/** A locked test set in short: its size and how often it was used. */
export interface TestSetJson {
  rows: number;
  /** Looks at it so far (`study.evaluateTest` calls), scored or not. */
  looks: number;
  /** e.g. "used 2 times (30 rows; last: test 0.91 for trial 12, validation 0.95)". */
  text: string;
}

/** The Pareto front of a study with several objectives, in short. */
export interface ParetoJson {
  /** Trials on the feasible Pareto front, by number. */
  frontTrialNumbers: number[];
  /** Hypervolume of the front; null when no completed trial is feasible. */
  hypervolume: number | null;
  /** The reference point of that hypervolume in the objectives' own units (defaultReferencePoint over the feasible completed trials). */
  referencePoint: number[] | null;
  /** Completed trials, feasible and infeasible. */
  feasible: number;
  infeasible: number;
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
  /** How many trials have the parameter (fewer than all: conditional); of a study held as a sample, how many of the sample. */
  count: number;
}

/** A chart the study page draws: the kinds `kindsFor` offers the study. */
export interface StudyChartInfo {
  kind: StudyChartKind;
  title: string;
  /** True when the chart draws one objective at a time (`?objective=<i>`). */
  perObjective: boolean;
}

export interface StudyResponse {
  study: StudyJson;
  params: ParamInfo[];
  /** The charts this study offers, in the page's order. */
  charts: StudyChartInfo[];
  /** Changes whenever anything shown about the study changes: poll and compare. */
  version: string;
  /** True while a trial is RUNNING or WAITING. */
  running: boolean;
  /** The note rendered as sanitised HTML (tracker/server/markdown.ts); null without one. */
  noteHtml: string | null;
}

export interface ChartResponse {
  kind: StudyChartKind;
  /** The objective drawn (0 for charts that draw none in particular). */
  objective: number;
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
  /** One value per objective; null unless COMPLETE (or PRUNED with a value). */
  values: number[] | null;
  /** Constraint values, one per column of `TrialsResponse.constraints` (null where the trial has none). */
  constraints: (number | null)[];
  /** Null when the trial has no constraint values. */
  feasible: boolean | null;
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
  /** Objective columns: each objective's title (one "Objective value" column for one unnamed objective). */
  objectives: string[];
  /** Constraint columns: names, or `constraints[i]` (see tracker/analysis/constraints.ts). */
  constraints: string[];
  rows: TrialRowJson[];
  /** When no row matches and the filter names parameters no trial has: which, and the closest known ones. */
  hint?: string;
}

export interface TrialJson extends TrialRowJson {
  trialId: number;
  studyId: number;
  studyName: string;
  direction: StudyDirection;
  directions: StudyDirection[];
  /** Each objective's title. */
  objectives: string[];
  /** Labels of `constraints`: the trial's constraint names, or `constraints[i]`. */
  constraintLabels: string[];
  distributions: Record<string, DistributionJson>;
  intermediateValues: Array<{ step: number; value: number }>;
  /** `userAttrs.fold_scores` when it is a list of numbers. */
  foldScores: number[] | null;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  error: string | null;
  /** The trial's note rendered as sanitised HTML (from `tunebook:note`); null without one. */
  noteHtml: string | null;
}

export interface TrialResponse {
  trial: TrialJson;
  /** Trials in the study (numbers run from 0 to this minus one). */
  trialCount: number;
  /** A chart of the intermediate values, when there are any. */
  intermediateChart: ChartSpec | null;
}

/** One artifact of a trial (Optuna's `ArtifactMeta`) and the size of its file. */
export interface ArtifactJson {
  artifactId: string;
  filename: string;
  mimetype: string;
  encoding: string | null;
  /** Bytes, or null when the file is not in the artifact folder. */
  size: number | null;
  /** Where the file downloads from. */
  href: string;
}

export interface ArtifactsResponse {
  artifacts: ArtifactJson[];
  /** Why the files cannot be read (no artifact folder known for this storage), or null. */
  problem: string | null;
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
  /**
   * The studies' shared direction, or "mixed" (then nothing is ranked): with several
   * objectives, the first one's when every study has the same directions.
   */
  direction: StudyDirection | "mixed";
  /** In the order asked for. */
  rows: CompareRow[];
  bestSoFarChart: ChartSpec | null;
  foldChart: ChartSpec | null;
  /** The paired tests between the two studies with the best values, when both have fold scores on the same folds. */
  test: Comparison | null;
  /** Why there is no test (or another caveat). */
  note?: string;
  /** Studies with the same several objectives, compared by hypervolume; null otherwise. */
  multiObjective: MultiObjectiveCompareJson | null;
  /**
   * The nested cross-validation runs the studies belong to (as inner studies), compared by
   * their outer scores; null when none of the studies is an inner study of a run.
   */
  nested: NestedCompareJson | null;
}

/** A nested run's standing (tracker/analysis/compare-nested-runs.ts), with each inner study's id for links. */
export type NestedRunRowJson = Omit<NestedRunStanding, "folds"> & { folds: (NestedFoldChoice & { studyId: number | null })[] };

/** Nested runs compared: ranked by mean outer score, with the paired tests of the best against each other. */
export type NestedCompareJson = Omit<NestedRunsComparison, "standings"> & {
  /** Ranked runs, best first, then the runs that cannot be paired with them (`excluded` says why). */
  rows: NestedRunRowJson[];
  /** The outer scores per fold, joined per run. */
  chart: ChartSpec;
  note?: string;
};

/** A study's standing by hypervolume (tracker/analysis/compare-multi-objective.ts), with the study's JSON for its name. */
export type HypervolumeRowJson = Omit<HypervolumeStanding, "name"> & { study: StudyJson };

export interface MultiObjectiveCompareJson {
  directions: StudyDirection[];
  objectives: string[];
  /** The common reference point in the objectives' own units: defaultReferencePoint over the union of the studies' feasible fronts. */
  referencePoint: number[] | null;
  /** Largest hypervolume first. */
  rows: HypervolumeRowJson[];
  hypervolumeChart: ChartSpec;
  /** Studies repeated over seeds, best mean hypervolume first. */
  groups: RepeatGroup[];
  /** Paired t-test (runs are independent: no overlap correction) and Wilcoxon on the final hypervolumes of the two best groups, seed by seed. */
  test: Comparison | null;
  noTestReason?: string;
}

export interface RefineResponse {
  study: StudyJson;
  /** The narrowed space and its code; null when the study has no COMPLETE trial yet (see `note`). */
  refined: RefinedSpace | null;
  note?: string;
}

/** A study's provenance, note and tags, for its page's panel. */
export interface ProvenanceResponse {
  study: StudyJson;
  /** As stored (tune/provenance.ts); null when the study recorded none. */
  provenance: Provenance | null;
  noteHtml: string | null;
}

/** Two studies side by side: what differs between them (tracker/analysis/study-diff.ts). */
export interface DiffResponse {
  a: StudyJson;
  b: StudyJson;
  diff: StudyDiff;
}
