import type { StudyDirection, StudySummary, TrialRecord } from "../../core/records.js";
import { CONVERGENCE_ATTR } from "../../tune/stopping/index.js";
import { lockboxRecord } from "../../tune/test-set-record.js";
import { compareMultiObjective, type MultiObjectiveComparison } from "../analysis/compare-multi-objective.js";
import { compareStudies, type StudiesComparison, type StudyEntry } from "../analysis/compare-studies.js";
import type { ImportanceResult } from "../analysis/importance.js";
import { checkObjective, isMultiObjective, objectiveTitles, storedObjectiveNames, trialsForObjective } from "../analysis/objectives.js";
import { clusterQualityFromTrials, clusterQualitySpec, hasClusterScores } from "./cluster-quality.js";
import { type ChartSpec, emptySpec, titled } from "./common.js";
import { compareHistoryData, compareHistorySpec } from "./compare-history.js";
import { contourData, contourSpec } from "./contour.js";
import { convergenceData, convergenceSpec } from "./convergence.js";
import { foldMeanOf } from "./cross-validation.js";
import { edfData, edfSpec } from "./edf.js";
import { foldScoresData, foldScoresSpec } from "./fold-scores.js";
import { historyData, historySpec } from "./history.js";
import { compareHypervolumeData, compareHypervolumeSpec, hypervolumeData, hypervolumeSpec } from "./hypervolume-history.js";
import { importanceData, importanceSpec } from "./importance.js";
import { intermediateData, intermediateSpec } from "./intermediate-values.js";
import { lockboxData, lockboxSpec } from "./lockbox.js";
import { objectiveImportanceData, objectiveImportanceSpec } from "./objective-importance.js";
import { parallelData, parallelSpec } from "./parallel-coordinates.js";
import { paretoFrontData, paretoFrontSpec } from "./pareto-front.js";
import { hasRecordedCurves, recordedCurvesChart } from "./recorded-curves.js";
import { sliceData, sliceSpec } from "./slice.js";
import { type StudyImportance, studyImportance } from "./study-importance.js";
import { timelineData, timelineSpec } from "./timeline.js";
import { hasTrainScores, trainValidationGapData, trainValidationGapSpec } from "./train-validation-gap.js";

/**
 * The one study-chart composer: every chart of a study, built the same way for the
 * tracker UI (which caps points and memoises) and the notebook's `show` (which wraps
 * the spec into a display bundle). Each builder is a chart file's data function
 * followed by its spec function.
 */

/** Names of a study's charts. */
export type StudyChartKind =
  | "history"
  | "slice"
  | "parallel"
  | "contour"
  | "intermediate"
  | "edf"
  | "timeline"
  | "importance"
  | "pareto-front"
  | "hypervolume"
  | "objective-importance"
  | "cluster-quality"
  | "convergence"
  | "lockbox"
  | "train-validation-gap"
  | "curves";

/**
 * Which studies a chart applies to, and whether it draws one objective at a time:
 * - `one`: studies with one objective only. Intermediate values, because a study with
 *   several objectives cannot report them (pruning is refused there); the importance
 *   bars, replaced there by `objective-importance`.
 * - `several`: the Pareto front, the hypervolume and the importance per objective.
 * - `any`: history, slice, parallel coordinates, contour and EDF draw one objective,
 *   `values[objective]` (default 0), titled with its name; the timeline draws no value;
 *   the clustering quality draws what trials recorded, not the objective, and the curves
 *   draw what the study keeps.
 * Some charts also need trials that recorded something (`StudyChartBuilder.needs`).
 */
export interface StudyChartScope {
  title: string;
  objectives: "one" | "several" | "any";
  perObjective: boolean;
}

export interface StudyChartsOptions {
  /** Cap on the points a chart ships (default: each data function's own, 5,000). */
  maxPoints?: number;
  /** End of trials still running, in the timeline (default: now). */
  now?: Date;
  /**
   * Axis title of the objective (default: its name and direction, e.g. "accuracy (maximize)",
   * see `objectiveTitles`, with "k-fold mean" when every completed trial's value is the mean
   * of its k fold scores; "Objective value (minimize)" for one unnamed objective).
   */
  valueTitle?: string;
  /** The objective the per-objective charts draw, an index into the study's directions (default 0). */
  objective?: number;
  /**
   * One objective's importance, asked for only by the charts that use it (default:
   * `studyImportance` of the trials with that objective's values, computed at most once
   * per objective and call). Pass one to share or memoise it.
   */
  importance?: (objective: number) => StudyImportance;
}

