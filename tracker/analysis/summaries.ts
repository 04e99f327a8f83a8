import { show, ValueError } from "../../core/errors.js";
import { isFeasible } from "../../core/feasibility.js";
import { emptyCounts, isBetter, type StudyDirection, type TrialRecord, type TrialState } from "../../core/records.js";

/**
 * Small summaries of trials for pages and charts: best-so-far series, counts, and the
 * downsampling and binning that keep every chart under a few thousand points however
 * large the study. All deterministic: a page refreshed twice shows the same points.
 */

/** Default cap on the points one chart ships. */
export const MAX_CHART_POINTS = 5000;

/** Trial counts by state. */
export function countByState(trials: readonly TrialRecord[]): Record<TrialState, number> {
  const counts = emptyCounts();
  for (const t of trials) counts[t.state]++;
  return counts;
}

/** COMPLETE trials with a finite value, in trial-number order. */
export function completedWithValue(trials: readonly TrialRecord[]): TrialRecord[] {
  return trials
    .filter((t) => t.state === "COMPLETE" && typeof t.value === "number" && Number.isFinite(t.value))
    .sort((a, b) => a.number - b.number);
}

export interface BestSoFarPoint {
  number: number;
  value: number;
  /** Best value among the feasible trials up to this one; null before the first feasible trial. */
  best: number | null;
  /** True when this trial improved on the best so far (the first feasible trial does). */
  improved: boolean;
  /** False when a constraint value is > 0 (core/feasibility.ts): such a trial is never the best, as in `study.best()`. */
  feasible: boolean;
}

/** The best-so-far series over the COMPLETE trials, in trial-number order; only feasible trials set the best. */
export function bestSoFar(trials: readonly TrialRecord[], direction: StudyDirection): BestSoFarPoint[] {
  const points: BestSoFarPoint[] = [];
  let best: number | null = null;
  for (const t of completedWithValue(trials)) {
    const value = t.value as number;
    const feasible = isFeasible(t);
    const improved = feasible && (best === null || isBetter(direction, value, best));
    if (improved) best = value;
    points.push({ number: t.number, value, best, improved, feasible });
  }
  return points;
}

/**
 * Indices of `n` items to keep so that at most `max` remain: every index for which
 * `mustKeep` holds (as many as fit, first ones first), then an even spread of the rest,
 * always including the first and last item. Sorted ascending.
 */
export function downsampleIndices(n: number, max: number, mustKeep?: (index: number) => boolean): number[] {
  if (!Number.isInteger(max) || max < 1) throw new ValueError(`downsample: the cap must be a positive integer, got ${show(max)}.`);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0]);
  if (max > 1) keep.add(n - 1);
  if (mustKeep) for (let i = 1; i < n - 1 && keep.size < max; i++) if (mustKeep(i)) keep.add(i);
  const room = max - keep.size;
  if (room > 0) {
    // The middle of `room` equal slices of the items not kept yet.
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!keep.has(i)) rest.push(i);
    const slice = rest.length / room;
    for (let k = 0; k < room; k++) keep.add(rest[Math.min(rest.length - 1, Math.round((k + 0.5) * slice - 0.5))]);
  }
  return [...keep].sort((a, b) => a - b);
}

/** `items` downsampled with `downsampleIndices`. */
export function downsample<T>(items: readonly T[], max: number, mustKeep?: (item: T, index: number) => boolean): T[] {
  return downsampleIndices(items.length, max, mustKeep && ((i) => mustKeep(items[i], i))).map((i) => items[i]);
}

export interface HistogramBin {
  /** Inclusive start. */
  start: number;
  /** Exclusive end (inclusive for the last bin). */
  end: number;
  count: number;
}

export interface HistogramOptions {
  /** Number of equal-width bins (default 30). */
  bins?: number;
  /** [min, max] of the bins (default the data's range). */
  domain?: readonly [number, number];
}

/** Equal-width histogram of the finite values. */
export function histogram(values: readonly number[], options: HistogramOptions = {}): HistogramBin[] {
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new ValueError(`histogram: bins must be a positive integer, got ${show(bins)}.`);
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0 && options.domain === undefined) return [];
  let [min, max] = options.domain ?? [Math.min(...finite), Math.max(...finite)];
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const result: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    start: min + i * width,
    end: i === bins - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (const v of finite) {
    if (v < min || v > max) continue;
    result[Math.min(bins - 1, Math.floor((v - min) / width))].count++;
  }
  return result;
}

export interface EcdfPoint {
  value: number;
  /** Share of the values ≤ `value`. */
  p: number;
}

/**
 * The empirical distribution function of the finite values, as its steps (one point
 * per distinct value), at most `maxPoints` of them: beyond that, the steps at evenly
 * spaced ranks, always with the smallest and the largest value.
 */
export function ecdf(values: readonly number[], maxPoints = MAX_CHART_POINTS): EcdfPoint[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const steps: EcdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue; // the step is at the last of equal values
    steps.push({ value: sorted[i], p: (i + 1) / n });
  }
  return downsample(steps, maxPoints);
}

/** Cells of a 2-D grid with the mean of the values that fall in each (empty cells left out). */
export interface GridCell {
  /** Column and row of the cell. */
  i: number;
  j: number;
  count: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * Bin points (already mapped to bin indices by the caller, e.g. on a log axis) into a
 * grid; returns the non-empty cells, row-major.
 */
export function gridMeans(columns: readonly number[], rows: readonly number[], values: readonly number[]): GridCell[] {
  const cells = new Map<string, GridCell>();
  for (let k = 0; k < values.length; k++) {
    const key = `${columns[k]},${rows[k]}`;
    const v = values[k];
    const cell = cells.get(key);
    if (cell === undefined) cells.set(key, { i: columns[k], j: rows[k], count: 1, mean: v, min: v, max: v });
    else {
      cell.count++;
      cell.mean += (v - cell.mean) / cell.count;
      cell.min = Math.min(cell.min, v);
      cell.max = Math.max(cell.max, v);
    }
  }
  return [...cells.values()].sort((a, b) => a.j - b.j || a.i - b.i);
}
