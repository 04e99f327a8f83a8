import { curveSpec } from "../../tracker/charts/curve-spec.js";
import { type CurveResult, curveData, curveSummary } from "../../tracker/charts/curves.js";
import { CURVE_REGIONS_RULE } from "../../tracker/charts/recorded-curves.js";
import type { MimeBundle } from "./output.js";
import { vegaLiteBundle } from "./vega.js";

/**
 * A validation or learning curve (what `validationCurve` or `learningCurve` returned) as
 * the chart the study page draws, with where it is best and where it over- and under-fits
 * under the text.
 */
export async function curveBundle(result: CurveResult): Promise<MimeBundle> {
  const data = curveData(result);
  const bundle = await vegaLiteBundle(curveSpec(data));
  return { ...bundle, "text/plain": `${bundle["text/plain"]}\n${curveSummary(data)}\n${CURVE_REGIONS_RULE}` };
}