/** One chart of a study. */
export interface StudyChart {
  spec: ChartSpec;
  /** A caveat to show with the chart (e.g. what importance was fitted on, or why there is none). */
  note?: string;
}

interface StudyChartInput extends Omit<StudyChartsOptions, "importance" | "objective"> {
  study: StudySummary;
  trials: readonly TrialRecord[];
  objective: number;
  /** The trials with `value` set to the chosen objective's value. */
  view: readonly TrialRecord[];
  /** The chosen objective's direction. */
  direction: StudyDirection;
  /** Every objective's title. */
  titles: string[];
  /** The stored name of the chosen objective, if any (see `storedObjectiveNames`). */
  objectiveName: string | null;
  importance: (objective: number) => StudyImportance;
}

type StudyChartBuilder = (input: StudyChartInput) => StudyChart;

/** The study as far as deciding which charts it offers: its objectives, and what it recorded. */
export type ChartStudy = Pick<StudySummary, "directions"> & Partial<Pick<StudySummary, "systemAttrs" | "userAttrs">>;

/**
 * What a chart needs the study or its trials to have recorded, beyond the study's
 * objectives: a test and what to say when it is missing.
 */
interface RecordedNeed {
  holds: (trials: readonly TrialRecord[], study: ChartStudy) => boolean;
  missing: string;
}

