import { show, ValueError } from "../../core/errors.js";
import { type HistogramBin, histogram } from "../analysis/summaries.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, vegaText } from "./common.js";

/** Histograms of a dataset's features, one small panel per feature. */

/** One feature: its bins as computed elsewhere, or its raw values to bin here. */
export type FeatureHistogramInput = { feature: string; bins: readonly HistogramBin[] } | { feature: string; values: readonly number[] };

export interface FeatureHistogramRow {
  feature: string;
  start: number;
  end: number;
  count: number;
}

export interface FeatureHistogramOptions {
  /** Bins for raw values (default 20). */
  bins?: number;
}

export function featureHistogramData(
  features: readonly FeatureHistogramInput[],
  options: FeatureHistogramOptions = {},
): FeatureHistogramRow[] {
  return features.flatMap((f) => {
    const bins = "bins" in f ? f.bins : histogram(f.values, { bins: options.bins ?? 20 });
    return bins.map((b, i) => {
      if (!(b.end >= b.start) || !(b.count >= 0))
        throw new ValueError(`featureHistogramData: bin ${i} of ${show(f.feature)} is ${show(b)}; bins need start ≤ end and a count ≥ 0.`);
      return { feature: f.feature, start: b.start, end: b.end, count: b.count };
    });
  });
}

export interface FeatureHistogramSpecOptions extends ChartOptions {
  /** Panels per row (default 4). */
  columns?: number;
}

export function featureHistogramSpec(rows: readonly FeatureHistogramRow[], options: FeatureHistogramSpecOptions = {}): ChartSpec {
  const title = "Feature distributions";
  if (rows.length === 0) return emptySpec(title, "No feature to show.", options);
  const { width, height, ...top } = base(title, options, 160, 110);
  // One panel per feature, in order of first appearance, each filtering its rows by
  // index: a feature name in a facet, a sort or a filter would go through Vega's
  // expression parser (see `vegaText`).
  const panelOf = new Map([...new Set(rows.map((r) => r.feature))].map((feature, i) => [feature, i]));
  const panels = [...panelOf].map(([feature, panel]) => ({
    width,
    height,
    title: vegaText(feature),
    transform: [{ filter: { field: "panel", equal: panel } }],
    mark: { type: "bar" as const, color: "#4c78a8", tooltip: true, binSpacing: 0 },
    encoding: {
      x: { field: "start", type: "quantitative" as const, title: null, bin: { binned: true } },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative" as const, title: "Count" },
      tooltip: [
        { field: "feature", type: "nominal" as const, title: "Feature" },
        { field: "start", type: "quantitative" as const, title: "From", format: ".4~g" },
        { field: "end", type: "quantitative" as const, title: "To", format: ".4~g" },
        { field: "count", type: "quantitative" as const, title: "Count" },
      ],
    },
  }));
  return {
    ...top,
    data: { values: rows.map((r) => ({ ...r, panel: panelOf.get(r.feature) })) },
    columns: options.columns ?? 4,
    concat: panels,
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}
