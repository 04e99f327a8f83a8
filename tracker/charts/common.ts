import type { TopLevelSpec } from "vega-lite";
import type { DistributionJson, TrialState } from "../../core/records.js";

/**
 * What every chart shares. Each chart file has a pure `…Data` function (trials →
 * rows, testable without a browser) and a `…Spec` function (rows → Vega-Lite spec).
 *
 * User-supplied names (studies, parameters, features) never become field names: rows
 * use fixed keys, and names travel as data values or titles, which Vega renders as
 * text. Where a caller must use a user name as a field, `escapeField` makes it safe
 * (Vega-Lite reads `.` and `[` in a field as nested access).
 */

export type ChartSpec = TopLevelSpec;

/** The schema every spec declares: the Vega-Lite the UI draws with (vega-lite 6, from node_modules). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * Mime type of a Vega-Lite spec in Jupyter. JupyterLab 4 and Notebook 7 render the
 * vegalite v3, v4 and v5 mime types only, with vega-lite 5; there is no v6 renderer,
 * so the notebook sends v5 (see kernel/display/vega.ts).
 */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

export interface ChartOptions {
  /** Chart title (default: the chart's name, with the study's if given). */
  title?: string;
  /** Width of the plotting area in pixels (default per chart). */
  width?: number;
  /** Height of the plotting area in pixels (default per chart). */
  height?: number;
}

export const DEFAULT_WIDTH = 560;
export const DEFAULT_HEIGHT = 320;

/** Colours of trial states, the same in every chart. */
export const STATE_COLORS: Record<TrialState, string> = {
  COMPLETE: "#4c78a8",
  PRUNED: "#f58518",
  FAIL: "#e45756",
  RUNNING: "#54a24b",
  WAITING: "#bab0ac",
};

export const STATE_SCALE = {
  domain: Object.keys(STATE_COLORS),
  range: Object.values(STATE_COLORS),
};

/**
 * A title Vega draws as given. Vega's expression parser reads a whole string literal
 * that names a property every object inherits (`toString`, `constructor`,
 * `__proto__`, …) or the keyword `if` as an identifier, and the chart then fails or
 * shows an empty title; such a text gets an invisible zero-width space appended.
 */
export function vegaText(text: string): string {
  return text in Object.prototype || text === "if" ? `${text}\u200B` : text;
}

/**
 * Nominal values shown in this order (axis, legend, colours). An explicit domain is
 * data to Vega, safe for any text; a `sort` array would go through its expression
 * parser (see `vegaText`).
 */
export function inOrder(values: Iterable<string>): { scale: { domain: string[] } } {
  return { scale: { domain: [...new Set(values)] } };
}

/** A field name that Vega-Lite reads literally: `.`, `[`, `]` and `\` escaped. */
export function escapeField(name: string): string {
  return name.replace(/[\\.[\]]/g, (c) => `\\${c}`);
}

/** "Title — study" when a study name is given. */
export function titled(base: string, study?: string): string {
  return study ? `${base} — ${study}` : base;
}

/** The scale a parameter's axis should use. */
export type AxisKind = "linear" | "log" | "categorical";

export function axisKind(d: DistributionJson): AxisKind {
  if (d.name === "CategoricalDistribution") return "categorical";
  return d.attributes.log ? "log" : "linear";
}

/** The top-level skeleton shared by every spec. */
export function base(title: string, options: ChartOptions, width: number, height: number) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: vegaText(options.title ?? title),
    width: options.width ?? width,
    height: options.height ?? height,
  } as const;
}

/** A chart with nothing to show yet: its title and a short message in the plot area. */
export function emptySpec(title: string, message: string, options: ChartOptions = {}): TopLevelSpec {
  return {
    ...base(title, options, DEFAULT_WIDTH, 80),
    data: { values: [{ message }] },
    mark: { type: "text", fontSize: 13, color: "#666" },
    encoding: { text: { field: "message", type: "nominal" } },
  };
}