/** One builder per chart kind, with its scope: a kind without one does not type-check. */
const STUDY_CHART_BUILDERS: Record<StudyChartKind, StudyChartScope & { build: StudyChartBuilder; needs?: RecordedNeed }> = {
  history: {
    title: "Optimization history",
    objectives: "any",
    perObjective: true,
    build: ({ study, view, direction, maxPoints, valueTitle }) => ({
      spec: historySpec(historyData(view, direction, { maxPoints }), { direction, study: study.name, valueTitle }),
    }),
  },
  slice: {
    title: "Slice plot",
    objectives: "any",
    perObjective: true,
    build: ({ study, view, maxPoints, valueTitle }) => ({
      spec: sliceSpec(sliceData(view, { maxPoints }), { study: study.name, valueTitle }),
    }),
  },
  parallel: {
    title: "Parallel coordinates",
    objectives: "any",
    perObjective: true,
    build: ({ study, view, direction, maxPoints, valueTitle, titles, objective }) => ({
      // The objective's axis keeps its short title; the colour legend says all of it.
      spec: parallelSpec(parallelData(view, { direction, valueTitle: titles[objective], maxPoints }), {
        study: study.name,
        direction,
        valueTitle,
      }),
    }),
  },
  contour: {
    title: "Contour",
    objectives: "any",
    perObjective: true,
    build: ({ study, view, direction, maxPoints, valueTitle, importance, objective }) => {
      // The two most important parameters when importance ranks two; else the first two by name.
      const { result } = importance(objective);
      const ranked = result && result.importances.length >= 2 ? { importance: result } : {};
      return { spec: contourSpec(contourData(view, { direction, maxPoints, ...ranked }), { study: study.name, direction, valueTitle }) };
    },
  },
  intermediate: {
    title: "Intermediate values",
    objectives: "one",
    perObjective: false,
    build: ({ study, trials, maxPoints, objectiveName }) => {
      const rows = intermediateData(trials, { maxPoints });
      const folds = rows.length > 0 && rows.every((r) => r.fold !== undefined);
      const valueTitle = folds && objectiveName !== null ? `${objectiveName} on the fold` : undefined;
      return { spec: intermediateSpec(rows, { study: study.name, valueTitle }) };
    },
  },
  edf: {
    title: "Empirical distribution of values",
    objectives: "any",
    perObjective: true,
    build: ({ study, view, maxPoints, valueTitle }) => ({
      spec: edfSpec(edfData([{ name: study.name, trials: view }], { maxPoints }), { valueTitle }),
    }),
  },
  timeline: {
    title: "Timeline",
    objectives: "any",
    perObjective: false,
    build: ({ study, trials, maxPoints, now }) => ({
      spec: timelineSpec(timelineData(trials, { now, maxPoints }), { study: study.name }),
    }),
  },
  importance: {
    title: "Hyperparameter importance",
    objectives: "one",
    perObjective: false,
    build: ({ study, importance }) => {
      const { result, note } = importance(0);
      const spec = importanceSpec(result ? importanceData(result) : [], { study: study.name, method: result?.method });
      return note ? { spec, note } : { spec };
    },
  },
  "pareto-front": {
    title: "Pareto front",
    objectives: "several",
    perObjective: false,
    build: ({ study, trials, maxPoints, titles }) => ({
      spec: paretoFrontSpec(paretoFrontData(trials, study.directions, { maxPoints }), {
        study: study.name,
        directions: study.directions,
        objectiveTitles: titles,
      }),
    }),
  },
  hypervolume: {
    title: "Hypervolume history",
    objectives: "several",
    perObjective: false,
    build: ({ study, trials, maxPoints, titles }) => {
      const data = hypervolumeData(trials, study.directions, { maxPoints });
      const spec = hypervolumeSpec(data.rows, { study: study.name, objectives: study.directions.length });
      if (data.referencePoint === null) return { spec };
      const feasible = data.rows.filter((r) => r.feasible).length;
      const point = data.referencePoint.map((v, i) => `${titles[i]} ${Number(v.toPrecision(6))}`).join(", ");
      return {
        spec,
        note:
          `Hypervolume of the feasible Pareto front after each completed trial. Reference point: ${point} ` +
          `(each objective's worst value plus a tenth of its range over the ${feasible} feasible completed trials, as defaultReferencePoint sets it).`,
      };
    },
  },
  "objective-importance": {
    title: "Hyperparameter importance per objective",
    objectives: "several",
    perObjective: false,
    build: ({ study, importance, titles }) => {
      const each = titles.map((objective, i) => ({ objective, ...importance(i) }));
      const spec = objectiveImportanceSpec(objectiveImportanceData(each), { study: study.name, objectives: titles });
      const notes = each.filter((e) => e.note);
      const note =
        notes.length === 0
          ? undefined
          : notes.length === each.length && notes.every((e) => e.note === notes[0].note)
            ? `Every objective: ${notes[0].note}`
            : notes.map((e) => `${e.objective}: ${e.note}`).join(" ");
      return note ? { spec, note } : { spec };
    },
  },
  "cluster-quality": {
    title: "Clustering quality by number of clusters",
    objectives: "any",
    perObjective: false,
    needs: {
      holds: hasClusterScores,
      missing: "needs completed trials that record the user attributes n_clusters and cluster_scores; this study has none",
    },
    build: ({ study, trials }) => {
      const data = clusterQualityFromTrials(trials);
      const spec = clusterQualitySpec(data, { study: study.name });
      return data.knee === null ? { spec } : { spec, note: `Elbow of the inertia (Kneedle): ${data.knee} clusters.` };
    },
  },
  convergence: {
    title: "Regret bound against the noise",
    objectives: "one",
    perObjective: false,
    needs: {
      holds: (_, study) => study.systemAttrs !== undefined && Object.hasOwn(study.systemAttrs, CONVERGENCE_ATTR),
      missing: `is drawn for studies run with stop: "converged"; this one has no ${CONVERGENCE_ATTR} record`,
    },
    build: ({ study }) => ({ spec: convergenceSpec(convergenceData(study.systemAttrs), { study: study.name }) }),
  },
  lockbox: {
    title: "Validation against the locked test set",
    objectives: "one",
    perObjective: false,
    needs: {
      holds: (_, study) => (study.systemAttrs === undefined ? false : (lockboxRecord(study.systemAttrs)?.looks.length ?? 0) > 0),
      missing: "is drawn for studies whose locked test set was scored on (lockbox, then study.evaluateTest); this one has no look recorded",
    },
    build: ({ study, trials, direction, maxPoints, valueTitle }) => {
      const data = lockboxData(trials, direction, study.systemAttrs, { maxPoints });
      return {
        spec: lockboxSpec(data, { study: study.name, valueTitle }),
        note:
          `Test set of ${data.testRows} rows, used ${data.lookCount} time${data.lookCount === 1 ? "" : "s"}. ` +
          "Gap: how much better the trial's validation value is than its test score (positive: the validation value was optimistic).",
      };
    },
  },
  "train-validation-gap": {
    title: "Training against validation score",
    objectives: "one",
    perObjective: false,
    needs: {
      holds: hasTrainScores,
      missing:
        "needs completed trials that record fold_scores_train (crossValidate with returnTrainScore: true and the trial); this study has none",
    },
    build: ({ study, trials, direction, maxPoints, objectiveName }) => ({
      spec: trainValidationGapSpec(trainValidationGapData(trials, direction, { maxPoints }), {
        study: study.name,
        ...(objectiveName === null ? {} : { scoreName: objectiveName }),
      }),
    }),
  },
  curves: {
    title: "Validation and learning curves",
    objectives: "any",
    perObjective: false,
    needs: {
      holds: (_, study) => hasRecordedCurves(study.userAttrs),
      missing:
        "is drawn for studies that keep a curve: validationCurve(..., { param, record: study }) or learningCurve(..., { record: study }); this one keeps none",
    },
    build: ({ study }) => recordedCurvesChart(study.userAttrs, { study: study.name }),
  },
};

