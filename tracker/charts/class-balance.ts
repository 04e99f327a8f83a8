import { show, ValueError } from "../../core/errors.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, inOrder } from "./common.js";

/** Class balance of a classification target: one bar per class. */

export interface ClassCount {
  label: string | number | boolean | null;
  count: number;
}

export interface ClassBalanceRow {
  /** The class as text. */
  label: string;
  count: number;
  /** Share of all samples. */
  share: number;
}

/** From counts per class, or from the raw labels (counted here, in order of first appearance). */
export function classBalanceData(
  input: readonly ClassCount[] | { labels: readonly (string | number | boolean | null)[] },
): ClassBalanceRow[] {
  let counts: ClassCount[];
  if ("labels" in input) {
    const byLabel = new Map<string, number>();
    for (const l of input.labels) byLabel.set(String(l), (byLabel.get(String(l)) ?? 0) + 1);
    counts = [...byLabel].map(([label, count]) => ({ label, count }));
  } else counts = [...input];
  counts.forEach((c, i) => {
    if (!Number.isFinite(c.count) || c.count < 0)
      throw new ValueError(`classBalanceData: class ${i} (${show(c.label)}) has count ${show(c.count)}; counts must be numbers ≥ 0.`);
  });
  const total = counts.reduce((n, c) => n + c.count, 0);
  return counts.map((c) => ({ label: String(c.label), count: c.count, share: total > 0 ? c.count / total : 0 }));
}

export interface ClassBalanceSpecOptions extends ChartOptions {
  /** Name of the target column, for the title. */
  target?: string;
}

export function classBalanceSpec(rows: readonly ClassBalanceRow[], options: ClassBalanceSpecOptions = {}): ChartSpec {
  const title = options.target ? `Class balance — ${options.target}` : "Class balance";
  if (rows.length === 0) return emptySpec(title, "No labels.", options);
  return {
    ...base(title, options, Math.max(200, 60 * rows.length), 260),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "label", type: "nominal", title: "Class", ...inOrder(rows.map((r) => r.label)), axis: { labelAngle: 0 } },
      // One bar per class: nothing to stack (a stack would order by the class names in a Vega expression).
      y: { field: "count", type: "quantitative", title: "Samples", stack: null },
      color: { field: "label", type: "nominal", legend: null, ...inOrder(rows.map((r) => r.label)) },
      tooltip: [
        { field: "label", type: "nominal", title: "Class" },
        { field: "count", type: "quantitative", title: "Samples" },
        { field: "share", type: "quantitative", title: "Share", format: ".1%" },
      ],
    },
  };
}
