/**
 * Class labels: numbers or strings, ordered the way numpy's `np.unique` orders
 * them (numbers numerically, strings by code point), so class order, confusion
 * matrices and probability columns line up with scikit-learn's.
 */
import { show, ValueError } from "../core/errors.js";

/** A class label or a regression target. */
export type Label = number | string;

/** Sort comparator for labels of one type. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The distinct labels of `values`, sorted. Throws when numbers and strings are
 * mixed (scikit-learn refuses that too) or a label is not a number or string.
 */
export function uniqueLabels(where: string, ...arrays: readonly (readonly Label[])[]): Label[] {
  const seen = new Set<Label>();
  let kind: "number" | "string" | undefined;
  for (const values of arrays) {
    for (const value of values) {
      const type = typeof value;
      if (type !== "number" && type !== "string") {
        throw new ValueError(`${where}: labels must be numbers or strings, got ${show(value)}.`);
      }
      if (type === "number" && Number.isNaN(value)) {
        throw new ValueError(`${where}: a label is NaN; drop or impute rows with a missing target first.`);
      }
      if (kind === undefined) kind = type as "number" | "string";
      else if (kind !== type) {
        throw new ValueError(
          `${where}: mix of label types (numbers and strings, e.g. ${show(value)}); convert the labels to one type first.`,
        );
      }
      seen.add(value);
    }
  }
  return [...seen].sort(compareLabels);
}

/** Map each label to its position in `classes`. */
export function labelIndex(classes: readonly Label[]): Map<Label, number> {
  return new Map(classes.map((label, i) => [label, i]));
}

/** Encode `values` as positions in `classes` (every value must be a class). */
export function encodeLabels(where: string, values: readonly Label[], classes: readonly Label[]): number[] {
  const index = labelIndex(classes);
  return values.map((value) => {
    const code = index.get(value);
    if (code === undefined) {
      throw new ValueError(`${where}: label ${show(value)} was not seen in training (known: ${show(classes)}).`);
    }
    return code;
  });
}

/** Count of each class, in the order of `classes`. */
export function classCounts(values: readonly Label[], classes: readonly Label[]): number[] {
  const index = labelIndex(classes);
  const counts = new Array<number>(classes.length).fill(0);
  for (const value of values) counts[index.get(value)!]++;
  return counts;
}