/** Every chart kind, in the builders' order. */
export const STUDY_CHART_KINDS = Object.keys(STUDY_CHART_BUILDERS) as readonly StudyChartKind[];

/** True for the name of a study chart. */
export function isStudyChartKind(name: string): name is StudyChartKind {
  return Object.hasOwn(STUDY_CHART_BUILDERS, name);
}

/** Which studies a chart kind applies to and whether it draws one objective at a time. */
export function chartScope(kind: StudyChartKind): StudyChartScope {
  const { title, objectives, perObjective } = STUDY_CHART_BUILDERS[kind];
  return { title, objectives, perObjective };
}

/**
 * True when the kind applies to the study: by its number of objectives, and, for a chart
 * of what the study or its trials recorded (the clustering quality, the convergence of a
 * study stopped by `stop: "converged"`), when they recorded it; without `trials`, such a
 * chart does not apply.
 */
export function chartApplies(kind: StudyChartKind, study: ChartStudy, trials?: readonly TrialRecord[]): boolean {
  const { needs } = STUDY_CHART_BUILDERS[kind];
  return fitsObjectives(kind, study) && (needs === undefined || (trials !== undefined && needs.holds(trials, study)));
}

function fitsObjectives(kind: StudyChartKind, study: Pick<StudySummary, "directions">): boolean {
  const { objectives } = STUDY_CHART_BUILDERS[kind];
  return objectives === "any" || (objectives === "several") === isMultiObjective(study);
}

/**
 * The charts a study offers, in the builders' order: what the study page and `show(study)`
 * draw. Pass the trials to be offered the charts of what they recorded too (see `chartApplies`).
 */
export function kindsFor(study: ChartStudy, trials?: readonly TrialRecord[]): StudyChartKind[] {
  return STUDY_CHART_KINDS.filter((kind) => chartApplies(kind, study, trials));
}

function input(study: StudySummary, trials: readonly TrialRecord[], options: StudyChartsOptions): StudyChartInput {
  const objective = checkObjective(study, options.objective ?? 0);
  const computed = new Map<number, StudyImportance>();
  const importance =
    options.importance ??
    ((i: number) => {
      let found = computed.get(i);
      if (!found) {
        found = studyImportance(trialsForObjective(trials, study.directions, i));
        computed.set(i, found);
      }
      return found;
    });
  const titles = objectiveTitles(study);
  const objectiveName = storedObjectiveNames(study)?.[objective] ?? null;
  return {
    ...options,
    valueTitle: options.valueTitle ?? valueTitleOf(study, trials, objective, objectiveName),
    study,
    trials,
    objective,
    view: trialsForObjective(trials, study.directions, objective),
    direction: study.directions[objective],
    titles,
    objectiveName,
    importance,
  };
}

/** "accuracy (maximize, 5-fold mean)", "Objective value (minimize)", "Objective 1 (minimize)". */
function valueTitleOf(study: StudySummary, trials: readonly TrialRecord[], objective: number, name: string | null): string {
  const one = study.directions.length === 1;
  const folds = one ? foldMeanOf(trials) : null;
  const details = [study.directions[objective], ...(folds === null ? [] : [`${folds}-fold mean`])];
  return `${name ?? (one ? "Objective value" : `Objective ${objective}`)} (${details.join(", ")})`;
}

