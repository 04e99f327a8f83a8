/**
 * Tails of Student's t and of the F distribution, from the incomplete beta function; relative
 * error about 1e-13, degrees of freedom up to 10⁵ included.
 */
import { incompleteBeta } from "./beta.js";
import { normalSf } from "./normal.js";

/** P(T > t) for Student's t with `df` degrees of freedom (df > 0; Infinity gives the normal); scipy's `t.sf`. */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return normalSf(t);
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df / (df + t²)}(df / 2, 1 / 2)
  const tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t >= 0 ? tail : 1 - tail;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom; scipy's `t.cdf`. */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** P(F > f) for the F distribution with (d1, d2) degrees of freedom; scipy's `f.sf`. */
export function fDistributionSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  // P(F > f) = I_{d2 / (d2 + d1·f)}(d2 / 2, d1 / 2)
  const scaled = d1 * f;
  return incompleteBeta(d2 / (d2 + scaled), d2 / 2, d1 / 2, scaled / (d2 + scaled));
}
