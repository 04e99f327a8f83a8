/**
 * Training data for the tree engine, prepared once per forest: every feature's
 * distinct values sorted, and each row's rank among them. Split search then works
 * on small integers (histograms over ranks, or sorts of ranks) and never sorts
 * floating-point values again.
 */
import { show, ValueError } from "../errors.js";

/** What the trees learn: class codes 0..nClasses-1, or real values. */
export type TreeTarget = { kind: "classification"; y: Int32Array; nClasses: number } | { kind: "regression"; y: Float64Array };

/** Training data, one column per feature. */
export interface TreeData {
  /** Number of rows. */
  n: number;
  /** One array of n finite values per feature. */
  columns: readonly Float64Array[];
  /**
   * Number of categories of each feature, whose values are then the codes 0..k-1;
   * 0 for a numeric feature. Default: every feature numeric. Categorical features
   * need a regression target.
   */
  categories?: Int32Array;
  target: TreeTarget;
}

/** `TreeData` with every feature ranked; built by `prepareData`. */
export interface PreparedData {
  readonly n: number;
  readonly d: number;
  /** Per feature: each row's index into `values` (its category code for a categorical feature). */
  readonly rank: readonly Int32Array[];
  /** Per feature: the distinct values in increasing order (0..k-1 for a categorical feature). */
  readonly values: readonly Float64Array[];
  /** Per feature: number of categories, 0 for a numeric feature. */
  readonly categories: Int32Array;
  /** Largest `values[f].length` over the features. */
  readonly maxBins: number;
  /** Number of classes; 0 for a regression target. */
  readonly nClasses: number;
  /** Class codes (classification; empty otherwise). */
  readonly yClass: Int32Array;
  /** Targets (regression; empty otherwise). */
  readonly yValue: Float64Array;
}

/** Rank every feature and check the target. Throws `ValueError` on malformed data. */
export function prepareData(data: TreeData): PreparedData {
  const { n, columns, target } = data;
  const d = columns.length;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`tree data: n must be an integer >= 1, got ${show(n)}.`);
  if (d < 1) throw new ValueError("tree data: there must be at least one feature column.");
  const categories = data.categories ?? new Int32Array(d);
  if (categories.length !== d) throw new ValueError(`tree data: categories has ${categories.length} entries for ${d} features.`);
  const rank: Int32Array[] = [];
  const values: Float64Array[] = [];
  let maxBins = 1;
  for (let f = 0; f < d; f++) {
    const column = columns[f];
    if (column.length !== n) throw new ValueError(`tree data: feature ${f} has ${column.length} values for ${n} rows.`);
    const k = categories[f];
    const ranked = k > 0 ? rankCategories(f, column, k) : rankValues(f, column);
    rank.push(ranked.rank);
    values.push(ranked.values);
    maxBins = Math.max(maxBins, ranked.values.length);
  }
  if (target.y.length !== n) throw new ValueError(`tree data: the target has ${target.y.length} values for ${n} rows.`);
  if (target.kind === "classification") {
    const { y, nClasses } = target;
    if (!Number.isInteger(nClasses) || nClasses < 1)
      throw new ValueError(`tree data: nClasses must be an integer >= 1, got ${show(nClasses)}.`);
    for (let i = 0; i < n; i++) {
      if (y[i] < 0 || y[i] >= nClasses) throw new ValueError(`tree data: class code y[${i}] = ${y[i]} is outside 0..${nClasses - 1}.`);
    }
    for (let f = 0; f < d; f++) {
      if (categories[f] > 0) {
        throw new ValueError(
          `tree data: feature ${f} is categorical; categorical splits need a regression target (encode it as numbers for a classifier).`,
        );
      }
    }
    return { n, d, rank, values, categories, maxBins, nClasses, yClass: y, yValue: new Float64Array(0) };
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(target.y[i])) throw new ValueError(`tree data: target y[${i}] = ${target.y[i]} is not finite.`);
  }
  return { n, d, rank, values, categories, maxBins, nClasses: 0, yClass: new Int32Array(0), yValue: target.y };
}

function rankValues(f: number, column: Float64Array): { rank: Int32Array; values: Float64Array } {
  const n = column.length;
  const sorted = Float64Array.from(column).sort();
  if (!Number.isFinite(sorted[0]) || !Number.isFinite(sorted[n - 1]) || sorted.some(Number.isNaN)) {
    const i = column.findIndex((v) => !Number.isFinite(v));
    throw new ValueError(`tree data: feature ${f} has the value ${column[i]} at row ${i}; fill missing values first.`);
  }
  let u = 1;
  for (let j = 1; j < n; j++) if (sorted[j] !== sorted[u - 1]) sorted[u++] = sorted[j];
  const values = sorted.slice(0, u);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = column[i];
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { rank, values };
}

function rankCategories(f: number, column: Float64Array, k: number): { rank: Int32Array; values: Float64Array } {
  const rank = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const c = column[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new ValueError(
        `tree data: categorical feature ${f} has the value ${show(c)} at row ${i}; its codes must be integers in 0..${k - 1}.`,
      );
    }
    rank[i] = c;
  }
  return { rank, values: Float64Array.from({ length: k }, (_, c) => c) };
}
