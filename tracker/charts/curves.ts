import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { JsonValue } from "../../core/records.js";
import { CURVE_ATTR_PREFIX } from "../../learn/curve-record.js";
import type { LearningCurveResult, ValidationCurveResult } from "../../learn/curves.js";
import { spansDecades } from "./convergence.js";

/**
 * Validation and learning curves (`validationCurve`, `learningCurve` of the evaluation
 * library) as chart data: the mean and standard deviation over folds of the training and
 * validation scores at each point, where the model over-fits or under-fits, and the best
 * validation point. The drawing is in curve-spec.ts.
 *
 * The regions, with every score turned so that higher is better (s = +1 when the scorer's
 * greaterIsBetter, −1 otherwise), at each point i with fold means tᵢ (training) and vᵢ
 * (validation) and population standard deviations over the folds σtᵢ and σvᵢ:
 * - the gap is gᵢ = s·(tᵢ − vᵢ): how much better the model scores the rows it was fitted on;
 * - the floor is f = 2% of the range of every mean on the chart (max − min of all tᵢ and
 *   vᵢ), so that folds which happen to agree exactly do not make a hair's gap count;
 * - **overfitting** where gᵢ > max(2·√((σtᵢ² + σvᵢ²)/2), f): the training score beats the
 *   validation score by more than twice the spread of the folds;
 * - the best point b is the one with the best validation mean (the first, on ties);
 * - **underfitting** where the point is not overfitting, its validation score is worse than
 *   the best by more than max(2·√((σvᵢ² + σv_b²)/2), f), and its training score is below the
 *   best validation score too: both scores are low, not just the validation one.
 * "Low" is relative to the curve's own best: a learning curve of a model too simple at every
 * size scores alike everywhere and shows no underfitting region; compare it with a more
 * flexible model's.
 */

/** A curve as `validationCurve` or `learningCurve` returns it (or as a study keeps it). */
export type CurveResult = ValidationCurveResult<unknown> | LearningCurveResult;

/** Spreads a gap must exceed to count (the "2" of 2·σ). */
export const CURVE_SPREADS = 2;
/** Share of the chart's range a gap must exceed to count. */
export const CURVE_RANGE_SHARE = 0.02;

export type CurveSeries = "Training score" | "Validation score";
export const TRAIN_SERIES: CurveSeries = "Training score";
export const VALIDATION_SERIES: CurveSeries = "Validation score";

export type CurveRegionKind = "overfitting" | "underfitting";

export interface CurvePoint {
  /** Where the point sits: the value on a numeric axis, its label on a categorical one. */
  x: number | string;
  /** The value as printed. */
  label: string;
  trainMean: number;
  trainStd: number;
  validationMean: number;
  validationStd: number;
  /** Folds with a finite score (both kinds). */
  folds: number;
  /** Training minus validation mean, turned so that a positive gap means the training score is the better one. */
  gap: number;
  region: CurveRegionKind | null;
  /** The best validation mean of the curve (one point). */
  best: boolean;
}

/** One line's point: mean ± std of one kind of score. */
export interface CurveRow {
  series: CurveSeries;
  x: number | string;
  label: string;
  mean: number;
  std: number;
  low: number;
  high: number;
}

/** A run of neighbouring points in the same region; on a numeric axis, from half-way to the point before to half-way to the next. */
export interface CurveRegion {
  kind: CurveRegionKind;
  /** Numeric axis: the region's edges; categorical: the first and last points' labels. */
  from: number | string;
  to: number | string;
  /** Where its label goes: the middle of the edges (geometric on a log axis), or the middle point's label. */
  center: number | string;
  /** The points' labels. */
  points: string[];
}

export type CurveAxis = "linear" | "log" | "categorical";

export interface CurveData {
  kind: CurveResult["kind"];
  /** The hyperparameter's name (validation curves recorded with `param`), else null. */
  param: string | null;
  axis: CurveAxis;
  scoring: { name: string; greaterIsBetter: boolean };
  cv: string;
  /** In axis order: by value on a numeric axis, as given on a categorical one. */
  points: CurvePoint[];
  /** Two rows per point, training first. */
  rows: CurveRow[];
  regions: CurveRegion[];
  /** The gap a point must exceed at least (`CURVE_RANGE_SHARE` of the range of the means). */
  floor: number;
}

export interface CurveDataOptions {
  /**
   * Log axis for a numeric hyperparameter (default: when its values are positive and span
   * two decades or more, see `spansDecades`). Ignored by categorical values.
   */
  logX?: boolean;
}

