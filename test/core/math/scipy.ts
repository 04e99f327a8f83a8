/** The scipy reference values of test/core/math/fixtures/scipy-math.json, and the comparison the suite uses. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Alternative } from "../../../core/math/wilcoxon.js";

type ZeroMethod = "wilcox" | "pratt" | "zsplit";

export interface WilcoxonCase {
  name: string;
  a: number[];
  b: number[];
  approx: { zeroMethod: ZeroMethod; alternative: Alternative; correction: boolean; statistic: number; pValue: number }[];
  exact: { alternative: Alternative; statistic: number; pValue: number }[];
  enumerated: { zeroMethod: ZeroMethod; rPlus: number; less: number; greater: number; "two-sided": number }[];
}

export interface ScipyMath {
  scipy: string;
  erf: { x: number; erf: number; erfc: number; erfcx: number }[];
  erfcx: { x: number; erfcx: number }[];
  normal: { z: number; pdf: number; cdf: number; sf: number; logCdf: number }[];
  quantile: { p: number; z: number }[];
  logGaussMass: { a: number; b: number; value: number }[];
  gammaln: { x: number; value: number }[];
  digamma: { n: number; value: number }[];
  gammainc: { a: number; x: number; p: number; q: number }[];
  betainc: { x: number; a: number; b: number; value: number }[];
  studentT: { t: number; df: number; sf: number; cdf: number }[];
  fSf: { f: number; d1: number; d2: number; sf: number }[];
  rankdata: { values: number[]; ranks: number[] }[];
  correlation: { a: number[]; b: number[]; pearson: number; spearman: number }[];
  quantiles: { sorted: number[]; q: number; value: number }[];
  wilcoxon: WilcoxonCase[];
}

/** Reference values from scipy 1.10; fixtures/scipy_math.py says how each was computed. */
export const scipy = JSON.parse(readFileSync(new URL("./fixtures/scipy-math.json", import.meta.url), "utf8")) as ScipyMath;

/**
 * Asserts |actual − expected| ≤ rel·|expected| + abs. `abs` covers results near zero,
 * where a relative bound means nothing, and results that scipy flushes to zero.
 */
export function close(actual: number, expected: number, what: string, rel: number, abs = 0): void {
  const error = Math.abs(actual - expected);
  assert.ok(
    actual === expected || error <= rel * Math.abs(expected) + abs,
    `${what}: got ${actual}, scipy ${expected} (relative error ${(error / Math.abs(expected)).toExponential(2)})`,
  );
}
