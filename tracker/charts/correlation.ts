import { show, ValueError } from "../../core/errors.js";
import { base, type ChartOptions, type ChartSpec, inOrder } from "./common.js";

/** Correlation heatmap of a dataset's features (the matrix is computed elsewhere). */

export interface CorrelationInput {
  /** Feature names, in the order of the matrix's rows and columns. */
  features: readonly string[];
  /** Square, symmetric matrix of correlations in [-1, 1]; NaN for undefined ones. */
  matrix: readonly (readonly number[])[];
  /** e.g. "pearson" or "spearman", shown in the title. */
  method?: string;
}

export interface CorrelationRow {
  x: string;
  y: string;
  i: number;
  j: number;
  /** null where undefined (a constant feature). */
  r: number | null;
}

export interface CorrelationDataOptions {
  /** Show at most this many features (default 70, so at most 4,900 cells); the first ones are kept. */
  maxFeatures?: number;
}

export function correlationData(input: CorrelationInput, options: CorrelationDataOptions = {}): CorrelationRow[] {
  const total = input.features.length;
  if (input.matrix.length !== total || input.matrix.some((row) => row.length !== total)) {
    throw new ValueError(
      `correlationData: the matrix must be ${total} × ${total} to match ${total} features, got ${input.matrix.length} rows of lengths ${show(input.matrix.map((r) => r.length))}.`,
    );
  }
  const n = Math.min(total, options.maxFeatures ?? 70);
  const rows: CorrelationRow[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = input.matrix[i][j];
      rows.push({ x: input.features[j], y: input.features[i], i, j, r: Number.isFinite(r) ? r : null });
    }
  }
  return rows;
}

export interface CorrelationSpecOptions extends ChartOptions {
  method?: string;
  /** Print the coefficients in the cells (default: when there are at most 15 features). */
  showValues?: boolean;
}

export function correlationSpec(rows: readonly CorrelationRow[], options: CorrelationSpecOptions = {}): ChartSpec {
  const features = [...new Map(rows.map((r) => [r.j, r.x])).entries()].sort((a, b) => a[0] - b[0]).map(([, name]) => name);
  const n = features.length;
  const size = Math.min(640, Math.max(200, 32 * n));
  const title = `Correlation${options.method ? ` (${options.method})` : ""}`;
  const x = { field: "x", type: "nominal" as const, title: null, ...inOrder(features), axis: { labelAngle: -45 } };
  const y = { field: "y", type: "nominal" as const, title: null, ...inOrder(features) };
  const showValues = options.showValues ?? n <= 15;
  return {
    ...base(title, options, size, size),
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      // grey under every cell: an undefined correlation (a constant feature) shows as grey
      { mark: { type: "rect", color: "#e8e8e8" }, encoding: { x, y } },
      {
        mark: { type: "rect", tooltip: true },
        encoding: {
          x,
          y,
          color: { field: "r", type: "quantitative", title: "r", scale: { scheme: "redblue", domain: [-1, 1], reverse: true } },
          tooltip: [
            { field: "y", type: "nominal", title: "Feature" },
            { field: "x", type: "nominal", title: "With" },
            { field: "r", type: "quantitative", title: "r", format: ".3f" },
          ],
        },
      },
      ...(showValues
        ? [
            {
              transform: [{ filter: "isValid(datum.r)" }],
              mark: { type: "text" as const, fontSize: 9 },
              encoding: {
                x,
                y,
                text: { field: "r", type: "quantitative" as const, format: ".2f" },
                color: { condition: { test: "abs(datum.r) > 0.6", value: "white" }, value: "#222" },
              },
            },
          ]
        : []),
    ],
  };
}