/** The chart data of a validation or learning curve (see the rule above). */
export function curveData(result: CurveResult, options: CurveDataOptions = {}): CurveData {
  const where = "curveData";
  checkOptionKeys(where, options, ["logX"]);
  if (!isCurveResult(result)) {
    throw new ValueError(
      `${where}: expected what validationCurve or learningCurve returns (kind, values or trainSizes, trainScores, testScores, scoring), got ${show(result)}.`,
    );
  }
  const xs: unknown[] = result.kind === "learning-curve" ? result.trainSizes : result.values;
  const numeric = xs.every((v) => typeof v === "number" && Number.isFinite(v));
  if (options.logX && !(numeric && xs.every((v) => (v as number) > 0))) {
    throw new ValueError(`${where}: logX needs positive numeric values, got ${show(xs)}; leave logX out for a linear or categorical axis.`);
  }
  const axis: CurveAxis = !numeric ? "categorical" : (options.logX ?? spansDecades(xs as number[])) ? "log" : "linear";
  let points = xs
    .map((value, i) => pointOf(value, result.trainScores[i], result.testScores[i], numeric))
    .filter((p): p is Omit<CurvePoint, "gap" | "region" | "best"> => p !== null);
  if (numeric) points = [...points].sort((a, b) => (a.x as number) - (b.x as number));
  const { greaterIsBetter } = result.scoring;
  const { marked, floor } = markRegions(points, greaterIsBetter);
  return {
    kind: result.kind,
    param: result.kind === "validation-curve" && typeof result.param === "string" ? result.param : null,
    axis,
    scoring: { name: result.scoring.name, greaterIsBetter },
    cv: result.cv,
    points: marked,
    rows: marked.flatMap((p) => [
      row(TRAIN_SERIES, p, p.trainMean, p.trainStd),
      row(VALIDATION_SERIES, p, p.validationMean, p.validationStd),
    ]),
    regions: regionsOf(marked, axis),
    floor,
  };
}

function row(series: CurveSeries, p: CurvePoint, mean: number, std: number): CurveRow {
  return { series, x: p.x, label: p.label, mean, std, low: mean - std, high: mean + std };
}

/** Mean and population std of the finite scores (a score stored as JSON turns NaN into null). */
function meanStd(scores: readonly unknown[]): { mean: number; std: number; n: number } {
  const finite = scores.filter((s): s is number => typeof s === "number" && Number.isFinite(s));
  const n = finite.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  return { mean, std: Math.sqrt(finite.reduce((a, s) => a + (s - mean) ** 2, 0) / n), n };
}

/** A point of the curve; null when either score has no finite fold. */
function pointOf(value: unknown, train: readonly unknown[], test: readonly unknown[], numeric: boolean) {
  const t = meanStd(train);
  const v = meanStd(test);
  if (t.n === 0 || v.n === 0) return null;
  const label = curveValueLabel(value);
  return {
    x: numeric ? (value as number) : label,
    label,
    trainMean: t.mean,
    trainStd: t.std,
    validationMean: v.mean,
    validationStd: v.std,
    folds: Math.min(t.n, v.n),
  };
}

