/**
 * The standard normal distribution: density, CDF and survival function from fdlibm's
 * erfc (see erf.ts), log Φ that stays finite far into the lower tail, the quantile
 * Φ⁻¹, and the log of the mass between two bounds (what truncated normals need).
 * Relative error below 4e-16·max(4, z²) wherever the result is a normal number: the
 * rounding of z/√2 and of z² costs up to about z²·2^-53 in the far tails.
 */
import { LOG_SQRT_2PI } from "./constants.js";
import { erf, erfc, logErfcLarge } from "./erf.js";

/** The standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** Φ(z) = P(Z ≤ z), the standard normal CDF (scipy's `ndtr`). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/** P(Z > z) = Φ(−z), the standard normal survival function. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z * Math.SQRT1_2);
}

/** log Φ(z) (scipy's `log_ndtr`), accurate in both tails: finite down to z ≈ −1e154, and log1p-exact above 0. */
export function logNormalCdf(z: number): number {
  if (z === -Infinity) return -Infinity;
  const t = -z * Math.SQRT1_2;
  if (t >= 1.25) return logErfcLarge(t) - Math.LN2;
  if (z > 0) return Math.log1p(-0.5 * erfc(-t));
  return Math.log(0.5 * erfc(t));
}

/**
 * Φ⁻¹(p), the standard normal quantile (scipy's `ndtri`): −∞ at 0, +∞ at 1, NaN outside
 * [0, 1]. Bisection of Φ on [−40, 40] to 2^-60 of the interval, then three Newton steps;
 * the upper half through the lower one, Φ⁻¹(p) = −Φ⁻¹(1 − p), since 1 − p is exact there
 * while Φ near 1 is not. Relative error about 3e-16 (absolute 1e-16 around p = ½).
 */
export function normalQuantile(p: number): number {
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (!(p > 0 && p < 1)) return NaN;
  if (p > 0.5) return -normalQuantile(1 - p);
  let low = -40;
  let high = 40;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (low + high);
    if (normalCdf(mid) < p) low = mid;
    else high = mid;
  }
  let z = 0.5 * (low + high);
  for (let i = 0; i < 3; i++) {
    const pdf = normalPdf(z);
    if (pdf === 0) break;
    z -= (normalCdf(z) - p) / pdf;
  }
  return z;
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/**
 * log P(a ≤ Z ≤ b) for a standard normal Z and a ≤ b (scipy's truncnorm `_log_gauss_mass`);
 * −∞ when a = b. Stays accurate when the interval lies far in either tail.
 */
export function logGaussMass(a: number, b: number): number {
  // Differences in the right tail lose precision, so use the symmetry and stay left.
  // Beyond 8.5σ the far tail is below 1e-16 of the mass: one CDF suffices.
  if (b > 8.5 && a <= 0) return logNormalCdf(-a);
  if (a < -8.5 && b >= 0) return logNormalCdf(b);
  if (b <= 0) return logDiff(logNormalCdf(b), logNormalCdf(a));
  if (a > 0) return logDiff(logNormalCdf(-a), logNormalCdf(-b));
  if (a > -5 && b < 5) {
    // Central and not extreme: one subtraction of erfs is exact enough and cheaper.
    return Math.log(0.5 * (erf(b * Math.SQRT1_2) - erf(a * Math.SQRT1_2)));
  }
  return Math.log1p(-normalCdf(a) - normalCdf(-b));
}
