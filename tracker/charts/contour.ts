import { show, ValueError } from "../../core/errors.js";
import type { DistributionJson, StudyDirection, TrialRecord } from "../../core/records.js";
import type { ImportanceResult } from "../analysis/importance.js";
import { completedWithValue, downsample, gridMeans, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { hasParam, paramDistribution } from "../analysis/trial-params.js";
import {
  type AxisKind,
  allIntegers,
  axisKind,
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  emptySpec,
  inOrder,
  nameLabels,
  titled,
  vegaText,
} from "./common.js";

/**
 * Contour of two parameters: the mean objective in the cells of a grid over the two
 * (log-spaced bins for log parameters, one band per choice for categoricals), with the
 * trials on top. By default the two most important parameters.
 */

export interface ContourAxis {
  name: string;
  axis: AxisKind;
  /** Bin edges in raw units (numeric axes). */
  edges?: number[];
  /** Choices as text (categorical axes). */
  choices?: string[];
}

export interface ContourCell {
  /** Numeric axis: the cell's raw range; categorical axis: its choice. */
  x0: number | null;
  x1: number | null;
  xLabel: string | null;
  y0: number | null;
  y1: number | null;
  yLabel: string | null;
  mean: number;
  count: number;
  best: number;
}

export interface ContourPoint {
  number: number;
  x: number | null;
  xLabel: string | null;
  y: number | null;
  yLabel: string | null;
  value: number;
}

export interface ContourData {
  x: ContourAxis | null;
  y: ContourAxis | null;
  cells: ContourCell[];
  points: ContourPoint[];
}

export interface ContourDataOptions {
  /** The two parameters [x, y] (default: the two most important when `importance` is given, else the first two by name). */
  params?: readonly [string, string];
  /** Importance result to pick the two most important parameters from. */
  importance?: ImportanceResult;
  /** Bins per numeric axis (default: √(trials), between 5 and 20). */
  bins?: number;
  direction?: StudyDirection;
  /** Cap on trial points drawn over the cells (default 5,000 minus the cells). */
  maxPoints?: number;
}

interface Binner {
  axis: ContourAxis;
  /** Bin index of a raw value and its cell description. */
  bin: (v: unknown) => number;
  cell: (index: number) => { lo: number | null; hi: number | null; label: string | null };
  point: (v: unknown) => { value: number | null; label: string | null };
}

function binner(name: string, d: DistributionJson, values: readonly unknown[], bins: number): Binner {
  const axis = axisKind(d);
  if (d.name === "CategoricalDistribution") {
    const choices = d.attributes.choices.map((c) => String(c));
    return {
      axis: { name, axis, choices },
      bin: (v) => Math.max(0, choices.indexOf(String(v))),
      cell: (i) => ({ lo: null, hi: null, label: choices[i] }),
      point: (v) => ({ value: null, label: String(v) }),
    };
  }
  const log = axis === "log";
  const f = (x: number) => (log ? Math.log(x) : x);
  const numbers = values as number[];
  if (d.name === "IntDistribution" && !log) {
    // Few integers (up to 20, or `bins`): one cell per value, centred on it.
    const step = d.attributes.step;
    const first = Math.min(...numbers);
    const count = Math.round((Math.max(...numbers) - first) / step) + 1;
    if (count <= Math.max(bins, 20)) {
      const edges = Array.from({ length: count + 1 }, (_, i) => first + (i - 0.5) * step);
      return {
        axis: { name, axis, edges },
        bin: (v) => Math.min(count - 1, Math.max(0, Math.round(((v as number) - first) / step))),
        cell: (i) => ({ lo: edges[i], hi: edges[i + 1], label: null }),
        point: (v) => ({ value: v as number, label: null }),
      };
    }
  }
  const lo = f(Math.min(...numbers));
  const hi = f(Math.max(...numbers));
  const n = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / n : 1;
  const start = hi > lo ? lo : lo - 0.5;
  const edges = Array.from({ length: n + 1 }, (_, i) => (log ? Math.exp(start + i * width) : start + i * width));
  return {
    axis: { name, axis, edges },
    bin: (v) => Math.min(n - 1, Math.max(0, Math.floor((f(v as number) - start) / width))),
    cell: (i) => ({ lo: edges[i], hi: edges[i + 1], label: null }),
    point: (v) => ({ value: v as number, label: null }),
  };
}

/** The two most important parameters of an importance result (fewer if it has fewer). */
export function mostImportantPair(importance: ImportanceResult): string[] {
  return importance.importances.slice(0, 2).map((p) => p.name);
}

export function contourData(trials: readonly TrialRecord[], options: ContourDataOptions = {}): ContourData {
  const complete = completedWithValue(trials);
  const bins = options.bins ?? Math.min(20, Math.max(5, Math.round(Math.sqrt(complete.length))));
  if (!Number.isInteger(bins) || bins < 1 || bins > 200)
    throw new ValueError(`contourData: bins must be an integer from 1 to 200, got ${show(bins)}.`);
  let pair: string[];
  if (options.params) pair = [...options.params];
  else if (options.importance) pair = mostImportantPair(options.importance);
  else
    pair = complete.length
      ? Object.keys(complete[complete.length - 1].params)
          .sort()
          .slice(0, 2)
      : [];
  if (pair.length < 2 || pair[0] === pair[1]) return { x: null, y: null, cells: [], points: [] };
  const [xName, yName] = pair;
  const used = complete.filter((t) => [xName, yName].every((name) => hasParam(t, name) && paramDistribution(t, name) !== undefined));
  if (used.length === 0) return { x: null, y: null, cells: [], points: [] };
  const last = used[used.length - 1];
  const bx = binner(
    xName,
    paramDistribution(last, xName)!,
    used.map((t) => t.params[xName]),
    bins,
  );
  const by = binner(
    yName,
    paramDistribution(last, yName)!,
    used.map((t) => t.params[yName]),
    bins,
  );
  const grid = gridMeans(
    used.map((t) => bx.bin(t.params[xName])),
    used.map((t) => by.bin(t.params[yName])),
    used.map((t) => t.value as number),
  );
  const minimize = (options.direction ?? "minimize") === "minimize";
  const cells = grid.map((g) => {
    const cx = bx.cell(g.i);
    const cy = by.cell(g.j);
    return {
      x0: cx.lo,
      x1: cx.hi,
      xLabel: cx.label,
      y0: cy.lo,
      y1: cy.hi,
      yLabel: cy.label,
      mean: g.mean,
      count: g.count,
      best: minimize ? g.min : g.max,
    };
  });
  const room = Math.max(1, (options.maxPoints ?? MAX_CHART_POINTS) - cells.length);
  const points = downsample(used, room).map((t) => {
    const px = bx.point(t.params[xName]);
    const py = by.point(t.params[yName]);
    return { number: t.number, x: px.value, xLabel: px.label, y: py.value, yLabel: py.label, value: t.value as number };
  });
  return { x: bx.axis, y: by.axis, cells, points };
}

export interface ContourSpecOptions extends ChartOptions {
  study?: string;
  direction?: StudyDirection;
  valueTitle?: string;
}

/** The encodings of one axis; `labels` are the categorical labels the points carry (a stored value may lie outside the choices). */
function positional(axis: ContourAxis, channel: "x" | "y", points: readonly ContourPoint[], room: number) {
  const labels = points.map((p) => (channel === "x" ? p.xLabel : p.yLabel));
  const title = vegaText(axis.name);
  if (axis.axis === "categorical") {
    const choices = [...new Set([...(axis.choices ?? []), ...labels.filter((l): l is string => l !== null)])];
    const labelAxis = channel === "x" ? nameLabels(choices, room / choices.length) : { labelLimit: 0 };
    const field = { field: `${channel}Label`, type: "nominal" as const, title, ...inOrder(choices), axis: labelAxis };
    return { cell: { [channel]: field }, point: { [channel]: field } };
  }
  const edges = axis.edges ?? [];
  const domain: [number, number] = [edges[0], edges[edges.length - 1]];
  const scale = axis.axis === "log" ? { type: "log" as const, domain, nice: false } : { zero: false, nice: false, domain };
  // An integer parameter's axis: integer ticks (a log axis keeps Vega's own).
  const integer = axis.axis === "linear" && allIntegers(points.map((p) => p[channel]));
  const ticks = integer ? { axis: countAxis() } : {};
  const field = { field: `${channel}0`, type: "quantitative" as const, title, scale, ...ticks };
  return {
    cell: { [channel]: field, [`${channel}2`]: { field: `${channel}1` } },
    point: { [channel]: { field: channel, type: "quantitative" as const, title, scale, ...ticks } },
  };
}

export function contourSpec(data: ContourData, options: ContourSpecOptions = {}): ChartSpec {
  const title = titled("Contour", options.study);
  if (data.x === null || data.y === null) return emptySpec(title, "Needs two parameters set by completed trials.", options);
  const valueName = options.valueTitle ?? "Objective value";
  const valueTitle = vegaText(valueName);
  const width = options.width ?? 420;
  const px = positional(data.x, "x", data.points, width);
  const py = positional(data.y, "y", data.points, width);
  const reverse = (options.direction ?? "minimize") === "minimize";
  return {
    ...base(`${title}: ${data.x.name} × ${data.y.name}`, options, 420, 360),
    datasets: { cells: data.cells.map((c) => ({ ...c })), points: data.points.map((p) => ({ ...p })) },
    layer: [
      {
        data: { name: "cells" },
        mark: { type: "rect", tooltip: true },
        encoding: {
          ...px.cell,
          ...py.cell,
          color: {
            field: "mean",
            type: "quantitative",
            // Two lines, so a long objective name widens the legend no more than it must.
            title: ["Mean", vegaText(valueName)],
            scale: { scheme: "viridis", reverse },
            legend: { titleLimit: 0 },
          },
          tooltip: [
            { field: "mean", type: "quantitative", title: "Mean", format: ".4~g" },
            { field: "best", type: "quantitative", title: "Best", format: ".4~g" },
            { field: "count", type: "quantitative", title: "Trials" },
          ],
        },
      },
      {
        data: { name: "points" },
        mark: { type: "point", size: 12, color: "#222", opacity: 0.6, tooltip: true },
        encoding: {
          ...px.point,
          ...py.point,
          tooltip: [
            { field: "number", type: "quantitative", title: "Trial" },
            { field: "value", type: "quantitative", title: valueTitle },
          ],
        },
      },
    ],
  } as ChartSpec;
}
