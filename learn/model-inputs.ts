/** The rows and targets a model is evaluated on, from arrays or danfo.js frames. */
import type { DataFrame, Series } from "danfojs-node";
import { show, ValueError } from "../core/errors.js";
import type { Label } from "./labels.js";
import type { RawFeatures } from "./preprocessing.js";

/** X as rows: an array of rows as it is, or a DataFrame's values. */
export function toRows(where: string, X: RawFeatures | DataFrame): RawFeatures {
  if (Array.isArray(X)) return X;
  if (X && typeof X === "object" && "values" in X && "columns" in X) return (X as DataFrame).values as RawFeatures;
  throw new ValueError(`${where}: X must be an array of rows or a danfo.js DataFrame, got ${show(X)}.`);
}

/** Targets as an array: an array as it is, or a Series' values. */
export function toTargets<Y extends Label>(where: string, y: readonly Y[] | Series, name = "y"): readonly Y[] {
  if (Array.isArray(y)) return y;
  if (y && typeof y === "object" && "values" in y) return (y as Series).values as Y[];
  throw new ValueError(`${where}: ${name} must be an array or a danfo.js Series, got ${show(y)}.`);
}
