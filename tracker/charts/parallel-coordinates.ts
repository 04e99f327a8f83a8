import type { DistributionJson, StudyDirection, TrialRecord } from "../../core/records.js";
import { completedWithValue, downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { hasParam, paramDistribution } from "../analysis/trial-params.js";
import {
  type AxisKind,
  axisKind,
  base,
  type ChartOptions,
  type ChartSpec,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  nameLabels,
  titled,
  vegaText,
} from "./common.js";

/**
 * Parallel coordinates: one polyline per trial across normalised parameter axes and
 * the objective. Axes are keyed `p0`, `p1`, … in the rows (safe field names); their
 * names travel in a separate table joined by a lookup, so any parameter name works.
 */

export interface ParallelAxis {
  /** Field of the normalised position in the rows (`p<i>`); the raw value is in `r<i>`. */
  key: string;
  name: string;
  axis: AxisKind;
  /** Position of the axis, left to right. */
  order: number;
  /** Labels along the axis: raw value as text at a normalised position. */
  ticks: { norm: number; text: string }[];
}

export type ParallelRow = { number: number; value: number } & Record<string, number | string>;

export interface ParallelData {
  axes: ParallelAxis[];
  rows: ParallelRow[];
}

export interface ParallelDataOptions {
  /** Parameters to show (default: those every COMPLETE trial has, sorted by name). */
  params?: readonly string[];
  /** Title of the objective axis (default "Objective value"). */
  valueTitle?: string;
  /** Cap on points (lines × axes), default 5,000; the best trials are kept first. */
  maxPoints?: number;
  direction?: StudyDirection;
}

/** A tick's text, short enough to sit between two axes: 3 significant digits, exponent form below 0.001. */
const short = (x: number) =>
  Number.isInteger(x) && Math.abs(x) < 1e6
    ? String(x)
    : x !== 0 && Math.abs(x) < 1e-3
      ? Number(x.toPrecision(2)).toExponential()
      : Number(x.toPrecision(3)).toString();

export function parallelData(trials: readonly TrialRecord[], options: ParallelDataOptions = {}): ParallelData {
  let complete = completedWithValue(trials);
  const names = options.params ? [...options.params] : intersection(complete);
  complete = complete.filter((t) => names.every((n) => hasParam(t, n) && paramDistribution(t, n) !== undefined));
  if (complete.length === 0) return { axes: [], rows: [] };
  const last = complete[complete.length - 1];
  const distributions = new Map<string, DistributionJson>(names.map((n) => [n, paramDistribution(last, n)!]));

  const maxLines = Math.max(1, Math.floor((options.maxPoints ?? MAX_CHART_POINTS) / (names.length + 1)));
  const sign = (options.direction ?? "minimize") === "minimize" ? 1 : -1;
  const best = new Set([...complete].sort((a, b) => sign * ((a.value as number) - (b.value as number))).slice(0, Math.ceil(maxLines / 10)));
  const kept = downsample(complete, maxLines, (t) => best.has(t));

  const axes: ParallelAxis[] = [];
  const columns: ((t: TrialRecord) => { norm: number; raw: number | string })[] = [];
  names.forEach((name, i) => {
    const d = distributions.get(name)!;
    const kind = axisKind(d);
    if (d.name === "CategoricalDistribution") {
      const labels = d.attributes.choices.map((c) => String(c));
      const position = (index: number) => (labels.length === 1 ? 0.5 : index / (labels.length - 1));
      axes.push({ key: `p${i}`, name, axis: kind, order: i, ticks: labels.map((text, k) => ({ norm: position(k), text })) });
      columns.push((t) => {
        const index = labels.indexOf(String(t.params[name]));
        return { norm: position(Math.max(0, index)), raw: String(t.params[name]) };
      });
    } else {
      const f = kind === "log" ? Math.log : (x: number) => x;
      const values = kept.map((t) => t.params[name] as number);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const norm = (x: number) => (hi === lo ? 0.5 : (f(x) - f(lo)) / (f(hi) - f(lo)));
      axes.push({
        key: `p${i}`,
        name,
        axis: kind,
        order: i,
        ticks:
          hi === lo
            ? [{ norm: 0.5, text: short(lo) }]
            : [
                { norm: 0, text: short(lo) },
                { norm: 1, text: short(hi) },
              ],
      });
      columns.push((t) => ({ norm: norm(t.params[name] as number), raw: t.params[name] as number }));
    }
  });
  const values = kept.map((t) => t.value as number);
  const vlo = Math.min(...values);
  const vhi = Math.max(...values);
  const objectiveName = uniqueName(options.valueTitle ?? "Objective value", names);
  const k = names.length;
  axes.push({
    key: `p${k}`,
    name: objectiveName,
    axis: "linear",
    order: k,
    ticks:
      vhi === vlo
        ? [{ norm: 0.5, text: short(vlo) }]
        : [
            { norm: 0, text: short(vlo) },
            { norm: 1, text: short(vhi) },
          ],
  });
  columns.push((t) => ({ norm: vhi === vlo ? 0.5 : ((t.value as number) - vlo) / (vhi - vlo), raw: t.value as number }));

  const rows = kept.map((t) => {
    const row: ParallelRow = { number: t.number, value: t.value as number };
    columns.forEach((column, i) => {
      const { norm, raw } = column(t);
      row[`p${i}`] = norm;
      row[`r${i}`] = raw;
    });
    return row;
  });
  return { axes, rows };
}

function intersection(trials: readonly TrialRecord[]): string[] {
  if (trials.length === 0) return [];
  return Object.keys(trials[0].params)
    .filter((n) => trials.every((t) => hasParam(t, n) && paramDistribution(t, n) !== undefined))
    .sort();
}

function uniqueName(name: string, taken: readonly string[]): string {
  let candidate = name;
  while (taken.includes(candidate)) candidate = `${candidate} (objective)`;
  return candidate;
}

/** The widest the chart grows to (default width: 110 pixels an axis, from 560 up to this). */
const MAX_WIDTH = 880;

export interface ParallelSpecOptions extends ChartOptions {
  study?: string;
  direction?: StudyDirection;
  /** Title of the colour legend, the objective (default: the objective axis's name). */
  valueTitle?: string;
}

export function parallelSpec(data: ParallelData, options: ParallelSpecOptions = {}): ChartSpec {
  const title = titled("Parallel coordinates", options.study);
  if (data.rows.length === 0) return emptySpec(title, "No completed trial has all the parameters yet.", options);
  const keys = data.axes.map((a) => a.key);
  const axisRows = data.axes.map(({ key, name, order }) => ({ key, name, order }));
  const tickRows = data.axes.flatMap((a) =>
    a.ticks.map((t) => ({ key: a.key, name: a.name, order: a.order, norm: t.norm, text: t.text, categorical: a.axis === "categorical" })),
  );
  // Wide enough for every axis, narrow enough for a notebook: many axes slant their names.
  const width = options.width ?? Math.min(MAX_WIDTH, Math.max(DEFAULT_WIDTH, 110 * data.axes.length));
  const names = data.axes.map((a) => a.name);
  const valueTitle = vegaText(options.valueTitle ?? names[names.length - 1]);
  const x = {
    field: "name",
    type: "nominal" as const,
    sort: { field: "order" },
    title: null,
    axis: { ...nameLabels(names, width / names.length), domain: false, ticks: false, orient: "bottom" as const },
  };
  const y = { type: "quantitative" as const, axis: null, scale: { domain: [0, 1] as [number, number] } };
  return {
    ...base(title, options, width, DEFAULT_HEIGHT),
    datasets: { lines: data.rows.map((r) => ({ ...r })), axes: axisRows, ticks: tickRows },
    layer: [
      {
        data: { name: "axes" },
        mark: { type: "rule", color: "#999" },
        encoding: { x, y: { datum: 0, ...y }, y2: { datum: 1 } },
      },
      {
        data: { name: "lines" },
        transform: [
          { fold: keys, as: ["key", "norm"] },
          { lookup: "key", from: { data: { name: "axes" }, key: "key", fields: ["name", "order"] } },
          // the raw value of the axis: field r<i> for key p<i> (our own field names only)
          { calculate: "datum['r' + substring(datum.key, 1)]", as: "raw" },
        ],
        mark: { type: "line", opacity: 0.5, strokeWidth: 1.2 },
        encoding: {
          x,
          y: { field: "norm", ...y },
          detail: { field: "number", type: "nominal" },
          color: {
            field: "value",
            type: "quantitative",
            title: valueTitle,
            scale: { scheme: "viridis", reverse: (options.direction ?? "minimize") === "minimize" },
            legend: { titleLimit: 0, orient: "bottom" as const, direction: "horizontal" as const },
          },
          tooltip: [
            { field: "number", type: "quantitative", title: "Trial" },
            { field: "name", type: "nominal", title: "Axis" },
            { field: "raw", type: "nominal", title: "Value" },
            { field: "value", type: "quantitative", title: valueTitle },
          ],
        },
      },
      // Numbers are short (`short`); a long choice stops before the next axis with "…" (the tooltip has it whole).
      ...[false, true].map((categorical) => ({
        data: { name: "ticks" },
        transform: [{ filter: { field: "categorical", equal: categorical } }],
        mark: {
          type: "text" as const,
          align: "left" as const,
          dx: 4,
          fontSize: 10,
          color: "#333",
          ...(categorical ? { limit: Math.max(40, width / data.axes.length - 2) } : {}),
        },
        encoding: { x, y: { field: "norm", ...y }, text: { field: "text", type: "nominal" as const } },
      })),
    ],
  };
}
