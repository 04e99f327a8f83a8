/** Reading feature columns for analysis: names, missing cells, checks. */
import { show, ValueError } from "../../core/errors.js";
import { isMissing, type RawFeatures } from "../preprocessing.js";

/** Column names: the given ones, or x0, x1, ... */
export function columnNames(where: string, X: RawFeatures, names?: readonly string[]): string[] {
  if (!Array.isArray(X) || X.length === 0) throw new ValueError(`${where}: X must be a non-empty array of rows, got ${show(X)}.`);
  const width = X[0].length;
  X.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new ValueError(`${where}: X[${i}] has ${Array.isArray(row) ? row.length : show(row)} values but X[0] has ${width}.`);
    }
  });
  if (names === undefined) return Array.from({ length: width }, (_, j) => `x${j}`);
  if (!Array.isArray(names) || names.length !== width) {
    throw new ValueError(`${where}: ${Array.isArray(names) ? names.length : show(names)} feature names for ${width} columns.`);
  }
  return [...names];
}

/** The present (non-missing) values of column j. */
export function columnValues(X: RawFeatures, j: number): number[] {
  const values: number[] = [];
  for (const row of X) if (!isMissing(row[j])) values.push(row[j] as number);
  return values;
}

/** Rows where columns j and k are both present, as two arrays. */
export function completePairs(X: RawFeatures, j: number, other: readonly (number | null)[]): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  X.forEach((row, i) => {
    if (!isMissing(row[j]) && !isMissing(other[i])) {
      a.push(row[j] as number);
      b.push(other[i] as number);
    }
  });
  return [a, b];
}
