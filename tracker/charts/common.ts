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

/** Colours of trial states, the same in every chart and (as a dot) in the pages' tables. */
export const STATE_COLORS: Record<TrialState, string> = {
  COMPLETE: "#4c78a8",
  PRUNED: "#f58518",
  FAIL: "#e45756",
  RUNNING: "#54a24b",
  WAITING: "#bab0ac",
};

/**
 * The colour scale of trial states for the states a chart shows, in `STATE_COLORS`'s order:
 * each state keeps its colour, and the legend lists only what is drawn (default: every state).
 */
export function stateScale(present: Iterable<TrialState> = Object.keys(STATE_COLORS) as TrialState[]): {
  domain: TrialState[];
  range: string[];
} {
  const shown = new Set(present);
  const states = (Object.keys(STATE_COLORS) as TrialState[]).filter((s) => shown.has(s));
  return { domain: states, range: states.map((s) => STATE_COLORS[s]) };
}

/**
 * Colours of studies: the i-th study of a comparison gets the i-th colour, on every chart
 * that draws several studies (Vega's tableau10, then two more, enough for the twelve
 * studies a comparison takes at most; a longer list starts over).
 */
export const STUDY_PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
  "#1f3b73",
  "#8c6d31",
] as const;

/**
 * The colour scale of a chart of several studies: `studies` is the comparison's order (the
 * order the studies were chosen in), so a study has the same colour on each of its charts;
 * names in `extra` not among them (a chart's own rows) follow. Names travel as data (see `inOrder`).
 */
export function studyColors(studies: readonly string[], extra: Iterable<string> = []): { domain: string[]; range: string[] } {
  const domain = [...new Set([...studies, ...extra])];
  return { domain, range: domain.map((_, i) => STUDY_PALETTE[i % STUDY_PALETTE.length]) };
}

/**
 * A legend whose labels are never cut short: below the plot, one entry a line (in two or
 * three columns from seven or thirteen entries), so long names take height, not the width
 * the page or notebook lacks.
 */
export function wholeLegend(entries: number, title: string | null = null) {
  return {
    orient: "bottom" as const,
    direction: "vertical" as const,
    columns: entries > 12 ? 3 : entries > 6 ? 2 : 1,
    labelLimit: 0,
    titleLimit: 0,
    title: title === null ? null : vegaText(title),
  };
}

/** True when there are values and every one is an integer (an integer parameter's axis wants integer ticks). */
export function allIntegers(values: readonly (number | null)[]): boolean {
  return values.length > 0 && values.every((v) => v !== null && Number.isInteger(v));
}

/** An axis of counts (trials, steps): integer ticks only, printed as integers. */
export function countAxis(extra: Record<string, unknown> = {}) {
  return { tickMinStep: 1, format: "d", ...extra };
}

/**
 * Axis labels of names (categorical choices, studies) that neither overlap nor get cut
 * short: upright while the longest fits the room each label has (`room` pixels), else
 * slanted. Text width is estimated at 6.5 pixels a character (Vega's 10 px labels).
 */
export function nameLabels(names: readonly string[], room: number) {
  const longest = Math.max(0, ...names.map((n) => n.length)) * 6.5;
  return longest + 6 <= room ? { labelAngle: 0, labelLimit: 0 } : { labelAngle: -35, labelLimit: 0 };
}

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
