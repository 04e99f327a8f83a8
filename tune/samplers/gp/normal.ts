/**
 * The standard normal distribution's functions, computed so that their logarithms
 * stay finite far into the tails (acquisition values of hopeless points must still
 * be ordered, and their gradients must not vanish).
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_HALF = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/** exp(x²)·erfc(x) for x ≥ 0: a power series below 2, a continued fraction above. */
function erfcxNonNegative(x: number): number {
  if (x < 1.2) {
    // erf(x) = 2x/√π · e^{-x²} · Σ (2x²)^n / (2n+1)!!  (all terms positive: no cancellation)
    const twoX2 = 2 * x * x;
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 200; n++) {
      term *= twoX2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.exp(x * x) - ((2 * x) / SQRT_PI) * sum;
  }
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by Lentz's method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** The scaled complementary error function exp(x²)·erfc(x); finite for all x ≥ −26. */
export function erfcx(x: number): number {
  if (x >= 0) return erfcxNonNegative(x);
  // erfc(−t) = 2 − erfc(t)
  return 2 * Math.exp(x * x) - erfcxNonNegative(-x);
}

/** The complementary error function. */
export function erfc(x: number): number {
  if (x >= 0) return x > 27 ? 0 : Math.exp(-x * x) * erfcxNonNegative(x);
  return 2 - erfc(-x);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** Standard normal cumulative distribution Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT_HALF);
}

/** Φ(z)/φ(z) for z ≤ 0 (Mills' ratio of −z), without underflow. */
function cdfOverPdf(z: number): number {
  return SQRT_HALF_PI * erfcx(-z * SQRT_HALF);
}

/** log Φ(z) and its derivative φ(z)/Φ(z), finite for every finite z. */
export function logNormalCdf(z: number): { value: number; slope: number } {
  if (z > 0) {
    const tail = 0.5 * erfc(z * SQRT_HALF);
    return { value: Math.log1p(-tail), slope: normalPdf(z) / (1 - tail) };
  }
  if (z > -1) {
    const cdf = normalCdf(z);
    return { value: Math.log(cdf), slope: normalPdf(z) / cdf };
  }
  const ratio = cdfOverPdf(z);
  return { value: Math.log(ratio) - 0.5 * z * z - LOG_SQRT_2PI, slope: 1 / ratio };
}

/**
 * log h(z) with h(z) = E[max(0, z + N(0,1))] = z·Φ(z) + φ(z), the expected improvement of a
 * unit normal over a threshold z standard deviations above its mean, and d/dz log h = Φ(z)/h(z).
 *
 * Three regimes (after Ament et al. 2023, "Unexpected Improvements to Expected Improvement"):
 * direct for z > −1; h = φ(z)·(1 + z·Φ/φ) with Φ/φ from erfcx down to z = −1000 (the
 * cancellation in 1 + z·Φ/φ costs a relative error of about ε·z², so at most 1e-10 there);
 * below, the asymptotic series h ≈ φ(z)/z² · (1 − 3/z² + 15/z⁴).
 */
export function logH(z: number): { value: number; slope: number } {
  if (z > -1) {
    const cdf = normalCdf(z);
    const h = z * cdf + normalPdf(z);
    return { value: Math.log(h), slope: cdf / h };
  }
  if (z > -1000) {
    const ratio = cdfOverPdf(z);
    const bracket = 1 + z * ratio;
    return { value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(bracket), slope: ratio / bracket };
  }
  const u = 1 / (z * z);
  const series = 1 - 3 * u + 15 * u * u;
  const seriesSlope = (6 * u - 60 * u * u) / z; // d/dz of series
  return {
    value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(u) + Math.log(series),
    slope: -z - 2 / z + seriesSlope / series,
  };
}

/** The standard normal quantile Φ⁻¹(p) for p in (0, 1), by bisection then Newton steps. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
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