/** How a hyperparameter's value is printed: numbers to six significant digits, text as is. */
export function curveValueLabel(value: unknown): string {
  if (typeof value === "number") return String(Number(value.toPrecision(6)));
  if (typeof value === "string") return value;
  if (value === null || typeof value === "boolean" || typeof value === "bigint") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function markRegions(
  points: readonly Omit<CurvePoint, "gap" | "region" | "best">[],
  greaterIsBetter: boolean,
): { marked: CurvePoint[]; floor: number } {
  const s = greaterIsBetter ? 1 : -1;
  const means = points.flatMap((p) => [p.trainMean, p.validationMean]);
  const floor = means.length === 0 ? 0 : CURVE_RANGE_SHARE * (Math.max(...means) - Math.min(...means));
  let best = -1;
  points.forEach((p, i) => {
    if (best < 0 || s * p.validationMean > s * points[best].validationMean) best = i;
  });
  const marked = points.map((p, i): CurvePoint => {
    const gap = s * (p.trainMean - p.validationMean);
    const spread = Math.sqrt((p.trainStd ** 2 + p.validationStd ** 2) / 2);
    const over = gap > Math.max(CURVE_SPREADS * spread, floor);
    const b = points[best];
    const behind = s * (b.validationMean - p.validationMean);
    const bestSpread = Math.sqrt((p.validationStd ** 2 + b.validationStd ** 2) / 2);
    const under = !over && behind > Math.max(CURVE_SPREADS * bestSpread, floor) && s * (b.validationMean - p.trainMean) > 0;
    return { ...p, gap, region: over ? "overfitting" : under ? "underfitting" : null, best: i === best };
  });
  return { marked, floor };
}

/** Runs of neighbouring points in one region, with their edges on the axis. */
function regionsOf(points: readonly CurvePoint[], axis: CurveAxis): CurveRegion[] {
  const regions: CurveRegion[] = [];
  const mid = (a: number, b: number) => (axis === "log" ? Math.sqrt(a * b) : (a + b) / 2);
  let start = 0;
  for (let i = 1; i <= points.length; i++) {
    if (i < points.length && points[i].region === points[start].region) continue;
    const kind = points[start].region;
    if (kind !== null) {
      const run = points.slice(start, i);
      const middle = run[Math.floor((run.length - 1) / 2)];
      if (axis === "categorical") {
        regions.push({ kind, from: run[0].label, to: run[run.length - 1].label, center: middle.label, points: run.map((p) => p.label) });
      } else {
        const x = (j: number) => points[j].x as number;
        const from = start === 0 ? x(0) : mid(x(start - 1), x(start));
        const to = i === points.length ? x(i - 1) : mid(x(i - 1), x(i));
        regions.push({ kind, from, to, center: mid(from, to), points: run.map((p) => p.label) });
      }
    }
    start = i;
  }
  return regions;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isScoreRow = (r: unknown) => Array.isArray(r) && r.length > 0 && r.every((s) => s === null || typeof s === "number");

/**
 * True for what `validationCurve` or `learningCurve` returns, or its JSON as a study keeps
 * it: a `kind`, one row of fold scores of each kind per point, and the scorer.
 */
export function isCurveResult(value: unknown): value is CurveResult {
  if (!isObject(value)) return false;
  const xs = value.kind === "validation-curve" ? value.values : value.kind === "learning-curve" ? value.trainSizes : undefined;
  if (!Array.isArray(xs) || xs.length === 0) return false;
  const { trainScores, testScores, scoring } = value;
  const rows = (r: unknown) => Array.isArray(r) && r.length === xs.length && r.every(isScoreRow);
  return (
    rows(trainScores) &&
    rows(testScores) &&
    isObject(scoring) &&
    typeof scoring.name === "string" &&
    typeof scoring.greaterIsBetter === "boolean" &&
    (value.cv === undefined || typeof value.cv === "string")
  );
}

/** A curve a study keeps: its attribute's name after the prefix ("k", "learning") and the curve. */
export interface RecordedCurve {
  name: string;
  curve: CurveResult;
}

/**
 * The curves a study keeps in its user attributes ("curve:…"): validation curves by name,
 * then learning curves; attributes that do not hold a curve are left out.
 */
export function recordedCurves(userAttrs: Readonly<Record<string, JsonValue>> | undefined): RecordedCurve[] {
  if (!userAttrs) return [];
  const found = Object.keys(userAttrs)
    .filter((key) => key.startsWith(CURVE_ATTR_PREFIX) && isCurveResult(userAttrs[key]))
    .sort()
    .map((key) => ({ name: key.slice(CURVE_ATTR_PREFIX.length), curve: userAttrs[key] as unknown as CurveResult }));
  const learning = (c: RecordedCurve) => (c.curve.kind === "learning-curve" ? 1 : 0);
  return found.sort((a, b) => learning(a) - learning(b));
}

/**
 * One line on a curve: the best validation point, and where it over- and under-fits, e.g.
 * "Best validation accuracy 0.93 ± 0.02 at k = 15. Overfitting at k = 1, 3. Underfitting at k = 50."
 */
export function curveSummary(data: CurveData): string {
  const best = data.points.find((p) => p.best);
  if (!best) return "No point of the curve has finite scores.";
  const at = (labels: readonly string[]) =>
    data.kind === "learning-curve" ? `${labels.join(", ")} training rows` : `${data.param ?? "value"} = ${labels.join(", ")}`;
  const fmt = (v: number) => String(Number(v.toPrecision(3)));
  const parts = [`Best validation ${data.scoring.name} ${fmt(best.validationMean)} ± ${fmt(best.validationStd)} at ${at([best.label])}.`];
  for (const kind of ["overfitting", "underfitting"] as const) {
    const labels = data.points.filter((p) => p.region === kind).map((p) => p.label);
    if (labels.length > 0) parts.push(`${kind === "overfitting" ? "Overfitting" : "Underfitting"} at ${at(labels)}.`);
  }
  return parts.join(" ");
}
