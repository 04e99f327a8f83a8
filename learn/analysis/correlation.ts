import { show, ValueError } from "../../core/errors.js";
import { pearson, spearman } from "../../core/math/correlation.js";
import { rankData } from "../../core/math/ranks.js";
import { isMissing, type RawFeatures } from "../preprocessing.js";
import { columnNames, completePairs } from "./columns.js";

export type CorrelationMethod = "pearson" | "spearman";

/** A symmetric feature × feature matrix; NaN where a column is constant. */
export interface CorrelationMatrix {
  method: CorrelationMethod;
  features: string[];
  matrix: number[][];
}

export interface CorrelationOptions {
  /** Pearson (linear) or Spearman (rank) correlation. Default "pearson". */
  method?: CorrelationMethod;
  /** Column names. Default x0, x1, ... */
  featureNames?: readonly string[];
}

/** Pairwise correlations, each pair over the rows where both values are present (as pandas' `corr`). */
export function correlationMatrix(X: RawFeatures, options: CorrelationOptions = {}): CorrelationMatrix {
  const method = options.method ?? "pearson";
  if (method !== "pearson" && method !== "spearman") {
    throw new ValueError(`correlationMatrix: method must be "pearson" or "spearman", got ${show(method)}.`);
  }
  const features = columnNames("correlationMatrix", X, options.featureNames);
  const width = features.length;
  const complete = X.every((row) => row.every((v) => !isMissing(v)));
  // Without missing cells, rank (or read) each column once.
  const columns = complete
    ? Array.from({ length: width }, (_, j) => {
        const values = X.map((row) => row[j] as number);
        return method === "spearman" ? rankData(values) : values;
      })
    : undefined;
  const correlate = method === "spearman" ? spearman : pearson;
  const matrix = Array.from({ length: width }, () => new Array<number>(width).fill(Number.NaN));
  for (let j = 0; j < width; j++) {
    for (let k = j; k < width; k++) {
      let value: number;
      if (columns) value = pearson(columns[j], columns[k]);
      else {
        const [a, b] = completePairs(
          X,
          j,
          X.map((row) => row[k]),
        );
        value = correlate(a, b);
      }
      if (j === k && !Number.isNaN(value)) value = 1;
      matrix[j][k] = matrix[k][j] = value;
    }
  }
  return { method, features, matrix };
}
