/**
 * Preprocessing steps with scikit-learn's behaviour. Each learns its
 * statistics in `fit` and applies them in `transform`; inside a `Pipeline`
 * under `crossValidate` they are fitted on the training fold only, so no
 * statistic of a test row leaks into the model.
 */
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { NotFittedError } from "./estimator.js";
import type { Label } from "./labels.js";
import { type ModelJSON, modelJSON, readModelJSON } from "./models/serial.js";

/** A feature cell that may be missing (null or NaN). */
export type MaybeNumber = number | null;

/** Rows of features, possibly with missing cells. */
export type RawFeatures = readonly (readonly MaybeNumber[])[];

/** A fitted-then-applied feature transformation. */
export interface Transformer {
  fit(X: RawFeatures, y?: readonly Label[]): void;
  transform(X: RawFeatures): MaybeNumber[][];
}

export function isMissing(value: MaybeNumber | undefined): boolean {
  return value === null || value === undefined || Number.isNaN(value);
}

/** Check a rectangular matrix of numbers/missing cells; return its width. */
function checkRaw(where: string, X: RawFeatures, expectedWidth?: number): number {
  if (!Array.isArray(X) || X.length === 0) throw new ValueError(`${where}: X must be a non-empty array of rows, got ${show(X)}.`);
  const width = expectedWidth ?? (Array.isArray(X[0]) ? X[0].length : -1);
  X.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new ValueError(
        `${where}: X[${i}] has ${Array.isArray(row) ? row.length : show(row)} features, expected ${width}` +
          (expectedWidth === undefined ? " (as X[0])." : " (as in fit)."),
      );
    }
    row.forEach((value, j) => {
      if (value !== null && typeof value !== "number") {
        throw new ValueError(`${where}: X[${i}][${j}] = ${show(value)} is not a number (or null for a missing value).`);
      }
      if (typeof value === "number" && !Number.isNaN(value) && !Number.isFinite(value)) {
        throw new ValueError(`${where}: X[${i}][${j}] is ${value}; features must be finite.`);
      }
    });
  });
  return width;
}

function present(X: RawFeatures, j: number): number[] {
  const values: number[] = [];
  for (const row of X) if (!isMissing(row[j])) values.push(row[j] as number);
  return values;
}

function mustBeFitted<T>(where: string, state: T | undefined): T {
  if (state === undefined) throw new NotFittedError(`${where}: not fitted yet; call fit(X) first.`);
  return state;
}

export interface StandardScalerOptions {
  /** Subtract each column's mean. Default true. */
  withMean?: boolean;
  /** Divide by each column's (population) standard deviation; constant columns are left unscaled. Default true. */
  withStd?: boolean;
}

/** Centre and scale each column to unit variance; missing cells are ignored in fit and kept in transform. */
export class StandardScaler implements Transformer {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private state?: { width: number; mean: number[]; scale: number[] };

  constructor(options: StandardScalerOptions = {}) {
    checkOptionKeys("StandardScaler", options, ["withMean", "withStd"]);
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
  }

  /** The learned column means and scales. */
  get statistics(): { mean: readonly number[]; scale: readonly number[] } {
    const { mean, scale } = mustBeFitted("StandardScaler", this.state);
    return { mean, scale };
  }

  fit(X: RawFeatures): void {
    const width = checkRaw("StandardScaler.fit", X);
    const mean: number[] = [];
    const scale: number[] = [];
    for (let j = 0; j < width; j++) {
      const values = present(X, j);
      const m = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
      const variance = values.length ? values.reduce((acc, v) => acc + (v - m) ** 2, 0) / values.length : 0;
      mean.push(this.withMean ? m : 0);
      // A column constant up to round-off is left unscaled (scikit-learn's bound on the variance's error).
      const n = values.length;
      const roundOff = n * Number.EPSILON * variance + (n * m * Number.EPSILON) ** 2;
      scale.push(this.withStd && variance > roundOff ? Math.sqrt(variance) : 1);
    }
    this.state = { width, mean, scale };
  }

  transform(X: RawFeatures): MaybeNumber[][] {
    const { width, mean, scale } = mustBeFitted("StandardScaler.transform", this.state);
    checkRaw("StandardScaler.transform", X, width);
    return X.map((row) => row.map((v, j) => (isMissing(v) ? v : ((v as number) - mean[j]) / scale[j])));
  }

  /** The options and, once fitted, the means and scales, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("StandardScaler", { withMean: this.withMean, withStd: this.withStd }, this.state);
  }

  static fromJSON(json: unknown): StandardScaler {
    const { params, state } = readModelJSON<StandardScalerOptions, { width: number; mean: number[]; scale: number[] }>(
      "StandardScaler",
      json,
    );
    const model = new StandardScaler(params);
    if (state) model.state = state;
    return model;
  }
}

export interface MinMaxScalerOptions {
  /** The range each column is mapped to. Default [0, 1]. */
  featureRange?: [number, number];
  /** Clip transformed values to the range (for rows outside the training range). Default false. */
  clip?: boolean;
}

