import type { TrialRecord } from "../../core/records.js";
import { trialsForObjective } from "../analysis/objectives.js";
import { intermediateData, intermediateSpec } from "../charts/intermediate-values.js";
import { chartScope, studyChart as composeStudyChart, type StudyChart, type StudyChartKind } from "../charts/study-charts.js";
import { studyImportance } from "../charts/study-importance.js";
import type { CachedStudy } from "./study-cache.js";
import type { ChartSpec } from "./types.js";

/**
 * The server's side of the study charts: tracker/charts composes them, as it does for
 * the notebook; the server caps their points, so a 100,000-trial study ships a few
 * thousand points per chart, and memoises them per study version.
 */

export { STUDY_CHART_KINDS } from "../charts/study-charts.js";

/**
 * Points per chart on the pages (the builders' own default is 5,000): a page draws
 * eight charts at once, and 2,000 points each keep it quick to draw while still
 * showing every improvement and the shape of the study.
 */
export const PAGE_MAX_POINTS = 2000;

/**
 * One chart of the study page, once per study version (and objective, for the charts that
 * draw one); each objective's importance, shared by several charts, once too.
 */
export function studyChart(kind: StudyChartKind, study: CachedStudy, objective = 0): StudyChart {
  const key = chartScope(kind).perObjective ? `chart-${kind}-${objective}` : `chart-${kind}`;
  return study.memoise(key, () => {
    const chart = composeStudyChart(kind, study.summary, study.trials, {
      maxPoints: PAGE_MAX_POINTS,
      objective,
      importance: (i) =>
        study.memoise(`importance-${i}`, () => studyImportance(trialsForObjective(study.trials, study.summary.directions, i))),
    });
    return study.sample && !FROM_STUDY_ATTRS.has(kind) ? fromSample(chart, study.sample) : chart;
  });
}

/** Charts drawn from what the study records, not from its trials: a sample changes nothing in them. */
const FROM_STUDY_ATTRS: ReadonlySet<StudyChartKind> = new Set(["convergence", "curves"]);

/** The chart of a study held as a sample says so, in its subtitle and its caption. */
export function fromSample(chart: StudyChart, sample: { shown: number; total: number }): StudyChart {
  const count = (n: number) => n.toLocaleString("en");
  const subtitle = `from ${count(sample.shown)} of ${count(sample.total)} trials`;
  const caveat =
    `Drawn ${subtitle}: every k-th by number, the trials that set the best so far (exact at every k-th trial; ` +
    "the best trial is always in), and the latest running ones.";
  const title = chart.spec.title;
  const spec = typeof title === "string" ? { ...chart.spec, title: { text: title, subtitle } } : chart.spec;
  return { spec, note: chart.note ? `${caveat} ${chart.note}` : caveat };
}

/** The intermediate values of one trial (trial page); null when it reported none. */
export function trialIntermediateChart(trial: TrialRecord): ChartSpec | null {
  if (Object.keys(trial.intermediateValues).length === 0) return null;
  return intermediateSpec(intermediateData([trial]), { title: `Intermediate values of trial ${trial.number}` });
}
