import { ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import { type ImportanceResult, paramImportances } from "../analysis/importance.js";
import { completedWithValue, downsample } from "../analysis/summaries.js";
import { contourData, contourSpec } from "../charts/contour.js";
import { edfData, edfSpec } from "../charts/edf.js";
import { historyData, historySpec } from "../charts/history.js";
import { importanceData, importanceSpec } from "../charts/importance.js";
import { intermediateData, intermediateSpec } from "../charts/intermediate-values.js";
import { parallelData, parallelSpec } from "../charts/parallel-coordinates.js";
import { sliceData, sliceSpec } from "../charts/slice.js";
import { timelineData, timelineSpec } from "../charts/timeline.js";
import type { CachedStudy } from "./study-cache.js";
import type { ChartSpec, StudyChartKind } from "./types.js";

/**
 * The server's side of the charts: which tracker/charts builder draws each chart of a
 * page, from which cached trials. Every builder caps its points (binning,
 * downsampling), so a 100,000-trial study ships a few thousand points per chart.
 * Results are memoised per study version.
 */

export const STUDY_CHART_KINDS: readonly StudyChartKind[] = [
  "history",
  "slice",
  "parallel",
  "contour",
  "intermediate",
  "edf",
  "timeline",
  "importance",
];

/**
 * fANOVA is fitted on at most this many COMPLETE trials (evenly spread over the
 * study, deterministic): beyond a few thousand, more trials barely change the
 * importances but cost seconds.
 */
export const IMPORTANCE_MAX_TRIALS = 1000;

/**
 * Points per chart on the pages (the builders' own default is 5,000): a page draws
 * eight charts at once, and 2,000 points each keep it quick to draw while still
 * showing every improvement and the shape of the study.
 */
export const PAGE_MAX_POINTS = 2000;
const cap = { maxPoints: PAGE_MAX_POINTS };

export interface BuiltChart {
  spec: ChartSpec | null;
  /** A caveat to show with the chart, or why there is none. */
  note?: string;
}

const BUILDERS: Record<StudyChartKind, (study: CachedStudy) => BuiltChart> = {
  history: (s) => ({ spec: historySpec(historyData(s.trials, s.summary.direction, cap), { direction: s.summary.direction }) }),
  slice: (s) => ({ spec: sliceSpec(sliceData(s.trials, cap)) }),
  parallel: (s) => ({
    spec: parallelSpec(parallelData(s.trials, { direction: s.summary.direction, ...cap }), { direction: s.summary.direction }),
  }),
  contour: (s) => {
    const { result } = importance(s);
    return {
      spec: contourSpec(
        contourData(s.trials, {
          direction: s.summary.direction,
          ...cap,
          ...(result && result.importances.length >= 2 ? { importance: result } : {}),
        }),
        { direction: s.summary.direction },
      ),
    };
  },
  intermediate: (s) => ({ spec: intermediateSpec(intermediateData(s.trials, cap)) }),
  edf: (s) => ({ spec: edfSpec(edfData([{ name: s.summary.name, trials: s.trials }], cap)) }),
  timeline: (s) => ({ spec: timelineSpec(timelineData(s.trials, cap)) }),
  importance: (s) => {
    const { result, note } = importance(s);
    return { spec: importanceSpec(result ? importanceData(result) : []), ...(note ? { note } : {}) };
  },
};

export function studyChart(kind: StudyChartKind, study: CachedStudy): BuiltChart {
  return study.memoise(`chart-${kind}`, () => BUILDERS[kind](study));
}

/** fANOVA importance of the study (sampled beyond `IMPORTANCE_MAX_TRIALS`), once per version. */
function importance(study: CachedStudy): { result: ImportanceResult | null; note?: string } {
  return study.memoise("importance", () => {
    const complete = completedWithValue(study.trials);
    const sample = downsample(complete, IMPORTANCE_MAX_TRIALS);
    try {
      const result = paramImportances(sample);
      const notes = [
        sample.length < complete.length ? `Fitted on ${sample.length} of the ${complete.length} completed trials, evenly spread.` : "",
        result.skipped.length ? `Not assessed: ${result.skipped.map((p) => `${p.name} (${p.reason})`).join("; ")}.` : "",
        result.warning ?? "",
      ].filter(Boolean);
      return { result, ...(notes.length ? { note: notes.join(" ") } : {}) };
    } catch (error) {
      // Too few trials is the only user-level failure; the chart says so itself.
      if (error instanceof ValueError) return { result: null };
      throw error;
    }
  });
}

/** The intermediate values of one trial (trial page); null when it reported none. */
export function trialIntermediateChart(trial: TrialRecord): ChartSpec | null {
  if (Object.keys(trial.intermediateValues).length === 0) return null;
  return intermediateSpec(intermediateData([trial]), { title: `Intermediate values of trial ${trial.number}` });
}