/** Map each column's training range linearly onto `featureRange`. */
export class MinMaxScaler implements Transformer {
  readonly featureRange: [number, number];
  readonly clip: boolean;
  private state?: { width: number; min: number[]; scale: number[] };

  constructor(options: MinMaxScalerOptions = {}) {
    checkOptionKeys("MinMaxScaler", options, ["featureRange", "clip"]);
    this.featureRange = options.featureRange ?? [0, 1];
    this.clip = options.clip ?? false;
    const [low, high] = this.featureRange;
    if (!Array.isArray(this.featureRange) || !(low < high)) {
      throw new ValueError(`MinMaxScaler: featureRange must be [low, high] with low < high, got ${show(options.featureRange)}.`);
    }
  }

  fit(X: RawFeatures): void {
    const width = checkRaw("MinMaxScaler.fit", X);
    const [low, high] = this.featureRange;
    const min: number[] = [];
    const scale: number[] = [];
    for (let j = 0; j < width; j++) {
      const values = present(X, j);
      const lo = values.length ? Math.min(...values) : 0;
      const hi = values.length ? Math.max(...values) : 0;
      const range = hi - lo < 10 * Number.EPSILON ? 1 : hi - lo;
      scale.push((high - low) / range);
      min.push(low - lo * ((high - low) / range));
    }
    this.state = { width, min, scale };
  }

  transform(X: RawFeatures): MaybeNumber[][] {
    const { width, min, scale } = mustBeFitted("MinMaxScaler.transform", this.state);
    checkRaw("MinMaxScaler.transform", X, width);
    const [low, high] = this.featureRange;
    return X.map((row) =>
      row.map((v, j) => {
        if (isMissing(v)) return v;
        const mapped = (v as number) * scale[j] + min[j];
        return this.clip ? Math.min(high, Math.max(low, mapped)) : mapped;
      }),
    );
  }

  /** The options and, once fitted, the offsets and scales, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("MinMaxScaler", { featureRange: this.featureRange, clip: this.clip }, this.state);
  }

  static fromJSON(json: unknown): MinMaxScaler {
    const { params, state } = readModelJSON<MinMaxScalerOptions, { width: number; min: number[]; scale: number[] }>("MinMaxScaler", json);
    const model = new MinMaxScaler(params);
    if (state) model.state = state;
    return model;
  }
}

export interface OneHotEncoderOptions {
  /** Positions of the categorical columns. */
  columns: number[];
  /** A category not seen in fit: throw, or encode as all zeros. Default "error". */
  handleUnknown?: "error" | "ignore";
}

/**
 * Replace each categorical column by one indicator column per category seen in
 * fit (sorted), in place; other columns pass through unchanged.
 */
export class OneHotEncoder implements Transformer {
  readonly columns: number[];
  readonly handleUnknown: "error" | "ignore";
  private state?: { width: number; categories: Map<number, number[]> };

  constructor(options: OneHotEncoderOptions) {
    checkOptionKeys("OneHotEncoder", options, ["columns", "handleUnknown"]);
    if (!options || !Array.isArray(options.columns) || options.columns.length === 0) {
      throw new ValueError(
        `OneHotEncoder: give the categorical column positions, e.g. { columns: [0, 3] }; got ${show(options?.columns)}.`,
      );
    }
    const bad = options.columns.find((c) => !Number.isInteger(c) || c < 0);
    if (bad !== undefined) throw new ValueError(`OneHotEncoder: column positions must be integers >= 0, got ${show(bad)}.`);
    this.columns = [...new Set(options.columns)].sort((a, b) => a - b);
    this.handleUnknown = options.handleUnknown ?? "error";
    if (this.handleUnknown !== "error" && this.handleUnknown !== "ignore") {
      throw new ValueError(`OneHotEncoder: handleUnknown must be "error" or "ignore", got ${show(options.handleUnknown)}.`);
    }
  }

  /** The categories learned for each encoded column. */
  get categories(): ReadonlyMap<number, readonly number[]> {
    return mustBeFitted("OneHotEncoder", this.state).categories;
  }

  fit(X: RawFeatures): void {
    const width = checkRaw("OneHotEncoder.fit", X);
    const categories = new Map<number, number[]>();
    for (const j of this.columns) {
      if (j >= width) throw new ValueError(`OneHotEncoder: column ${j} does not exist; X has ${width} columns.`);
      X.forEach((row, i) => {
        if (isMissing(row[j])) {
          throw new ValueError(
            `OneHotEncoder.fit: X[${i}][${j}] is missing; impute categorical columns first (SimpleImputer with "most_frequent").`,
          );
        }
      });
      categories.set(
        j,
        [...new Set(present(X, j))].sort((a, b) => a - b),
      );
    }
    this.state = { width, categories };
  }

