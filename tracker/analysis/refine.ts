import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { type CategoricalChoice, type DistributionJson, type StudyDirection, sameChoice, type TrialRecord } from "../../core/records.js";
import { mergeDistributions } from "./space.js";
import { hasParam } from "./trial-params.js";

/**
 * Narrow a search space around a study's best trials — the iterative loop of tuning
 * made explicit. Per parameter: a range covering the top trials' values with a
 * margin (in log space for log parameters), rounded outward (to integers, to the
 * step grid, or to a few significant digits), never beyond the original bounds;
 * for a categorical parameter, the choices the top trials used.
 */
export interface RefineOptions {
  /** Share of the COMPLETE trials counted as top (default 0.2). */
  quantile?: number;
  /** Use at least this many top trials when the study has them (default 5). */
  minTrials?: number;
  /** Padding on each side, as a fraction of the top values' span (default 0.25; log space for log parameters). */
  margin?: number;
  /** Padding on each side is at least this fraction of the original span (default 0.02), so a range never collapses to a point. */
  minMargin?: number;
  /** Significant digits float bounds are rounded outward to, for readable code (default 2). */
  digits?: number;
}

export interface RefinedParam {
  name: string;
  /** The distribution the trials used (the union of numeric ranges when it changed). */
  original: DistributionJson;
  /** The proposed distribution, in Optuna's JSON form. */
  refined: DistributionJson;
  /** Top trials that set this parameter. */
  support: number;
  /** True when `refined` differs from `original`. */
  changed: boolean;
  /** Why the parameter was kept as it was, when it was. */
  note?: string;
}

export interface RefinedSpace {
  direction: StudyDirection;
  /** COMPLETE trials with a finite value. */
  nComplete: number;
  /** Top trials the proposal is drawn from. */
  nTop: number;
  /** Value of the worst top trial: the proposal covers trials at least this good. */
  threshold: number;
  params: RefinedParam[];
  /** The proposed search space by parameter name. */
  distributions: Record<string, DistributionJson>;
  /** TypeScript lines to paste into the next objective. */
  code: string;
}

const OPTION_KEYS = ["quantile", "minTrials", "margin", "minMargin", "digits"] as const;

function checkOptions(options: RefineOptions): Required<RefineOptions> {
  checkOptionKeys("refineSearchSpace", options, OPTION_KEYS);
  const o = { quantile: 0.2, minTrials: 5, margin: 0.25, minMargin: 0.02, digits: 2, ...options };
  if (!(o.quantile > 0 && o.quantile <= 1))
    throw new ValueError(`refineSearchSpace: quantile must be in (0, 1], got ${show(o.quantile)}; e.g. 0.2 for the top 20%.`);
  if (!Number.isInteger(o.minTrials) || o.minTrials < 1)
    throw new ValueError(`refineSearchSpace: minTrials must be a positive integer, got ${show(o.minTrials)}.`);
  if (!(o.margin >= 0) || !Number.isFinite(o.margin))
    throw new ValueError(`refineSearchSpace: margin must be a number ≥ 0, got ${show(o.margin)}.`);
  if (!(o.minMargin >= 0 && o.minMargin <= 1))
    throw new ValueError(`refineSearchSpace: minMargin must be in [0, 1], got ${show(o.minMargin)}.`);
  if (!Number.isInteger(o.digits) || o.digits < 1 || o.digits > 15)
    throw new ValueError(`refineSearchSpace: digits must be an integer from 1 to 15, got ${show(o.digits)}.`);
  return o;
}

