import { inspect } from "node:util";
import { checkOptionKeys } from "../../core/errors.js";
import { isCurveResult } from "../../tracker/charts/curves.js";
import { Study } from "../../tune/study.js";
import { compareStudies, comparisonBundles, StudyComparison } from "./compare.js";
import { curveBundle } from "./curve.js";
import { frameBundle, isFrameLike } from "./frame.js";
import { isNestedComparison, isNestedResult, nestedComparisonBundle, nestedResultBundles } from "./nested.js";
import { display, type MimeBundle } from "./output.js";
import { studyBundles } from "./study.js";
import { isRefinedSpace, isStudySummaryList, refinedSpaceBundle, studyListBundle } from "./summaries.js";
import { isTrialList, trialsBundle } from "./trials.js";
import { isVegaLiteSpec, vegaLiteBundle } from "./vega.js";

export interface ShowOptions {
  /** Rows of a DataFrame (default 10) or of a trials list (default 50) to show. */
  rows?: number;
}

/**
 * Shows a value as rich notebook output:
 * - a Study: its best trial, optimisation history and parameter importance;
 * - several studies (an array of them, or `compareStudies(...)`): side by side, with
 *   the paired tests between the two best;
 * - a danfo.js DataFrame or Series: the first rows as a table, and the shape;
 * - a list of trials (`await study.trials()`): a table of numbers, states, values, parameters;
 * - a list of studies (`await listStudies()`): a table of counts and best values;
 * - a narrowed search space (`refineSearchSpace`): ranges before and after, and the code;
 * - a validation or learning curve (`validationCurve`, `learningCurve`): both scores with
 *   their spread, the over- and under-fitting regions and the best point;
 * - a nested cross-validation (`nestedCrossValidate`): its outer scores per fold and the
 *   parameters each outer fold chose, with their stability; two compared (`compareNested`):
 *   the paired tests;
 * - a Vega-Lite spec: the chart (with an SVG rendering for viewers without Vega);
 * - anything else: as Node prints it.
 */
export async function show(value: unknown, options: ShowOptions = {}): Promise<void> {
  for (const bundle of await bundlesFor(value, options)) display(bundle);
}

/**
 * Values a cell's last expression shows as rich output rather than as text: the
 * ones `show` draws. A spec needs its Vega-Lite `$schema` here, so an ordinary
 * object with a `mark` key still prints as an object.
 */
export function isRichValue(value: unknown): boolean {
  if (
    value instanceof Study ||
    value instanceof StudyComparison ||
    isFrameLike(value) ||
    isTrialList(value) ||
    isStudySummaryList(value) ||
    isRefinedSpace(value) ||
    isCurveResult(value) ||
    isNestedResult(value) ||
    isNestedComparison(value)
  )
    return true;
  return isVegaLiteSpec(value) && typeof (value as { $schema?: unknown }).$schema === "string";
}

/** The outputs `show` would display, in order. */
export async function bundlesFor(value: unknown, options: ShowOptions = {}): Promise<MimeBundle[]> {
  checkOptionKeys("show", options, ["rows"]);
  if (value instanceof Study) return studyBundles(value);
  if (value instanceof StudyComparison) return comparisonBundles(value);
  if (Array.isArray(value) && value.length > 1 && value.every((v) => v instanceof Study))
    return comparisonBundles(await compareStudies(value));
  if (isFrameLike(value)) return [frameBundle(value, options)];
  if (isTrialList(value)) return [trialsBundle(value, options)];
  if (isStudySummaryList(value)) return [studyListBundle(value)];
  if (isRefinedSpace(value)) return [refinedSpaceBundle(value)];
  if (isCurveResult(value)) return [await curveBundle(value)];
  if (isNestedResult(value)) return nestedResultBundles(value);
  if (isNestedComparison(value)) return [nestedComparisonBundle(value)];
  if (isVegaLiteSpec(value)) return [await vegaLiteBundle(value)];
  return [{ "text/plain": inspect(value, { depth: 4, colors: false }) }];
}