  transform(X: RawFeatures): MaybeNumber[][] {
    const { width, categories } = mustBeFitted("OneHotEncoder.transform", this.state);
    checkRaw("OneHotEncoder.transform", X, width);
    return X.map((row, i) => {
      const out: MaybeNumber[] = [];
      row.forEach((value, j) => {
        const known = categories.get(j);
        if (!known) {
          out.push(value);
          return;
        }
        if (isMissing(value)) {
          throw new ValueError(`OneHotEncoder.transform: X[${i}][${j}] is missing; impute categorical columns first.`);
        }
        const position = known.indexOf(value as number);
        if (position < 0 && this.handleUnknown === "error") {
          throw new ValueError(
            `OneHotEncoder.transform: X[${i}][${j}] = ${show(value)} is a category not seen in fit (known: ${show(known)}); ` +
              `pass handleUnknown: "ignore" to encode it as all zeros.`,
          );
        }
        for (let c = 0; c < known.length; c++) out.push(c === position ? 1 : 0);
      });
      return out;
    });
  }

  /** The options and, once fitted, the categories, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("OneHotEncoder", { columns: this.columns, handleUnknown: this.handleUnknown }, this.state);
  }

  static fromJSON(json: unknown): OneHotEncoder {
    type Saved = { width: number; categories: Map<number, number[]> };
    const { params, state } = readModelJSON<OneHotEncoderOptions, Saved>("OneHotEncoder", json);
    const model = new OneHotEncoder(params);
    if (state) model.state = state;
    return model;
  }
}

export type ImputeStrategy = "mean" | "median" | "most_frequent" | "constant";

export interface SimpleImputerOptions {
  /** What replaces a missing cell: the column's mean, median, most frequent value (smallest on ties), or `fillValue`. Default "mean". */
  strategy?: ImputeStrategy;
  /** The value for `strategy: "constant"`. Default 0. */
  fillValue?: number;
}

/** Fill missing cells (null or NaN) with a per-column statistic learned in fit. */
export class SimpleImputer implements Transformer {
  readonly strategy: ImputeStrategy;
  readonly fillValue: number;
  private state?: { width: number; fill: number[] };

  constructor(options: SimpleImputerOptions = {}) {
    checkOptionKeys("SimpleImputer", options, ["strategy", "fillValue"]);
    this.strategy = options.strategy ?? "mean";
    this.fillValue = options.fillValue ?? 0;
    if (!["mean", "median", "most_frequent", "constant"].includes(this.strategy)) {
      throw new ValueError(
        `SimpleImputer: strategy must be "mean", "median", "most_frequent" or "constant", got ${show(options.strategy)}.`,
      );
    }
    if (typeof this.fillValue !== "number" || !Number.isFinite(this.fillValue)) {
      throw new ValueError(`SimpleImputer: fillValue must be a finite number, got ${show(options.fillValue)}.`);
    }
  }

  /** The value each column's missing cells receive. */
  get statistics(): readonly number[] {
    return mustBeFitted("SimpleImputer", this.state).fill;
  }

  fit(X: RawFeatures): void {
    const width = checkRaw("SimpleImputer.fit", X);
    const fill: number[] = [];
    for (let j = 0; j < width; j++) {
      if (this.strategy === "constant") {
        fill.push(this.fillValue);
        continue;
      }
      const values = present(X, j);
      if (values.length === 0) {
        throw new ValueError(
          `SimpleImputer.fit: column ${j} has no observed values in the training rows, so its ${this.strategy} is undefined; ` +
            `drop the column or use strategy: "constant".`,
        );
      }
      fill.push(statistic(this.strategy, values));
    }
    this.state = { width, fill };
  }

  transform(X: RawFeatures): number[][] {
    const { width, fill } = mustBeFitted("SimpleImputer.transform", this.state);
    checkRaw("SimpleImputer.transform", X, width);
    return X.map((row) => row.map((v, j) => (isMissing(v) ? fill[j] : (v as number))));
  }

  /** The options and, once fitted, the fill values, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    return modelJSON("SimpleImputer", { strategy: this.strategy, fillValue: this.fillValue }, this.state);
  }

  static fromJSON(json: unknown): SimpleImputer {
    const { params, state } = readModelJSON<SimpleImputerOptions, { width: number; fill: number[] }>("SimpleImputer", json);
    const model = new SimpleImputer(params);
    if (state) model.state = state;
    return model;
  }
}

function statistic(strategy: Exclude<ImputeStrategy, "constant">, values: number[]): number {
  if (strategy === "mean") return values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  if (strategy === "median") {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  let best = sorted[0];
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      best = sorted[i];
      bestCount = j - i;
    }
    i = j;
  }
  return best;
}