/** Propose a narrowed search space from the best COMPLETE trials of a study. */
export function refineSearchSpace(trials: readonly TrialRecord[], direction: StudyDirection, options: RefineOptions = {}): RefinedSpace {
  const o = checkOptions(options);
  if (direction !== "minimize" && direction !== "maximize")
    throw new ValueError(`refineSearchSpace: direction must be "minimize" or "maximize", got ${show(direction)}.`);
  const complete = trials.filter((t) => t.state === "COMPLETE" && typeof t.value === "number" && Number.isFinite(t.value));
  if (complete.length === 0)
    throw new ValueError("refineSearchSpace: the study has no COMPLETE trial with a finite value; run some trials first.");
  const sign = direction === "minimize" ? 1 : -1;
  const ranked = [...complete].sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  const nTop = Math.min(complete.length, Math.max(o.minTrials, Math.ceil(o.quantile * complete.length)));
  const top = ranked.slice(0, nTop);

  const originals = originalDistributions(trials);
  const params: RefinedParam[] = [];
  for (const [name, original] of originals) {
    const values = top.filter((t) => hasParam(t, name)).map((t) => t.params[name]);
    if (values.length === 0) {
      params.push({ name, original, refined: original, support: 0, changed: false, note: "no top trial set it" });
      continue;
    }
    const refined =
      original.name === "CategoricalDistribution" ? refineCategorical(original, values) : refineNumeric(original, values as number[], o);
    params.push({ name, original, refined, support: values.length, changed: JSON.stringify(refined) !== JSON.stringify(original) });
  }
  const distributions = Object.fromEntries(params.map((p) => [p.name, p.refined]));
  return {
    direction,
    nComplete: complete.length,
    nTop,
    threshold: top[top.length - 1].value as number,
    params,
    distributions,
    code: params.map((p) => suggestLine(p)).join("\n"),
  };
}

/** Each parameter's distribution over all trials, by name: numeric ranges merged, otherwise the latest. */
function originalDistributions(trials: readonly TrialRecord[]): Map<string, DistributionJson> {
  const result = new Map<string, DistributionJson>();
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    for (const [name, d] of Object.entries(trial.distributions)) {
      const known = result.get(name);
      result.set(name, known === undefined ? d : (mergeDistributions(known, d) ?? d));
    }
  }
  return new Map([...result].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function refineCategorical(
  original: Extract<DistributionJson, { name: "CategoricalDistribution" }>,
  values: readonly unknown[],
): DistributionJson {
  const choices = original.attributes.choices.filter((c) => values.some((v) => sameChoice(c, v as CategoricalChoice)));
  return { name: "CategoricalDistribution", attributes: { choices: choices.length > 0 ? choices : [...original.attributes.choices] } };
}

function refineNumeric(
  original: Exclude<DistributionJson, { name: "CategoricalDistribution" }>,
  values: readonly number[],
  o: Required<RefineOptions>,
): DistributionJson {
  const { low, high, log } = original.attributes;
  const forward = (v: number) => (log ? Math.log(v) : v);
  const inverse = (v: number) => (log ? Math.exp(v) : v);
  const numeric = values.filter((v) => typeof v === "number" && Number.isFinite(v));
  const lo = Math.min(...numeric.map(forward));
  const hi = Math.max(...numeric.map(forward));
  const pad = Math.max(o.margin * (hi - lo), o.minMargin * (forward(high) - forward(low)));
  let newLow = Math.max(low, inverse(lo - pad));
  let newHigh = Math.min(high, inverse(hi + pad));

  if (original.name === "IntDistribution") {
    const step = original.attributes.step;
    newLow = Math.max(low, low + Math.floor((Math.floor(newLow) - low) / step) * step);
    newHigh = Math.min(high, low + Math.ceil((Math.ceil(newHigh) - low) / step) * step);
    return { name: "IntDistribution", attributes: { low: newLow, high: newHigh, log, step } };
  }
  const step = original.attributes.step;
  if (step !== null) {
    // Outward to the step grid anchored at the original low; tidy the float noise of k·step.
    const tidy = (v: number) => Number(v.toPrecision(12));
    newLow = Math.max(low, tidy(low + Math.floor((newLow - low) / step + 1e-9) * step));
    newHigh = Math.min(high, tidy(low + Math.ceil((newHigh - low) / step - 1e-9) * step));
    return { name: "FloatDistribution", attributes: { low: newLow, high: newHigh, log, step } };
  }
  // Readable bounds: a log range to `digits` significant digits of each bound; a linear
  // one to `digits` significant digits of its width (so [99.98, 100.02] stays narrow).
  const width = newHigh - newLow;
  const quantum = width > 0 ? 10 ** (Math.floor(Math.log10(width)) - o.digits + 1) : 0;
  const roundedLow = log ? roundSignificant(newLow, o.digits, "down") : quantum > 0 ? roundToMultiple(newLow, quantum, "down") : newLow;
  const roundedHigh = log ? roundSignificant(newHigh, o.digits, "up") : quantum > 0 ? roundToMultiple(newHigh, quantum, "up") : newHigh;
  // Rounding only ever widens; the checks guard against float noise undoing that.
  if (roundedLow <= lowest(numeric)) newLow = Math.max(low, roundedLow);
  if (roundedHigh >= highest(numeric)) newHigh = Math.min(high, roundedHigh);
  return { name: "FloatDistribution", attributes: { low: newLow, high: newHigh, log, step: null } };
}

const lowest = (values: readonly number[]) => values.reduce((a, b) => Math.min(a, b), Infinity);
const highest = (values: readonly number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity);

/** `x` rounded to a multiple of `quantum`, towards -∞ ("down") or +∞ ("up"). */
export function roundToMultiple(x: number, quantum: number, way: "down" | "up"): number {
  const scaled = x / quantum;
  const nearest = Math.round(scaled);
  const k = Math.abs(scaled - nearest) < 1e-9 ? nearest : way === "down" ? Math.floor(scaled) : Math.ceil(scaled);
  return Number((k * quantum).toPrecision(12));
}

/** `x` rounded to `digits` significant digits, towards -∞ ("down") or +∞ ("up"). */
export function roundSignificant(x: number, digits: number, way: "down" | "up"): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const exponent = Math.floor(Math.log10(Math.abs(x))) - digits + 1;
  // Scale by a power of ten in the direction that keeps the scaled value exact-ish.
  const scaled = exponent >= 0 ? x / 10 ** exponent : x * 10 ** -exponent;
  const nearest = Math.round(scaled);
  // Values already on the grid (up to the noise of the scaling) stay; others go outward.
  const onGrid = Math.abs(scaled - nearest) < 1e-9;
  const k = onGrid ? nearest : way === "down" ? Math.floor(scaled) : Math.ceil(scaled);
  const result = exponent >= 0 ? k * 10 ** exponent : k / 10 ** -exponent;
  return Number(result.toPrecision(15));
}

