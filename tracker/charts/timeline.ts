import type { TrialRecord, TrialState } from "../../core/records.js";
import { downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { base, type ChartOptions, type ChartSpec, DEFAULT_WIDTH, emptySpec, STATE_SCALE, titled } from "./common.js";

/** Timeline: when each trial started and finished, coloured by state. */

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
  return {
    ...base(title, options, DEFAULT_WIDTH, Math.min(600, Math.max(160, rows.length * 4))),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "rule", strokeWidth: 3, tooltip: true },
    encoding: {
      x: { field: "start", type: "temporal", title: "Time" },
      x2: { field: "end" },
      y: { field: "number", type: "quantitative", title: "Trial", scale: { zero: false } },
      color: { field: "state", type: "nominal", title: "State", scale: STATE_SCALE },
      tooltip: [
        { field: "number", type: "quantitative", title: "Trial" },
        { field: "state", type: "nominal", title: "State" },
        { field: "start", type: "temporal", title: "Started", timeUnit: "yearmonthdatehoursminutesseconds" },
        { field: "seconds", type: "quantitative", title: "Seconds", format: ".2f" },
      ],
    },
  };
}
