import { quantileSorted } from "../../core/math/quantile.js";
import type { RawFeatures } from "../preprocessing.js";
import { columnNames, columnValues } from "./columns.js";

/** One column's summary; statistics are null when the column has no values. */
export type ColumnSummary = {
  feature: string;
  count: number;
  missing: number;
  mean: number | null;
  /** Sample standard deviation (n - 1), as pandas' describe. */
  std: number | null;
  min: number | null;
  q25: number | null;
  median: number | null;
  q75: number | null;
  max: number | null;
  distinct: number;
};

/** Per-column count, missing cells (null or NaN), mean, std, quartiles and distinct values. */
export function describe(X: RawFeatures, featureNames?: readonly string[]): ColumnSummary[] {
  const names = columnNames("describe", X, featureNames);
  return names.map((feature, j) => {
    const values = columnValues(X, j);
    const count = values.length;
    const sorted = [...values].sort((a, b) => a - b);
    const mean = count ? values.reduce((a, b) => a + b, 0) / count : null;
    const std = count > 1 ? Math.sqrt(values.reduce((acc, v) => acc + (v - mean!) ** 2, 0) / (count - 1)) : null;
    const stat = (value: number) => (count ? value : null);
    return {
      feature,
      count,
      missing: X.length - count,
      mean,
      std,
      min: stat(sorted[0]),
      q25: stat(quantileSorted(sorted, 0.25)),
      median: stat(quantileSorted(sorted, 0.5)),
      q75: stat(quantileSorted(sorted, 0.75)),
      max: stat(sorted[count - 1]),
      distinct: new Set(values).size,
    };
  });
}
