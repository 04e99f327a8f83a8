import type { JsonValue } from "../../core/records.js";
import { type ChartSpec, emptySpec, titled, VEGA_LITE_SCHEMA } from "./common.js";
import { curveSpec, curveTitle, REGION_NAME_ROOM } from "./curve-spec.js";
import { CURVE_RANGE_SHARE, CURVE_SPREADS, curveData, curveSummary, recordedCurves } from "./curves.js";

/**
 * The curves a study keeps (`validationCurve(..., { param, record: study })`,
 * `learningCurve(..., { record: study })`), one panel each in the order of their names,
 * with one line per curve saying where it is best and where it over- and under-fits.
 */

/** True when the study's user attributes hold at least one curve. */
export function hasRecordedCurves(userAttrs: Readonly<Record<string, JsonValue>> | undefined): boolean {
  return recordedCurves(userAttrs).length > 0;
}

/** How the regions are found, in a sentence (see curves.ts). */
export const CURVE_REGIONS_RULE =
  `Shaded: overfitting where the training score beats the validation score by more than ${CURVE_SPREADS} standard deviations of the folds ` +
  `(and ${CURVE_RANGE_SHARE * 100}% of the chart's range); underfitting where, without that gap, both scores fall below the best validation score by as much.`;

export function recordedCurvesChart(
  userAttrs: Readonly<Record<string, JsonValue>> | undefined,
  options: { study?: string } = {},
): { spec: ChartSpec; note?: string } {
  const curves = recordedCurves(userAttrs).map(({ curve }) => curveData(curve));
  const title = titled("Validation and learning curves", options.study);
  if (curves.length === 0) return { spec: emptySpec(title, "The study keeps no curve yet.") };
  const note = [...curves.map((c) => `${curveTitle(c)}: ${curveSummary(c)}`), CURVE_REGIONS_RULE].join(" ");
  if (curves.length === 1) return { spec: curveSpec(curves[0], { study: options.study }), note };
  // Each panel keeps its own title and scales; the panels share one legend (the same series and colours).
  const panels = curves.map((c) => {
    const { $schema: _schema, config: _config, ...panel } = curveSpec(c) as ChartSpec & { $schema?: string; config?: unknown };
    return panel;
  });
  return {
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      config: REGION_NAME_ROOM,
      columns: 1,
      concat: panels,
      spacing: 30,
      resolve: { scale: { x: "independent", y: "independent" } },
    } as ChartSpec,
    note,
  };
}
