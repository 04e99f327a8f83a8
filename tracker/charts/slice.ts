import type { TrialRecord } from "../../core/records.js";
import { completedWithValue, downsample, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { hasParam } from "../analysis/trial-params.js";
import {
  type AxisKind,
  allIntegers,
  axisKind,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  inOrder,
  nameLabels,
  titled,
  VEGA_LITE_SCHEMA,
  vegaText,
} from "./common.js";

/** Slice plot: the objective against each parameter, one panel per parameter (log axes for log parameters). */

export interface SliceParam {
  name: string;
  axis: AxisKind;
  /** Categorical choices in their declared order (as text). */
  choices?: string[];
}

export interface SliceRow {
  /** Parameter name (a data value, never a field name). */
  param: string;
  number: number;
  value: number;
  /** Numeric parameter value; null for categoricals. */
  x: number | null;
  /** Categorical choice as text; null for numeric parameters. */
  label: string | null;
}

export interface SliceData {
  params: SliceParam[];
  rows: SliceRow[];
}

export interface SliceDataOptions {
  /** Parameters to show (default: every parameter of the COMPLETE trials, sorted by name). */
  params?: readonly string[];
  /** Cap on the rows over all panels (default 5,000). */
  maxPoints?: number;
}

export function sliceData(trials: readonly TrialRecord[], options: SliceDataOptions = {}): SliceData {
  const complete = completedWithValue(trials);
  const distributionOf = new Map<string, TrialRecord["distributions"][string]>();
  for (const t of complete) for (const [name, d] of Object.entries(t.distributions)) if (hasParam(t, name)) distributionOf.set(name, d);
  const names = options.params ? options.params.filter((p) => distributionOf.has(p)) : [...distributionOf.keys()].sort();
  const perParam = Math.max(1, Math.floor((options.maxPoints ?? MAX_CHART_POINTS) / Math.max(1, names.length)));
  const params: SliceParam[] = [];
  const rows: SliceRow[] = [];
  for (const name of names) {
    const d = distributionOf.get(name)!;
    const axis = axisKind(d);
    params.push(
      d.name === "CategoricalDistribution" ? { name, axis, choices: d.attributes.choices.map((c) => String(c)) } : { name, axis },
    );
    const own = complete.filter((t) => hasParam(t, name));
    for (const t of downsample(own, perParam)) {
      const v = t.params[name];
      const categorical = axis === "categorical";
      rows.push({
        param: name,
        number: t.number,
        value: t.value as number,
        x: categorical ? null : (v as number),
        label: categorical ? String(v) : null,
      });
    }
  }
  return { params, rows };
}

export interface SliceSpecOptions extends ChartOptions {
  study?: string;
  valueTitle?: string;
  /** Panels per row (default 3). */
  columns?: number;
}

export function sliceSpec(data: SliceData, options: SliceSpecOptions = {}): ChartSpec {
  const valueTitle = vegaText(options.valueTitle ?? "Objective value");
  const width = options.width ?? 220;
  const height = options.height ?? 200;
  // Panels filter their rows by index: a parameter name in a filter would go through Vega's expression parser.
  const panelOf = new Map(data.params.map((p, i) => [p.name, i]));
  const panels = data.params.map((p, panel) => {
    const title = vegaText(p.name);
    const labels = () => data.rows.filter((r) => r.param === p.name && r.label !== null).map((r) => r.label as string);
    const choices = [...new Set([...(p.choices ?? []), ...labels()])];
    const x =
      p.axis === "categorical"
        ? {
            field: "label",
            type: "nominal" as const,
            title,
            ...inOrder(choices),
            axis: nameLabels(choices, width / Math.max(1, choices.length)),
          }
        : {
            field: "x",
            type: "quantitative" as const,
            title,
            scale: p.axis === "log" ? { type: "log" as const } : { zero: false },
            // Log axes: few labels, in short form (1e-6, 0.001, 1); integer parameters: integer ticks.
            ...(p.axis === "log"
              ? { axis: { format: "~g", tickCount: 5, labelOverlap: true, grid: false } }
              : allIntegers(data.rows.filter((r) => r.param === p.name).map((r) => r.x))
                ? { axis: countAxis() }
                : {}),
          };
    return {
      width,
      height,
      transform: [{ filter: { field: "panel", equal: panel } }],
      mark: { type: "point" as const, filled: true, opacity: 0.6, tooltip: true },
      encoding: {
        x,
        y: { field: "value", type: "quantitative" as const, title: valueTitle, scale: { zero: false } },
        color: {
          field: "number",
          type: "quantitative" as const,
          title: "Trial",
          scale: { scheme: "blues" },
          legend: { format: "d", tickMinStep: 1 },
        },
        tooltip: [
          { field: "number", type: "quantitative" as const, title: "Trial" },
          {
            field: p.axis === "categorical" ? "label" : "x",
            type: p.axis === "categorical" ? ("nominal" as const) : ("quantitative" as const),
            title,
          },
          { field: "value", type: "quantitative" as const, title: valueTitle },
        ],
      },
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: vegaText(options.title ?? titled("Slice plot", options.study)),
    data: { values: data.rows.map((r) => ({ ...r, panel: panelOf.get(r.param) })) },
    columns: options.columns ?? 3,
    concat: panels,
    resolve: { scale: { x: "independent" } },
  };
}
