import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, VEGA_LITE_SCHEMA, wholeLegend } from "./common.js";

/**
 * The variance a PCA's components explain: a bar per component (the scree) and the
 * cumulative share as a line over the same components, with an optional threshold (e.g.
 * 0.95) drawn as a rule and the number of components that reach it labelled.
 */

export interface ExplainedVarianceRow {
  /** 1-based component number. */
  component: number;
  /** Share of the variance this component explains. */
  ratio: number;
  /** Share explained by this component and the ones before it. */
  cumulative: number;
}

export interface ExplainedVarianceData {
  rows: ExplainedVarianceRow[];
  threshold: number | null;
  /** The fewest components whose cumulative share reaches the threshold; null when none does (or no threshold). */
  reached: number | null;
}

export interface ExplainedVarianceDataOptions {
  /** Share of variance to reach, in (0, 1] (default none). */
  threshold?: number;
}

/** Slack on the sum of the ratios (rounding in the decomposition). */
const SUM_TOLERANCE = 1e-6;

/** From a PCA's `explainedVarianceRatio` (shares in [0, 1], summing to at most 1, in component order). */
export function explainedVarianceData(
  explainedVarianceRatio: readonly number[],
  options: ExplainedVarianceDataOptions = {},
): ExplainedVarianceData {
  checkOptionKeys("explainedVarianceData", options, ["threshold"]);
  if (!Array.isArray(explainedVarianceRatio))
    throw new ValueError(`explainedVarianceData: explainedVarianceRatio must be an array of numbers, got ${show(explainedVarianceRatio)}.`);
  const threshold = options.threshold ?? null;
  if (threshold !== null && !(typeof threshold === "number" && threshold > 0 && threshold <= 1))
    throw new ValueError(`explainedVarianceData: threshold is ${show(threshold)}; give a share in (0, 1], e.g. 0.95.`);
  let cumulative = 0;
  const rows = explainedVarianceRatio.map((ratio, i) => {
    if (typeof ratio !== "number" || !Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      throw new ValueError(`explainedVarianceData: explainedVarianceRatio[${i}] is ${show(ratio)}; ratios are shares in [0, 1].`);
    cumulative += ratio;
    return { component: i + 1, ratio, cumulative };
  });
  if (cumulative > 1 + SUM_TOLERANCE)
    throw new ValueError(
      `explainedVarianceData: the ratios sum to ${show(cumulative)}, above 1; pass explainedVarianceRatio (shares), not explainedVariance.`,
    );
  const reached = threshold === null ? null : (rows.find((r) => r.cumulative >= threshold - SUM_TOLERANCE)?.component ?? null);
  return { rows, threshold, reached };
}

export interface ExplainedVarianceSpecOptions extends ChartOptions {
  /** What was decomposed, for the title. */
  subject?: string;
}

const EACH = "Explained by the component";
const CUMULATIVE = "Cumulative";
const THRESHOLD_COLOR = "#e45756";

const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;

export function explainedVarianceSpec(data: ExplainedVarianceData, options: ExplainedVarianceSpecOptions = {}): ChartSpec {
  const title = options.subject ? `Explained variance — ${options.subject}` : "Explained variance";
  if (data.rows.length === 0) return emptySpec(title, "No components.", options);
  const n = data.rows.length;
  const x = {
    field: "component",
    type: "ordinal" as const,
    title: "Principal component",
    axis: { labelAngle: 0, labelOverlap: true },
  };
  const y = { type: "quantitative" as const, scale: { domain: [0, 1] }, axis: { format: "%" } };
  const series = (name: string) => ({
    datum: name,
    type: "nominal" as const,
    scale: { domain: [EACH, CUMULATIVE], range: ["#9ecae9", "#4c78a8"] },
    legend: wholeLegend(2),
  });
  const tooltip = [
    { field: "component", type: "ordinal" as const, title: "Component" },
    { field: "ratio", type: "quantitative" as const, title: "Explained", format: ".1%" },
    { field: "cumulative", type: "quantitative" as const, title: "Cumulative", format: ".1%" },
  ];
  const layers: object[] = [
    {
      mark: { type: "bar", tooltip: true },
      encoding: { x, y: { ...y, field: "ratio", title: "Share of variance" }, color: series(EACH), tooltip },
    },
    {
      mark: { type: "line", point: true, tooltip: true },
      encoding: { x, y: { ...y, field: "cumulative" }, color: series(CUMULATIVE), tooltip },
    },
  ];
  if (data.threshold !== null) {
    const label =
      data.reached === null
        ? `${percent(data.threshold)} not reached by ${n} components`
        : `${percent(data.threshold)} reached with ${data.reached} component${data.reached === 1 ? "" : "s"}`;
    // The label on the side with room: left of the point in the right half, right of it in the left half.
    const right = data.reached !== null && data.reached > n / 2;
    layers.push({
      data: { values: [{ threshold: data.threshold, component: data.reached ?? 1, label }] },
      layer: [
        { mark: { type: "rule", color: THRESHOLD_COLOR, strokeDash: [5, 4] }, encoding: { y: { ...y, field: "threshold" } } },
        {
          mark: { type: "text", color: THRESHOLD_COLOR, align: right ? "right" : "left", dx: right ? -6 : 6, dy: 10, baseline: "top" },
          encoding: { x, y: { ...y, field: "threshold" }, text: { field: "label", type: "nominal" } },
        },
        ...(data.reached === null
          ? []
          : [
              {
                mark: { type: "point", shape: "diamond", size: 110, filled: true, color: THRESHOLD_COLOR },
                encoding: { x, y: { ...y, field: "threshold" } },
              },
            ]),
      ],
    });
  }
  return {
    ...base(title, options, Math.min(640, Math.max(300, 36 * n)), 300),
    $schema: VEGA_LITE_SCHEMA,
    data: { values: data.rows.map((r) => ({ ...r })) },
    layer: layers,
  } as ChartSpec;
}
