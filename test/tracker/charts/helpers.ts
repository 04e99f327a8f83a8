import assert from "node:assert/strict";
import {
  type DistributionJson,
  emptyCounts,
  type ParamValue,
  type StudyDirection,
  type StudySummary,
  type TrialRecord,
  type TrialState,
} from "../../../core/records.js";
import { type ChartSpec, VEGA_LITE_SCHEMA } from "../../../tracker/charts/common.js";
import { compileToVega, renderSvg } from "../../../tracker/charts/render.js";

export const float = (low: number, high: number, log = false): DistributionJson => ({
  name: "FloatDistribution",
  attributes: { low, high, log, step: null },
});
export const int = (low: number, high: number, step = 1): DistributionJson => ({
  name: "IntDistribution",
  attributes: { low, high, log: false, step },
});
export const cat = (...choices: (string | number | boolean | null)[]): DistributionJson => ({
  name: "CategoricalDistribution",
  attributes: { choices },
});

export function rec(
  number: number,
  state: TrialState,
  value: number | null,
  params: Record<string, [DistributionJson, ParamValue]> = {},
  extra: Partial<TrialRecord> = {},
): TrialRecord {
  return {
    trialId: number + 100,
    number,
    state,
    params: Object.fromEntries(Object.entries(params).map(([k, [, v]]) => [k, v])),
    distributions: Object.fromEntries(Object.entries(params).map(([k, [d]]) => [k, d])),
    value,
    values: value === null ? null : [value],
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
    ...extra,
  };
}

/** Number of marks of one kind in a rendered SVG (by Vega's ARIA role description). */
export function countMarks(
  svg: string,
  description: "point" | "bar" | "rect mark" | "line mark" | "rule mark" | "text mark" | "box" | "tick",
): number {
  return svg.split(`role="graphics-symbol" aria-roledescription="${description}"`).length - 1;
}

function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  if (value !== null && typeof value === "object") return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
  return false;
}

/** The checks every chart passes: schema, title, size, tooltips; compiles with vega-lite; renders to SVG with vega. */
export async function checkSpec(spec: ChartSpec, options: { tooltips?: boolean } = {}): Promise<string> {
  const s = spec as unknown as Record<string, unknown>;
  assert.equal(s.$schema, VEGA_LITE_SCHEMA);
  assert.ok(typeof s.title === "string" && s.title.length > 0, "has a title");
  const sized = (o: Record<string, unknown>) => typeof o.width === "number" && typeof o.height === "number";
  const inner = [s, s.spec, ...((s.concat as unknown[]) ?? [])].filter(
    (o): o is Record<string, unknown> => o !== null && typeof o === "object",
  );
  assert.ok(inner.some(sized), "has a width and a height");
  if (options.tooltips ?? true) assert.ok(hasKey(spec, "tooltip"), "has tooltips");
  const vega = (await compileToVega(spec)) as { $schema?: string };
  assert.match(String(vega.$schema), /vega\/v\d/);
  const svg = await renderSvg(spec);
  assert.ok(svg.startsWith("<svg"), "renders an SVG");
  return svg;
}

/** Number of data values a spec ships (inline data and named datasets). */
export function shippedPoints(spec: ChartSpec): number {
  const s = spec as { data?: { values?: unknown[] }; datasets?: Record<string, unknown[]> };
  return (s.data?.values?.length ?? 0) + Object.values(s.datasets ?? {}).reduce((n, d) => n + d.length, 0);
}

/** A study summary with the given name and direction (counts and bests left empty). */
export function summary(name: string, direction: StudyDirection = "maximize"): StudySummary {
  return {
    studyId: name.length,
    name,
    direction,
    directions: [direction],
    experiment: "exp",
    userAttrs: {},
    systemAttrs: {},
    counts: emptyCounts(),
    bestValue: null,
    bestTrialNumber: null,
    datetimeStart: null,
    lastActivity: null,
  };
}