function build(kind: StudyChartKind, shared: StudyChartInput): StudyChart {
  const builder = STUDY_CHART_BUILDERS[kind];
  if (!chartApplies(kind, shared.study, shared.trials)) {
    // Asked for anyway (the API answers every kind): a chart that says why, not an error.
    const count = shared.study.directions.length;
    const note = !fitsObjectives(kind, shared.study)
      ? builder.objectives === "several"
        ? `${builder.title} needs a study with several objectives; this one has one.`
        : `${builder.title} is drawn for studies with one objective; this one has ${count} (see kindsFor).`
      : `${builder.title} ${builder.needs?.missing}.`;
    return { spec: emptySpec(titled(builder.title, shared.study.name), note), note };
  }
  return builder.build(shared);
}

/** One chart of a study. */
export function studyChart(
  kind: StudyChartKind,
  study: StudySummary,
  trials: readonly TrialRecord[],
  options: StudyChartsOptions = {},
): StudyChart {
  return build(kind, input(study, trials, options));
}

export type StudyCharts = Partial<Record<StudyChartKind, ChartSpec>> & {
  /** Caveats to show with the charts, by kind (see `StudyChart.note`). */
  notes: Partial<Record<StudyChartKind, string>>;
  /** The chosen objective's importance, which the contour and the bars were drawn from (null when it could not be assessed). */
  importanceResult: ImportanceResult | null;
};

/** Every chart the study offers (`kindsFor` of the study and its trials) in one call, importance computed once per objective. */
export function studyCharts(study: StudySummary, trials: readonly TrialRecord[], options: StudyChartsOptions = {}): StudyCharts {
  const shared = input(study, trials, options);
  const specs: Partial<Record<StudyChartKind, ChartSpec>> = {};
  const notes: Partial<Record<StudyChartKind, string>> = {};
  for (const kind of kindsFor(study, trials)) {
    const { spec, note } = build(kind, shared);
    specs[kind] = spec;
    if (note) notes[kind] = note;
  }
  return { ...specs, notes, importanceResult: shared.importance(shared.objective).result };
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
  // Colours and places follow the order the studies were given in, the same on both charts.
  const studies = entries.map((e) => e.summary.name);
  const metric = sharedObjective(entries);
  return {
    bestSoFar: compareHistorySpec(
      compareHistoryData(entries.map((e) => ({ name: e.summary.name, direction: e.summary.direction, trials: e.trials }))),
      { valueTitle: options.valueTitle ?? (metric && `Best ${metric.name} so far (${metric.direction})`), studies },
    ),
    foldScores: foldScoresSpec(foldScoresData(withFolds), {
      studies,
      scoreTitle: metric ? `${metric.name} on each fold of the best trial` : "Score on each fold of the best trial",
    }),
    comparison,
  };
}

/** The objective's stored name and direction when every study gives the same (see `storedObjectiveNames`); else undefined. */
function sharedObjective(entries: readonly StudyEntry[]): { name: string; direction: StudyDirection } | undefined {
  const keys = new Set(
    entries.map((e) => {
      const name = e.summary.directions.length === 1 ? storedObjectiveNames(e.summary)?.[0] : undefined;
      return name === undefined ? "" : JSON.stringify([name, e.summary.direction]);
    }),
  );
  const [key] = keys;
  if (keys.size !== 1 || !key) return undefined;
  const [name, direction] = JSON.parse(key) as [string, StudyDirection];
  return { name, direction };
}

export interface MultiObjectiveComparisonCharts {
  /** Each study's hypervolume after each completed trial, w.r.t. the common reference point. */
  hypervolume: ChartSpec;
  /** Standings by hypervolume, repeat groups and the paired test between the best two. */
  comparison: MultiObjectiveComparison;
}

/** Studies with the same several objectives compared by hypervolume (see compare-multi-objective.ts). */
export function multiObjectiveComparisonCharts(
  entries: readonly StudyEntry[],
  options: { alpha?: number; maxPoints?: number } = {},
): MultiObjectiveComparisonCharts {
  const comparison = compareMultiObjective(entries, options.alpha !== undefined ? { alpha: options.alpha } : {});
  return {
    hypervolume: compareHypervolumeSpec(compareHypervolumeData(comparison.histories, { maxPoints: options.maxPoints }), {
      studies: entries.map((e) => e.summary.name),
    }),
    comparison,
  };
}
