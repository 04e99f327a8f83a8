import type { JsonValue, StudyDirection, TrialRecord } from "../../core/records.js";
import { lockboxRecord } from "../../tune/test-set-record.js";
import { bestSoFar, downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  titled,
  vegaText,
  wholeLegend,
} from "./common.js";

/**
 * Validation against test: the incumbent's validation value over the trials (best so far, a
 * step line) and each look at the locked test set (`study.evaluateTest`) as a point at the
 * trial it scored, with the gap between that trial's validation value and its test score —
 * how optimistic the value tuning chose by was. Data: the study's system attribute
 * "tunebook:lockbox" and its trials.
 */

export interface IncumbentRow {
  trial: number;
  /** Best validation value among the COMPLETE trials up to this one. */
  best: number;
}

export interface LookRow {
  /** 1 for the first look at the test set. */
  look: number;
  trial: number;
  validation: number;
  test: number;
  /** How much better the validation value is than the test score, by the study's direction (positive: optimistic). */
  gap: number;
  /** When the look was taken (ISO time). */
  at: string;
}

export interface LockboxChartData {
  incumbent: IncumbentRow[];
  /** Looks that gave a score, oldest first. */
  looks: LookRow[];
  /** Every look, scored or not. */
  lookCount: number;
  /** Rows in the test set; null when the study has none. */
  testRows: number | null;
}

export interface LockboxDataOptions {
  /** Cap on the incumbent's rows (default 5,000): every improvement is kept first. */
  maxPoints?: number;
}

export function lockboxData(
  trials: readonly TrialRecord[],
  direction: StudyDirection,
  systemAttrs: Readonly<Record<string, JsonValue>>,
  options: LockboxDataOptions = {},
): LockboxChartData {
  const points = bestSoFar(trials, direction);
  // A step line changes only where the best improves; the last trial carries it to the end.
  const steps = points.filter((p, i): p is typeof p & { best: number } => p.best !== null && (p.improved || i === points.length - 1));
  const incumbent = downsample(steps, options.maxPoints ?? MAX_CHART_POINTS, (p) => p.improved).map((p) => ({
    trial: p.number,
    best: p.best,
  }));
  const record = lockboxRecord(systemAttrs);
  const looks: LookRow[] = [];
  for (const [i, look] of (record?.looks ?? []).entries()) {
    if (look.test === null || look.validation === null || !Number.isFinite(look.test) || !Number.isFinite(look.validation)) continue;
    const gap = direction === "maximize" ? look.validation - look.test : look.test - look.validation;
    looks.push({ look: i + 1, trial: look.trialNumber, validation: look.validation, test: look.test, gap, at: look.at });
  }
  return { incumbent, looks, lookCount: record?.looks.length ?? 0, testRows: record?.testRows ?? null };
}

export interface LockboxSpecOptions extends ChartOptions {
  /** Study name for the title. */
  study?: string;
  /** Axis title of the objective (default "Objective value"). */
  valueTitle?: string;
}

const INCUMBENT = "Best validation value so far";
const VALIDATION = "Validation value of the scored trial";
const TEST = "Test score (locked test set)";

/** "+0.0213", "−0.004": the gap with its sign, to 3 significant digits. */
export function gapLabel(gap: number): string {
  const text = String(Number(Math.abs(gap).toPrecision(3)));
  return `gap ${gap > 0 ? "+" : gap < 0 ? "−" : ""}${text}`;
}

export function lockboxSpec(data: LockboxChartData, options: LockboxSpecOptions = {}): ChartSpec {
  const title = titled("Validation against test", options.study);
  if (data.looks.length === 0) {
    const why =
      data.testRows === null
        ? "No locked test set: lockbox(data, { study }) makes one, study.evaluateTest scores on it."
        : `No score from the locked test set yet (${data.testRows} rows): study.evaluateTest records one.`;
    return emptySpec(title, why, options);
  }
  const valueTitle = vegaText(options.valueTitle ?? "Objective value");
  const y = { type: "quantitative" as const, title: valueTitle, scale: { zero: false } };
  const x = { field: "trial", type: "quantitative" as const, title: "Trial", axis: countAxis(), scale: { zero: true } };
  const domain = [INCUMBENT, VALIDATION, TEST];
  const looks = data.looks.map((l) => ({ ...l, label: gapLabel(l.gap) }));
  // One label per trial scored (the latest look's): repeated looks at one trial would print over each other.
  const labelled = [...new Map(looks.map((l) => [l.trial, l])).values()];
  // Colour and shape on one field share one legend: a line, a ring, a diamond.
  const series = {
    color: {
      field: "series",
      type: "nominal" as const,
      scale: { domain, range: ["#4c78a8", "#72b7b2", "#e45756"] },
      legend: wholeLegend(domain.length),
    },
    shape: {
      field: "series",
      type: "nominal" as const,
      scale: { domain, range: ["stroke", "circle", "diamond"] },
      legend: wholeLegend(domain.length),
    },
  };
  const tooltip = [
    { field: "look", type: "quantitative", title: "Look" },
    { field: "trial", type: "quantitative", title: "Trial" },
    { field: "validation", type: "quantitative", title: "Validation", format: ".4~g" },
    { field: "test", type: "quantitative", title: "Test", format: ".4~g" },
    { field: "gap", type: "quantitative", title: "Gap (validation better by)", format: "+.3~g" },
    { field: "at", type: "nominal", title: "Looked at" },
  ];
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    encoding: { x },
    layer: [
      {
        data: { values: data.incumbent.map((r) => ({ ...r, series: INCUMBENT })) },
        mark: { type: "line", interpolate: "step-after" },
        // No shape here: a line with a shape gets a point at every vertex.
        encoding: { y: { field: "best", ...y }, color: series.color },
      },
      {
        data: { values: looks },
        mark: { type: "rule", strokeDash: [3, 3], color: "#888" },
        encoding: { y: { field: "validation", ...y }, y2: { field: "test" } },
      },
      {
        data: { values: looks.map((l) => ({ ...l, series: VALIDATION })) },
        mark: { type: "point", size: 70, strokeWidth: 2, tooltip: true },
        encoding: { y: { field: "validation", ...y }, ...series, tooltip },
      },
      {
        data: { values: looks.map((l) => ({ ...l, series: TEST })) },
        mark: { type: "point", filled: true, size: 90, tooltip: true },
        encoding: { y: { field: "test", ...y }, ...series, tooltip },
      },
      {
        data: { values: labelled },
        mark: { type: "text", align: "left", dx: 8, fontSize: 11, color: "#333" },
        encoding: {
          // Halfway between the two values: the label names the distance it sits on.
          y: { field: "middle", ...y },
          text: { field: "label", type: "nominal" },
        },
        transform: [{ calculate: "(datum.validation + datum.test) / 2", as: "middle" }],
      },
    ],
  } as ChartSpec;
}
