import type { JsonValue } from "../../core/records.js";
import { CONVERGENCE_ATTR, STOP_REASON_ATTR } from "../../tune/stopping/index.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  titled,
  wholeLegend,
} from "./common.js";

/**
 * Convergence of a study run with `stop: "converged"`: after each judged trial, the bound on
 * how much better the search space may still be (regret bound) against the noise of the
 * measurement (statistical error). Where the bound falls below the error the study stopped;
 * those trials are marked. Data: the study's system attribute "tunebook:convergence".
 */

export interface ConvergenceRow {
  trial: number;
  regretBound: number;
  error: number;
  /** The bound was below the error: the study stopped after this trial. */
  stopped: boolean;
}

export interface ConvergenceData {
  rows: ConvergenceRow[];
  /** Why a stop criterion last ended a run ("tunebook:stop_reason"), if one did. */
  stopReason: string | null;
}

/** The rows of a study's system attributes (`StudySummary.systemAttrs`); entries that are not finite numbers are left out. */
export function convergenceData(systemAttrs: Readonly<Record<string, JsonValue>>): ConvergenceData {
  const list = Object.hasOwn(systemAttrs, CONVERGENCE_ATTR) ? systemAttrs[CONVERGENCE_ATTR] : null;
  const rows: ConvergenceRow[] = [];
  for (const entry of Array.isArray(list) ? list : []) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    const { trial, regretBound, error } = entry;
    if (![trial, regretBound, error].every((v) => typeof v === "number" && Number.isFinite(v))) continue;
    const [t, bound, e] = [trial, regretBound, error] as number[];
    rows.push({ trial: t, regretBound: bound, error: e, stopped: bound < e });
  }
  rows.sort((a, b) => a.trial - b.trial);
  const reason = Object.hasOwn(systemAttrs, STOP_REASON_ATTR) ? systemAttrs[STOP_REASON_ATTR] : null;
  return { rows, stopReason: typeof reason === "string" ? reason : null };
}

export interface ConvergenceSpecOptions extends ChartOptions {
  /** Study name for the title. */
  study?: string;
}

const BOUND = "Regret bound";
const ERROR = "Statistical error";
const STOPPED = "Stopped (bound < error)";

/** True when every value is positive and the largest is at least 100 times the smallest: a log axis shows them all. */
export function spansDecades(values: readonly number[]): boolean {
  if (values.length === 0 || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) >= 100 * Math.min(...values);
}

export function convergenceSpec(data: ConvergenceData, options: ConvergenceSpecOptions = {}): ChartSpec {
  const title = titled("Convergence", options.study);
  if (data.rows.length === 0) {
    return emptySpec(title, 'No convergence checks yet: optimize with stop: "converged" records them.', options);
  }
  const log = spansDecades(data.rows.flatMap((r) => [r.regretBound, r.error]));
  const y = {
    type: "quantitative",
    title: "On the objective's scale",
    scale: log ? { type: "log" as const } : { zero: true },
  } as const;
  const values = data.rows.flatMap((r) => [
    { trial: r.trial, series: BOUND, value: r.regretBound, regretBound: r.regretBound, error: r.error },
    { trial: r.trial, series: ERROR, value: r.error, regretBound: r.regretBound, error: r.error },
  ]);
  const stops = data.rows.filter((r) => r.stopped);
  const tooltip = [
    { field: "trial", type: "quantitative", title: "Trial" },
    { field: "regretBound", type: "quantitative", title: BOUND, format: ".3~g" },
    { field: "error", type: "quantitative", title: ERROR, format: ".3~g" },
  ];
  const domain = stops.length > 0 ? [BOUND, ERROR, STOPPED] : [BOUND, ERROR];
  return {
    ...base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT),
    ...(data.stopReason ? { description: data.stopReason } : {}),
    encoding: { x: { field: "trial", type: "quantitative", title: "Trial", axis: countAxis(), scale: { zero: false, padding: 12 } } },
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true, tooltip: true },
        encoding: {
          y: { field: "value", ...y },
          color: {
            field: "series",
            type: "nominal",
            scale: { domain, range: ["#4c78a8", "#f58518", "#e45756"].slice(0, domain.length) },
            legend: { ...wholeLegend(domain.length), direction: "horizontal", columns: domain.length },
          },
          tooltip,
        },
      },
      ...(stops.length > 0
        ? [
            {
              data: { values: stops.map((r) => ({ ...r, series: STOPPED })) },
              mark: { type: "rule" as const, strokeDash: [4, 3], tooltip: true },
              encoding: { color: { field: "series", type: "nominal" as const }, tooltip },
            },
          ]
        : []),
    ],
  } as ChartSpec;
}
