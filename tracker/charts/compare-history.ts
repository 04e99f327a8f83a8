import type { StudyDirection, TrialRecord } from "../../core/records.js";
import { bestSoFar, downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  studyColors,
  vegaText,
  wholeLegend,
} from "./common.js";

/** Best-so-far curves of several studies overlaid (typically one study per algorithm). */

export interface CompareStudy {
  name: string;
  direction: StudyDirection;
  trials: readonly TrialRecord[];
}

export interface CompareHistoryRow {
  study: string;
  /** Position of the trial among the study's COMPLETE trials (1-based), so studies line up. */
  index: number;
  number: number;
  best: number;
}

export interface CompareHistoryOptions {
  /** Cap on the points over all curves (default 5,000); every improvement is kept first. */
  maxPoints?: number;
}

export function compareHistoryData(studies: readonly CompareStudy[], options: CompareHistoryOptions = {}): CompareHistoryRow[] {
  const perStudy = Math.max(2, Math.floor((options.maxPoints ?? MAX_CHART_POINTS) / Math.max(1, studies.length)));
  return studies.flatMap((s) => {
    const points = bestSoFar(s.trials, s.direction).map((p, i) => ({ ...p, index: i + 1 }));
    // Before a study's first feasible trial it has no best to draw.
    const drawn = points.filter((p): p is typeof p & { best: number } => p.best !== null);
    return downsample(drawn, perStudy, (p) => p.improved).map((p) => ({ study: s.name, index: p.index, number: p.number, best: p.best }));
  });
}

export interface CompareHistorySpecOptions extends ChartOptions {
  valueTitle?: string;
  /** Study names in legend and colour order (default: order of appearance); see `studyColors`. */
  studies?: readonly string[];
}

export function compareHistorySpec(rows: readonly CompareHistoryRow[], options: CompareHistorySpecOptions = {}): ChartSpec {
  const title = "Best value so far";
  if (rows.length === 0) return emptySpec(title, "None of these studies has a completed trial yet.", options);
  const valueTitle = vegaText(options.valueTitle ?? "Best objective value");
  const colors = studyColors(
    options.studies ?? [],
    rows.map((r) => r.study),
  );
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "line", interpolate: "step-after", tooltip: true, point: { size: 10 } },
    encoding: {
      x: { field: "index", type: "quantitative", title: "Completed trials", axis: countAxis() },
      y: { field: "best", type: "quantitative", title: valueTitle, scale: { zero: false } },
      color: { field: "study", type: "nominal", scale: colors, legend: wholeLegend(colors.domain.length, "Study") },
      tooltip: [
        { field: "study", type: "nominal", title: "Study" },
        { field: "index", type: "quantitative", title: "Completed trials" },
        { field: "number", type: "quantitative", title: "Trial number" },
        { field: "best", type: "quantitative", title: valueTitle },
      ],
    },
  };
}