/** A number as a short TypeScript literal: 0.03, 250, 1e-4. */
export function formatNumber(x: number): string {
  const plain = String(x);
  if (x !== 0 && Math.abs(x) < 1e-3) {
    const exp = x.toExponential();
    return exp.length <= plain.length ? exp : plain;
  }
  return plain;
}

function formatChoice(c: CategoricalChoice): string {
  if (typeof c === "string") return JSON.stringify(c);
  if (typeof c === "number") return Number.isNaN(c) ? "NaN" : formatNumber(c);
  return String(c);
}

function describeRange(d: DistributionJson): string {
  if (d.name === "CategoricalDistribution") return `[${d.attributes.choices.map(formatChoice).join(", ")}]`;
  return `${formatNumber(d.attributes.low)} … ${formatNumber(d.attributes.high)}`;
}

/** One `trial.suggest…` call for the refined distribution, with the original range in a comment. */
function suggestLine(p: RefinedParam): string {
  const name = JSON.stringify(p.name);
  const d = p.refined;
  let call: string;
  if (d.name === "CategoricalDistribution") {
    call = `trial.suggestCategorical(${name}, [${d.attributes.choices.map(formatChoice).join(", ")}])`;
  } else {
    const { low, high, log, step } = d.attributes;
    const extras: string[] = [];
    if (log) extras.push("log: true");
    if (step !== null && !(d.name === "IntDistribution" && step === 1)) extras.push(`step: ${formatNumber(step)}`);
    const method = d.name === "IntDistribution" ? "suggestInt" : "suggestFloat";
    call = `trial.${method}(${name}, ${formatNumber(low)}, ${formatNumber(high)}${extras.length ? `, { ${extras.join(", ")} }` : ""})`;
  }
  const comment = p.note ? `kept: ${p.note}` : p.changed ? `was ${describeRange(p.original)}` : "unchanged";
  return `${call}; // ${comment}`;
}
