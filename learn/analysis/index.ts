/**
 * Exploratory feature analysis: per-column summaries, correlation matrices,
 * feature–target association and class balance. Each function returns plain
 * data (ready for the Vega-Lite chart builders); `toDataFrame` turns any of
 * them into a danfo.js DataFrame for display.
 */
import type { DataFrame } from "danfojs-node";
import type { CorrelationMatrix } from "./correlation.js";
import { frameFromColumns, frameFromRecords, type FrameCell } from "../frame.js";

export { describe, type ColumnSummary } from "./describe.js";
export { correlationMatrix, type CorrelationMatrix, type CorrelationMethod, type CorrelationOptions } from "./correlation.js";
export {
  anovaF,
  classBalance,
  featureTargetAssociation,
  mutualInfoClassif,
  type Association,
  type AssociationOptions,
  type ClassShare,
  type ClassificationAssociation,
  type RegressionAssociation,
} from "./association.js";

/** Records (one per row), an association result, or a correlation matrix (features as index and columns). */
export function toDataFrame(
  result: readonly Record<string, FrameCell>[] | CorrelationMatrix | { features: readonly Record<string, FrameCell>[] },
): Promise<DataFrame> {
  if (Array.isArray(result)) return frameFromRecords(result);
  if ("matrix" in result) {
    const { features, matrix } = result;
    return frameFromColumns(Object.fromEntries(features.map((name, k) => [name, matrix.map((row) => row[k])])), features);
  }
  return frameFromRecords((result as { features: readonly Record<string, FrameCell>[] }).features);
}
