import type { JsonValue } from "../core/records.js";

/**
 * How a validation or learning curve is kept with a study, apart from the code that
 * computes it, so the tracker reads curves back without loading the evaluation library.
 */

/**
 * Where a curve can be kept: anything with `setUserAttr`, such as tunebook's `Study`
 * (the tracker's study page then draws it) or a `Trial`.
 */
export interface CurveSink {
  setUserAttr(key: string, value: JsonValue): void | Promise<void>;
}

/** User attributes that hold a curve start with this: "curve:<param>", "curve:validation" (no param named), "curve:learning". */
export const CURVE_ATTR_PREFIX = "curve:";
