/**
 * Exploratory feature analysis: per-column summaries, correlation matrices,
 * feature–target association and class balance. Each function returns plain
 * data (ready for the Vega-Lite chart builders); `toDataFrame` turns any of
 * them into a danfo.js DataFrame for display.
 */
import type { DataFrame } from "danfojs-node";
import { type FrameCell, frameFromColumns, frameFromRecords } from "../frame.js";
import type { CorrelationMatrix } from "./correlation.js";

export {
  type Association,
  type AssociationOptions,
  anovaF,
  type ClassificationAssociation,
  type ClassShare,
  classBalance,
  featureTargetAssociation,
  mutualInfoClassif,
  type RegressionAssociation,
} from "./association.js";
export { type CorrelationMatrix, type CorrelationMethod, type CorrelationOptions, correlationMatrix } from "./correlation.js";
export { type ColumnSummary, describe } from "./describe.js";

/** Records (one per row), an association result, or a correlation matrix (features as index and columns). */
export function toDataFrame(
  result: readonly Record<string, FrameCell>[] | CorrelationMatrix | { features: readonly Record<string, FrameCell>[] },
): Promise<DataFrame> {
  if (Array.isArray(result)) return frameFromRecords(result);
  if ("matrix" in result) {
    const { features, matrix } = result;
    return frameFromColumns(
      features,
      features.map((_, k) => matrix.map((row) => row[k])),
      features,
    );
  }
  return frameFromRecords((result as { features: readonly Record<string, FrameCell>[] }).features);
}
