import type { TrialRecord, TrialState } from "../../core/records.js";
import { downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { base, type ChartOptions, type ChartSpec, countAxis, DEFAULT_WIDTH, emptySpec, stateScale, titled } from "./common.js";

/**
 * Timeline: when each trial started and finished, coloured by state. A study shorter than
 * `SHORT_STUDY_MS` is drawn in seconds since its first trial started; a longer one on the
 * clock (hours and minutes, with the date when it spans days).
 */

/** Studies shorter than this (ten minutes) are drawn in seconds since they started. */
export const SHORT_STUDY_MS = 10 * 60_000;

export interface TimelineRow {
  number: number;
  state: TrialState;
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
  seconds: number;
  /** True for a trial still running: its end is "now". */
  running: boolean;
}

export interface TimelineDataOptions {
  /** The end of trials still running (default: now). */
  now?: Date;
  /** Cap on the rows (default 5,000), sampled evenly; failed trials are kept first. */
  maxPoints?: number;
}

export function timelineData(trials: readonly TrialRecord[], options: TimelineDataOptions = {}): TimelineRow[] {
  const now = (options.now ?? new Date()).getTime();
  const rows = trials
    .filter((t) => t.datetimeStart !== null)
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      const start = (t.datetimeStart as Date).getTime();
      const running = t.datetimeComplete === null;
      const end = running ? Math.max(start, now) : (t.datetimeComplete as Date).getTime();
      return { number: t.number, state: t.state, start, end, seconds: (end - start) / 1000, running };
    });
  return downsample(rows, options.maxPoints ?? MAX_CHART_POINTS, (r) => r.state === "FAIL");
}

export interface TimelineSpecOptions extends ChartOptions {
  study?: string;
}

export function timelineSpec(rows: readonly TimelineRow[], options: TimelineSpecOptions = {}): ChartSpec {
  const title = titled("Timeline", options.study);
  if (rows.length === 0) return emptySpec(title, "No trial has started yet.", options);
  const first = Math.min(...rows.map((r) => r.start));
  const span = Math.max(...rows.map((r) => r.end)) - first;
  const short = span < SHORT_STUDY_MS;
  const x = short
    ? {
        x: {
          field: "fromStart",
          type: "quantitative" as const,
          title: "Seconds since the study started",
          // "~f", not "~g": "~g" writes ticks 10 apart as 1e+1, 2e+1, …
          axis: { format: "~f", tickCount: 8 },
        },
        x2: { field: "toEnd" },
      }
    : {
        x: {
          field: "start",
          type: "temporal" as const,
          title: span < 86_400_000 ? "Time of day" : "Date and time",
          axis: { format: span < 86_400_000 ? "%H:%M" : "%b %d %H:%M", tickCount: 6, labelOverlap: true },
        },
        x2: { field: "end" },
      };
  return {
    ...base(title, options, DEFAULT_WIDTH, Math.min(600, Math.max(160, rows.length * 4))),
    data: { values: rows.map((r) => ({ ...r, fromStart: (r.start - first) / 1000, toEnd: (r.end - first) / 1000 })) },
    mark: { type: "rule", strokeWidth: 3, tooltip: true },
    encoding: {
      ...x,
      y: { field: "number", type: "quantitative", title: "Trial", scale: { zero: false }, axis: countAxis() },
      color: { field: "state", type: "nominal", title: "State", scale: stateScale(rows.map((r) => r.state)), legend: { labelLimit: 0 } },
      tooltip: [
        { field: "number", type: "quantitative", title: "Trial" },
        { field: "state", type: "nominal", title: "State" },
        { field: "start", type: "temporal", title: "Started", timeUnit: "yearmonthdatehoursminutesseconds" },
        { field: "seconds", type: "quantitative", title: "Seconds", format: ".2f" },
      ],
    },
  };
}
